"""Emailing a new post: every confirmed subscriber exactly once, crashes and all."""

import datetime as dt
import smtplib
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from mapertunity.blog import actions, delivery, tasks
from mapertunity.blog.models import Delivery, Post, Subscriber
from mapertunity.core import worker
from mapertunity.core.models import WorkerHeartbeat

from .helpers import FlakyBackend, WorkerKilled, make_post, make_subscriber, recipients

pytestmark = pytest.mark.django_db

FLAKY = "tests.blog.helpers.FlakyBackend"


@pytest.fixture(autouse=True)
def _healthy_mail_server() -> None:
    FlakyBackend.allow, FlakyBackend.error, FlakyBackend.down = 0, ConnectionResetError, False


def a_list(confirmed: int = 7) -> list[str]:
    """`confirmed` subscribers on the list, plus one waiting and one who left."""
    addresses = [f"reader{n}@example.org" for n in range(confirmed)]
    for address in addresses:
        make_subscriber(address)
    make_subscriber("waiting@example.org", confirmed=False)
    make_subscriber("gone@example.org", unsubscribed=True)
    return addresses


def test_each_confirmed_subscriber_gets_one_email_and_nobody_else_any() -> None:
    addresses = a_list()
    post = make_post(status=Post.Status.DRAFT, title="Reading a job map")
    actions.publish_post(post=post)
    assert sorted(recipients()) == sorted(addresses)
    assert all(m.subject == "Reading a job map" for m in mail.outbox)
    post.refresh_from_db()
    assert post.delivery_finished_at is not None
    assert set(post.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}


@override_settings(BLOG_DELIVERY_BATCH_SIZE=2)
def test_it_sends_in_batches_until_the_list_is_done() -> None:
    addresses = a_list(confirmed=5)
    post = make_post(status=Post.Status.DRAFT)
    actions.publish_post(post=post)
    assert Counter(recipients()) == Counter(addresses)


def test_every_email_has_one_click_unsubscribe_headers_and_link() -> None:
    make_subscriber("reader@example.org")
    actions.publish_post(post=make_post(status=Post.Status.DRAFT))
    [message] = mail.outbox
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http://127.0.0.1:8000/blog/unsubscribe/") and link.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link[1:-1] in message.body
    assert link[1:-1] in message.alternatives[0][0]


def test_the_unsubscribe_link_in_the_email_works_with_one_post(client: Client) -> None:
    make_subscriber("reader@example.org")
    actions.publish_post(post=make_post(status=Post.Status.DRAFT))
    url = (
        mail.outbox[0].extra_headers["List-Unsubscribe"][1:-1].removeprefix("http://127.0.0.1:8000")
    )
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscriber.objects.confirmed().exists()


@override_settings(EMAIL_BACKEND=FLAKY, BLOG_DELIVERY_BATCH_SIZE=3)
def test_a_mail_server_failure_mid_batch_then_a_retry_sends_each_email_exactly_once() -> None:
    addresses = a_list(confirmed=8)
    FlakyBackend.allow, FlakyBackend.error = 4, ConnectionResetError
    post = make_post(status=Post.Status.DRAFT)

    actions.publish_post(post=post)  # the task fails after the 4th message

    assert len(mail.outbox) == 4
    assert post.deliveries.filter(status=Delivery.Status.SENDING).count() == 0
    assert Post.objects.get(pk=post.pk).delivery_finished_at is None

    FlakyBackend.allow = 1000
    tasks.deliver_post.call(post.pk)  # the retry

    assert Counter(recipients()) == Counter(addresses)
    assert Post.objects.get(pk=post.pk).delivery_finished_at is not None


@override_settings(EMAIL_BACKEND=FLAKY, BLOG_DELIVERY_BATCH_SIZE=3)
def test_a_worker_killed_mid_batch_is_restarted_after_a_stall_without_skips_or_repeats() -> None:
    addresses = a_list(confirmed=8)
    post = make_post()
    # What start_delivery records before it enqueues the task.
    Post.objects.filter(pk=post.pk).update(delivery_requested_at=timezone.now())
    FlakyBackend.allow, FlakyBackend.error = 5, WorkerKilled

    with pytest.raises(WorkerKilled):
        tasks.deliver_post.call(post.pk)

    # The dead worker left its claimed rows "sending" and told nobody.
    assert len(mail.outbox) == 5
    assert post.deliveries.filter(status=Delivery.Status.SENDING).count() == 1
    # Nothing is restarted while the worker might still be alive ...
    assert actions.resume_stalled_deliveries() == []

    # ... but once it has been quiet for longer than the stall timeout, the sweep restarts it.
    FlakyBackend.allow = 1000
    long_ago = timezone.now() - delivery.stall_timeout() - dt.timedelta(seconds=1)
    Post.objects.filter(pk=post.pk).update(delivery_heartbeat_at=long_ago)
    post.deliveries.filter(status=Delivery.Status.SENDING).update(claimed_at=long_ago)
    out = StringIO()
    call_command("publish_scheduled_posts", stdout=out)

    assert "Restarted email delivery" in out.getvalue()
    assert Counter(recipients()) == Counter(addresses)
    assert Post.objects.get(pk=post.pk).delivery_finished_at is not None


