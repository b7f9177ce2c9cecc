"""Text that XML 1.0 can carry, for the feeds.

A job's title or a search typed into a feed's URL may hold control characters (the site's
forms and the API keep them, as text editors do); XML 1.0 has no way to write them, and
Django's feed writer fails on them, so every feed drops them on the way out.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """Text XML 1.0 can carry: control characters and lone surrogates dropped."""
    return _NOT_XML.sub("", str(value))
