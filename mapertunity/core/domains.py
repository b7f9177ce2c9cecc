"""Internet domains: of a website, of an email address, and which ones anyone can sign up at.

Used where trust depends on a domain: a company proves its website by an email to an
address there, and the scam screen notices personal webmail given as a company's contact.
"""

from __future__ import annotations

from urllib.parse import urlsplit

WEBMAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
        "yahoo.co.in", "ymail.com", "rocketmail.com", "hotmail.com", "hotmail.co.uk",
        "hotmail.fr", "hotmail.de", "outlook.com", "outlook.fr", "live.com", "live.co.uk",
        "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "proton.me",
        "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com",
        "mail.ru", "yandex.com", "yandex.ru", "zoho.com", "tutanota.com", "tuta.io",
        "qq.com", "163.com", "126.com", "naver.com", "rediffmail.com", "libero.it",
        "orange.fr", "laposte.net", "free.fr", "t-online.de", "btinternet.com",
        "fastmail.com", "hushmail.com", "inbox.com", "usa.com", "email.com",
    }
)  # fmt: skip
"""Domains where anyone can get an address: they prove nothing about an employer."""

# Second-level labels under which a country's registrable names sit (example.co.uk).
_SECOND_LEVEL = frozenset(
    {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "gob", "nic", "ltd", "plc"}
)


def normalise_domain(domain: str) -> str:
    domain = domain.strip().strip(".").lower()
    return domain[4:] if domain.startswith("www.") else domain


def website_domain(url: str) -> str:
    """The host of a website address without ``www.``; "" for no address."""
    url = url.strip()
    if not url:
        return ""
    if "//" not in url:
        url = "//" + url
    return normalise_domain(urlsplit(url).hostname or "")


def email_domain(address: str) -> str:
    return normalise_domain(address.rpartition("@")[2]) if "@" in address else ""


def registrable(domain: str) -> str:
    """The name an organisation registers: ``jobs.example.co.uk`` → ``example.co.uk``.

    An approximation without the public suffix list, good enough to tell whether two
    hosts belong to the same organisation.
    """
    labels = normalise_domain(domain).split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_webmail(domain: str) -> bool:
    return registrable(domain) in WEBMAIL_DOMAINS or normalise_domain(domain) in WEBMAIL_DOMAINS


def same_organisation(first: str, second: str) -> bool:
    """Whether two hosts are run by one organisation: the same, or one under the other
    (``careers.example.org`` and ``example.org``). Sibling hosts of a shared parent
    (two shops on one hosting service) are not; webmail never counts."""
    first, second = normalise_domain(first), normalise_domain(second)
    if not first or not second or is_webmail(first) or is_webmail(second):
        return False
    return first == second or first.endswith("." + second) or second.endswith("." + first)
