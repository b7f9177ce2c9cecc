"""The RQ worker (TASKS_BACKEND=rq) runs again the jobs of workers that died."""

import datetime as dt
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from django.utils import timezone
from redis import Redis
from rq import Queue
from rq.worker import SimpleWorker

from mapertunity.core.models import WorkerHeartbeat
from mapertunity.core.rqworker import STARTS_META, recover_abandoned_jobs
from mapertunity.core.worker import MAX_RUNS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def redis() -> Iterator[Redis]:
    """A private redis-server on a free port, gone after the module."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    connection = Redis(port=port)
    for _ in range(100):
        try:
            connection.ping()
            break
        except Exception:
            time.sleep(0.05)
    yield connection
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def queue(redis: Redis) -> Queue:
    redis.flushdb()
    return Queue("default", connection=redis)


def started_by(queue: Queue, worker_name: str) -> str:
    """A job taken off the queue by `worker_name`, which then stops (as a kill -9 leaves it)."""
    job = queue.enqueue("mapertunity.core.probes.probe_email", "k", "a@example.com")
    assert queue.pop_job_id() == job.id
    worker = SimpleWorker([queue], connection=queue.connection, name=worker_name)
    worker.prepare_execution(job)
    worker.prepare_job_execution(job)
    assert job.id in queue.started_job_registry.get_job_ids(cleanup=False)
    return job.id


def later() -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=5)


def test_the_job_of_a_worker_without_a_heartbeat_is_queued_again(queue: Queue) -> None:
    job_id = started_by(queue, "gone")
    assert recover_abandoned_jobs([queue], connection=queue.connection, now=later()) == [job_id]
    assert queue.job_ids == [job_id]
    assert queue.started_job_registry.get_job_ids(cleanup=False) == []
    assert queue.fetch_job(job_id).meta[STARTS_META] == 2
    # A second look (another worker's) finds nothing to do: it is queued once.
    assert recover_abandoned_jobs([queue], connection=queue.connection, now=later()) == []
    assert queue.job_ids == [job_id]


def test_the_job_of_a_live_worker_is_left_alone(queue: Queue) -> None:
    job_id = started_by(queue, "alive")
    now = later()
    WorkerHeartbeat.objects.create(worker_id="alive", started_at=now, beat_at=now)
    assert recover_abandoned_jobs([queue], connection=queue.connection, now=now) == []
    assert job_id in queue.started_job_registry.get_job_ids(cleanup=False)


def test_a_job_just_started_is_left_alone_until_the_lease_has_passed(queue: Queue) -> None:
    started_by(queue, "slow-to-beat")
    assert recover_abandoned_jobs([queue], connection=queue.connection, now=timezone.now()) == []


def test_a_job_that_keeps_killing_its_workers_is_failed_for_good(queue: Queue) -> None:
    job_id = started_by(queue, "gone")
    job = queue.fetch_job(job_id)
    job.meta[STARTS_META] = MAX_RUNS
    job.save_meta()
    assert recover_abandoned_jobs([queue], connection=queue.connection, now=later()) == []
    assert queue.job_ids == []
    assert job_id in queue.failed_job_registry.get_job_ids()
