"""Background work for alerts, run by the task worker; thin wrappers of digest.py.

``send_alert_digests`` is recurring (``RECURRING_TASKS`` in settings): every few minutes.
"""

from __future__ import annotations

from django_tasks import task

from . import digest


@task()
def send_alert_digests() -> int:
    """Email every due alert's new jobs, each job once per alert. Returns emails sent."""
    return digest.send_due_digests().sent