@override_settings(EMAIL_BACKEND=FLAKY, BLOG_DELIVERY_BATCH_SIZE=3)
def test_rows_of_a_killed_worker_are_taken_back_as_soon_as_its_heartbeat_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    addresses = a_list(confirmed=8)
    post = make_post()
    Post.objects.filter(pk=post.pk).update(delivery_requested_at=timezone.now())
    monkeypatch.setattr(worker, "_current_worker_id", "doomed")
    worker.beat(worker_id="doomed", now=timezone.now())
    FlakyBackend.allow, FlakyBackend.error = 5, WorkerKilled
    with pytest.raises(WorkerKilled):
        tasks.deliver_post.call(post.pk)
    assert post.deliveries.filter(status=Delivery.Status.SENDING, claimed_by="doomed").count() == 1

    # While the worker still beats (it might be alive), another run leaves its row alone ...
    monkeypatch.setattr(worker, "_current_worker_id", "next")
    FlakyBackend.allow = 1000
    tasks.deliver_post.call(post.pk)
    assert len(mail.outbox) == 7
    assert post.deliveries.filter(status=Delivery.Status.SENDING).count() == 1

    # ... and once its heartbeat is older than the lease, takes it back at once: no
    # waiting for BLOG_DELIVERY_STALL_SECONDS.
    dead_since = timezone.now() - dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS + 1)
    WorkerHeartbeat.objects.filter(pk="doomed").update(beat_at=dead_since)
    tasks.deliver_post.call(post.pk)
    assert Counter(recipients()) == Counter(addresses)
    assert Post.objects.get(pk=post.pk).delivery_finished_at is not None


@override_settings(EMAIL_BACKEND=FLAKY)
def test_an_unreachable_mail_server_leaves_every_row_pending_for_the_retry() -> None:
    addresses = a_list(confirmed=3)
    FlakyBackend.down = True
    post = make_post(status=Post.Status.DRAFT)
    actions.publish_post(post=post)
    assert mail.outbox == []
    assert set(post.deliveries.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    FlakyBackend.down, FlakyBackend.allow = False, 1000
    tasks.deliver_post.call(post.pk)
    assert Counter(recipients()) == Counter(addresses)


@override_settings(EMAIL_BACKEND=FLAKY, BLOG_DELIVERY_BATCH_SIZE=4)
def test_many_crashes_in_a_row_still_end_with_exactly_one_email_each() -> None:
    addresses = a_list(confirmed=10)
    post = make_post(status=Post.Status.DRAFT, email_subscribers=False)
    actions.publish_post(post=post)
    FlakyBackend.error = ConnectionResetError
    for _ in range(12):
        FlakyBackend.allow = 2
        tasks.deliver_post.enqueue(post.pk)  # each run fails after two messages
    assert Counter(recipients()) == Counter(addresses)


def test_two_runs_never_claim_the_same_rows() -> None:
    a_list(confirmed=6)
    post = make_post()
    delivery.fan_out(post)
    first = delivery.claim(post, size=4)
    second = delivery.claim(post, size=4)
    assert len(first) == 4 and len(second) == 2
    assert not {d.pk for d in first} & {d.pk for d in second}
    assert delivery.claim(post, size=4) == []


def test_the_recipient_list_is_written_once() -> None:
    a_list(confirmed=3)
    post = make_post()
    assert delivery.fan_out(post) == 3
    make_subscriber("late@example.org")
    assert delivery.fan_out(post) == 0
    assert post.deliveries.count() == 3


def test_someone_who_unsubscribes_before_their_turn_is_skipped() -> None:
    make_subscriber("stays@example.org")
    leaver = make_subscriber("leaves@example.org")
    post = make_post()
    delivery.fan_out(post)
    actions.unsubscribe(subscriber=leaver)
    actions.start_delivery(post=post)
    assert recipients() == ["stays@example.org"]
    assert post.deliveries.get(subscriber=leaver).status == Delivery.Status.SKIPPED


def test_an_address_the_mail_server_refuses_does_not_hold_up_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_subscriber("a@example.org")
    bad = make_subscriber("bad@example.org")
    make_subscriber("c@example.org")
    real_send = mail.EmailMultiAlternatives.send

    def send(message: mail.EmailMultiAlternatives, fail_silently: bool = False) -> int:
        if message.to == [bad.email]:
            raise smtplib.SMTPRecipientsRefused({bad.email: (550, b"No such user")})
        return real_send(message, fail_silently)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", send)
    post = make_post()
    actions.start_delivery(post=post)
    assert sorted(recipients()) == ["a@example.org", "c@example.org"]
    failed = post.deliveries.get(subscriber=bad)
    assert failed.status == Delivery.Status.FAILED and "No such user" in failed.last_error
    assert Post.objects.get(pk=post.pk).delivery_finished_at is not None


def test_publishing_again_after_taking_a_post_down_sends_nothing_new() -> None:
    make_subscriber("reader@example.org")
    post = make_post(status=Post.Status.DRAFT)
    actions.publish_post(post=post)
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)
    post.refresh_from_db()
    actions.publish_post(post=post)
    assert len(mail.outbox) == 1


def test_a_post_taken_down_before_its_emails_went_out_sends_them_when_it_is_back() -> None:
    make_subscriber("reader@example.org")
    post = make_post()
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)
    post.refresh_from_db()
    actions.start_delivery(post=post)  # the queued task runs after the post came down
    assert mail.outbox == []
    actions.publish_post(post=post)
    assert recipients() == ["reader@example.org"]
