"""The settings of the several-machines mode, and that the defaults stay single-machine."""

import json
import subprocess
import sys

from tests.core.test_settings import ROOT, _environment

SHOW = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "databases": sorted(settings.DATABASES),
    "routers": settings.DATABASE_ROUTERS,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "middleware": settings.MIDDLEWARE[0],
    "rq": "django_rq" in settings.INSTALLED_APPS,
}))
"""


def load(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in _environment().items()
        if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "TASKS_BACKEND"}
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "mapertunity.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_defaults_are_one_machine() -> None:
    shown = json.loads(load().stdout)
    assert shown == {
        "databases": ["default"],
        "routers": [],
        "tasks": "django_tasks_db.DatabaseBackend",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "middleware": "mapertunity.core.logs.RequestLogMiddleware",  # no replica router
        "rq": False,
    }


def test_the_scale_mode_routes_caches_in_redis_and_queues_on_rq() -> None:
    result = load(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/primary",
        DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5433/primary",
        REDIS_URL="redis://127.0.0.1:6379/3",
        TASKS_BACKEND="rq",
    )
    shown = json.loads(result.stdout)
    assert shown == {
        "databases": ["default", "replica"],
        "routers": ["mapertunity.core.dbrouter.PrimaryReplicaRouter"],
        "tasks": "django_tasks_rq.RQBackend",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "middleware": "mapertunity.core.dbrouter.ReplicaRoutingMiddleware",
        "rq": True,
    }


def test_a_replica_of_sqlite_rq_without_redis_and_an_unknown_backend_are_refused() -> None:
    for env, says in [
        ({"DATABASE_REPLICA_URL": "postgres://h/db"}, "DATABASE_REPLICA_URL needs"),
        ({"TASKS_BACKEND": "rq"}, "TASKS_BACKEND=rq needs REDIS_URL"),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND='celery'"),
    ]:
        result = load(**env)
        assert result.returncode != 0 and says in result.stderr, env
