"""Subscribing: double opt-in, rate limits, and answers that reveal nothing."""

import datetime as dt
import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks import TaskContext

from mapertunity.blog import tasks
from mapertunity.blog.models import Subscriber
from mapertunity.blog.tokens import confirm_token
from mapertunity.core import worker
from mapertunity.core.models import WorkerHeartbeat

from .helpers import WorkerKilled, make_subscriber

pytestmark = pytest.mark.django_db


def subscribe(client: Client, email: str, **extra: str) -> str:
    """The page that comes back, without the CSRF tokens that differ on every page."""
    response = client.post("/blog/subscribe/", {"email": email, **extra})
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def confirm_link() -> str:
    [message] = mail.outbox
    return re.search(r"http://127\.0\.0\.1:8000(/blog/subscribe/confirm/\S+/)", message.body)[1]


def test_subscribing_sends_a_confirmation_link_and_nothing_else(client: Client) -> None:
    html = subscribe(client, "New.Reader@Example.org ")
    assert "check your inbox" in html
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "new.reader@example.org"
    assert not subscriber.is_confirmed
    assert not Subscriber.objects.confirmed().exists()
    [message] = mail.outbox
    assert message.to == ["new.reader@example.org"]
    assert "Confirm your subscription" in message.subject
    assert "/blog/subscribe/confirm/" in message.body


def test_following_the_link_asks_for_a_click_and_the_click_confirms(client: Client) -> None:
    subscribe(client, "reader@example.org")
    link = confirm_link()

    page = client.get(link)
    assert page.status_code == 200
    assert "Yes, subscribe reader@example.org" in page.content.decode()
    assert not Subscriber.objects.confirmed().exists()  # a mail scanner's GET does nothing

    done = client.post(link)
    assert "You're subscribed" in done.content.decode()
    assert Subscriber.objects.confirmed().get().email == "reader@example.org"


def test_the_answer_is_the_same_for_new_waiting_and_confirmed_addresses(client: Client) -> None:
    make_subscriber("confirmed@example.org")
    make_subscriber("waiting@example.org", confirmed=False)
    answers = {subscribe(client, email) for email in ("new@example.org", "confirmed@example.org")}
    answers.add(subscribe(client, "waiting@example.org"))
    assert len(answers) == 1
    # The confirmed address is not emailed again; the others get a link.
    assert sorted(m.to[0] for m in mail.outbox) == ["new@example.org", "waiting@example.org"]


def test_a_bad_address_gets_the_form_back_with_an_error(client: Client) -> None:
    response = client.post("/blog/subscribe/", {"email": "not an address"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html and 'value="not an address"' in html
    assert not Subscriber.objects.exists()


def test_with_htmx_only_the_form_fragment_comes_back(client: Client) -> None:
    response = client.post(
        "/blog/subscribe/", {"email": "reader@example.org"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="subscribe-box"')
    assert "<html" not in html and "check your inbox" in html


def test_the_hidden_trap_field_catches_bots_without_telling_them(client: Client) -> None:
    html = subscribe(client, "bot@example.org", website="https://spam.example.com")
    assert "check your inbox" in html
    assert not Subscriber.objects.exists() and mail.outbox == []


@override_settings(BLOG_SUBSCRIBE_PER_IP_PER_HOUR=3)
def test_one_network_can_only_try_a_few_times_an_hour(client: Client) -> None:
    for n in range(3):
        subscribe(client, f"person{n}@example.org")
    response = client.post("/blog/subscribe/", {"email": "person3@example.org"})
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert Subscriber.objects.count() == 3
    other_network = Client(REMOTE_ADDR="203.0.113.9")
    assert "check your inbox" in subscribe(other_network, "person3@example.org")


@override_settings(BLOG_SUBSCRIBE_PER_ADDRESS_PER_DAY=2)
def test_one_address_gets_at_most_a_few_links_a_day_however_often_it_is_entered() -> None:
    answers = set()
    for n in range(5):
        answers.add(subscribe(Client(REMOTE_ADDR=f"198.51.100.{n}"), "victim@example.org"))
    assert len(answers) == 1
    assert len(mail.outbox) == 2


def test_a_forged_or_expired_link_confirms_nothing(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscriber = make_subscriber("reader@example.org", confirmed=False)
    with monkeypatch.context() as m:
        eight_days_ago = time.time() - 8 * 24 * 3600
        m.setattr(time, "time", lambda: eight_days_ago)
        expired = confirm_token(subscriber)
    forged = confirm_token(subscriber)[:-2] + "xx"
    for token in (expired, forged, "nonsense"):
        response = client.post(f"/blog/subscribe/confirm/{token}/")
        assert response.status_code == 400
        assert "doesn't work any more" in response.content.decode()
    assert not Subscriber.objects.confirmed().exists()


def test_someone_who_left_can_come_back_through_a_new_confirmation(client: Client) -> None:
    make_subscriber("returning@example.org", unsubscribed=True)
    subscribe(client, "returning@example.org")
    client.post(confirm_link())
    assert Subscriber.objects.confirmed().get().email == "returning@example.org"


def test_the_subscribe_page_works_without_javascript(client: Client) -> None:
    page = client.get("/blog/subscribe/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'method="post" action="/blog/subscribe/"' in html
    assert html.count('class="subscribe-box"') == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def a_request(subscriber: Subscriber) -> TaskContext:
    """The context of one queued send_confirmation task, as the worker passes it."""
    return TaskContext(task_result=tasks.send_confirmation.enqueue(subscriber.pk))


def test_the_confirmation_task_run_again_after_a_crash_sends_no_second_link() -> None:
    subscriber = make_subscriber("new@example.org", confirmed=False)
    request = a_request(subscriber)
    assert tasks.send_confirmation.call(request, subscriber.pk)
    assert not tasks.send_confirmation.call(request, subscriber.pk)
    assert len(mail.outbox) == 1


def test_asking_again_is_a_new_request_that_gets_a_new_link() -> None:
    subscriber = make_subscriber("new@example.org", confirmed=False)
    tasks.send_confirmation.call(a_request(subscriber), subscriber.pk)
    tasks.send_confirmation.call(a_request(subscriber), subscriber.pk)
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] != second.extra_headers["Message-ID"]


def test_a_worker_killed_after_sending_repeats_the_link_only_once_it_is_dead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The one window left: the mail server accepted the link, the mark isn't written.
    subscriber = make_subscriber("new@example.org", confirmed=False)
    request = a_request(subscriber)
    monkeypatch.setattr(worker, "_current_worker_id", "doomed")
    worker.beat(worker_id="doomed", now=timezone.now())
    real_send = EmailMultiAlternatives.send

    def accepted_then_killed(message: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        real_send(message, fail_silently)
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", accepted_then_killed)
        with pytest.raises(WorkerKilled):
            tasks.send_confirmation.call(request, subscriber.pk)

    monkeypatch.setattr(worker, "_current_worker_id", "next")
    # While the first worker might still be alive, its claim holds ...
    assert not tasks.send_confirmation.call(request, subscriber.pk)
    # ... once its heartbeat is older than the lease, the task's next run sends again,
    # as the same message.
    dead_since = timezone.now() - dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS + 1)
    WorkerHeartbeat.objects.filter(pk="doomed").update(beat_at=dead_since)
    assert tasks.send_confirmation.call(request, subscriber.pk)
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"].startswith("<blog-confirm-")
