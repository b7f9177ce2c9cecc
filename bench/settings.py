"""Settings for the benchmark: the site's, with a bare JSON view added and, when asked,
a PostgreSQL database beside the SQLite one (both created and dropped by the bench)."""

import os

import dj_database_url

from mapertunity.settings import *  # noqa: F403
from mapertunity.settings import DATABASES

ROOT_URLCONF = "bench.urls"
if os.environ.get("BENCH_PG_URL"):
    DATABASES["pg"] = dj_database_url.parse(os.environ["BENCH_PG_URL"])
