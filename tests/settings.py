"""The site's settings with the test suite's speed-ups and isolation.

Applied from the test side (pyproject's ``DJANGO_SETTINGS_MODULE``) so that the site's own
settings never need to guess whether they run under a test. Uploads go to throw-away
folders, passwords hash fast, tasks run at once, mail stays in memory, and the map index
lives in memory and re-reads the database on every request (tests that exercise the
production polling switch the intervals back with the ``settings`` fixture).
"""

import atexit
import shutil
import tempfile
from pathlib import Path

from mapertunity.settings import *  # noqa: F403
from mapertunity.settings import LOGGING, STORAGES

PRIVATE_STORAGE_ROOT = Path(tempfile.mkdtemp(prefix="mapertunity-private-"))
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mapertunity-media-"))
for _folder in (PRIVATE_STORAGE_ROOT, MEDIA_ROOT):
    atexit.register(shutil.rmtree, _folder, ignore_errors=True)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file (WAL, like production) rather than shared-cache memory, whose table locks fail
    # a writer at once while the map's maintenance thread reads (production-interval tests).
    _db_dir = Path(
        tempfile.mkdtemp(
            prefix="mapertunity-db-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None
        )
    )
    atexit.register(shutil.rmtree, _db_dir, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": str(_db_dir / "test.sqlite3")}  # noqa: F405
MAP_INDEX_REFRESH_SECONDS = 0
MAP_INDEX_DIR = ""
LOGGING["root"]["level"] = "WARNING"
# The suite makes thousands of API requests from one address; the rate-limit tests switch
# the limits back on with the ``settings`` fixture.
API_REQUESTS_PER_IP_PER_MINUTE = 0
API_REQUESTS_PER_TOKEN_PER_MINUTE = 0
