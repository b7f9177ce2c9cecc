"""Every object-scoped HTML route of the site, and what a stranger gets from it.

The registry below has one entry per URL name for every route whose URL takes a value (a
converter or a regex group) in the site's URLconf. Each says what another signed-in user,
an anonymous visitor and a signed-in account with no confirmed email get: 404 unless the
entry says otherwise. A route added without an entry fails
``test_every_object_route_is_in_the_registry``, naming the route.

- ``PRIVATE``: someone's own object; strangers get ``others`` (404) and anonymous visitors
  ``anonymous`` (a redirect to sign in, or 404).
- ``SECRET_LINK``: the URL's token is the key (email links, calendar feeds); a forged
  token gets ``others`` for everyone and opens nothing.
- ``PUBLIC``: public by design; the entry names the reason and, where the route can also
  point at something not public (a draft job, a hidden profile), that object is the one
  tested, and strangers get ``others``.
- ``OPEN``: public pages whose value is a public name (a blog category); the reason is
  the entry, there is nothing to test.

Every route under ``/admin/`` is staff-only: ``test_the_admin_is_staff_only`` requests each
one and expects the admin's sign-in redirect, so admin routes need no entry.
API operations (``/api/v1/``) are covered by tests/api/.

To add a route: add one line to ``REGISTRY`` with a ``kwargs`` that builds its URL from the
``World`` (add the object to ``World`` if it is new).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mapertunity.accounts.models import User
from mapertunity.alerts.models import Alert
from mapertunity.api import actions as api_actions
from mapertunity.api.models import ApiToken
from mapertunity.applications.models import Application
from mapertunity.billing.models import Movement
from mapertunity.blog.models import Post
from mapertunity.candidates.models import CandidateProfile
from mapertunity.companies.models import Company
from mapertunity.followup.models import CoachSettings, Contact, Draft, Interview, Step
from mapertunity.jobs.models import Job
from tests.alerts.helpers import make_alert
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.blog.helpers import make_post
from tests.followup.helpers import local, record
from tests.helpers import make_job

pytestmark = pytest.mark.django_db

LOGIN = "login"
"""A redirect to the site's sign-in page."""

FORGED = "forged-0000000000000000000000000000:1abcde:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"


@dataclass
class World:
    """One of everything, owned by people the intruders are not."""

    application: Application
    interview: Interview
    step: Step
    draft: Draft
    contact: Contact
    coach: CoachSettings
    job: Job
    draft_job: Job
    hidden: CandidateProfile
    draft_post: Post
    alert: Alert
    company: Company
    movements: int
    token: ApiToken


@dataclass(frozen=True)
class Route:
    kind: str
    kwargs: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    method: str = "get"
    data: dict[str, str] | None = None
    others: int = 404
    """What another user and an unconfirmed account get."""
    others_by: dict[str, int] = field(default_factory=dict)
    """Exceptions to ``others`` by intruder (see ``_intruders``), each stated here."""
    anonymous: int | str = LOGIN
    """What an anonymous visitor gets: a status, or LOGIN."""
    reason: str = ""


PRIVATE, SECRET_LINK, PUBLIC, OPEN = "private", "secret link", "public", "open"


def _application(w: World) -> dict[str, Any]:
    return {"application_id": w.application.pk}


def _conversation(w: World) -> dict[str, Any]:
    return {"conversation_id": w.application.conversation.pk}


def _job(w: World) -> dict[str, Any]:
    return {"job_id": w.job.pk}


def _interview(w: World) -> dict[str, Any]:
    return {"interview_id": w.interview.pk}


def _alert(w: World) -> dict[str, Any]:
    return {"alert_id": w.alert.pk}


def _company(w: World) -> dict[str, Any]:
    return {"company_slug": w.company.slug}


def _token(w: World) -> dict[str, Any]:
    return {"token": FORGED}


REGISTRY: dict[str, Route] = {
    # Applications and messages: the candidate's and the hiring company's only.
    "applications:detail": Route(PRIVATE, _application),
    "applications:withdraw": Route(PRIVATE, _application, "post"),
    "applications:employer_detail": Route(PRIVATE, _application),
    "applications:move": Route(PRIVATE, _application, "post", {"to": "reviewing"}),
    "applications:add_note": Route(PRIVATE, _application, "post", {"text": "hi"}),
    "applications:resume": Route(PRIVATE, _application),
    "applications:pipeline": Route(PRIVATE, _job),
    "applications:questions": Route(PRIVATE, _job),
    "applications:conversation": Route(PRIVATE, _conversation),
    "applications:answer_invitation": Route(PRIVATE, _conversation, "post", {"answer": "accept"}),
    "applications:block": Route(PRIVATE, _conversation, "post"),
    "applications:report": Route(PRIVATE, _conversation, "post", {"reason": "spam"}),
    "applications:invite": Route(
        PUBLIC,
        lambda w: {"handle": w.hidden.user.handle},
        # Only verified employers write first; anyone else gets the same "employers only"
        # page (403) whatever the ID, so it tells them nothing about the profile.
        others_by={"another candidate": 403, "an unconfirmed account": 403},
        reason="writing to a candidate by ID; a hidden profile's ID leads nowhere",
    ),
    "applications:apply": Route(
        PUBLIC,
        lambda w: {"job_id": w.draft_job.pk},
        anonymous=404,
        reason="the apply form of a live job; a draft's is nobody's",
    ),
    # Jobs.
    "jobs:detail_short": Route(
        PUBLIC,
        lambda w: {"job_id": w.draft_job.pk},
        anonymous=404,
        reason="a live job's page; a draft's is not there",
    ),
    "jobs:detail": Route(
        PUBLIC,
        lambda w: {"job_id": w.draft_job.pk, "slug": w.draft_job.slug},
        anonymous=404,
        reason="a live job's page; a draft's is not there",
    ),
    "employers:job_edit": Route(PRIVATE, _job),
    "employers:job_publish": Route(PRIVATE, _job, "post"),
    "employers:job_close": Route(PRIVATE, _job, "post"),
    "employers:job_delete": Route(PRIVATE, lambda w: {"job_id": w.draft_job.pk}, "post"),
    "employers:job_renew": Route(PRIVATE, _job, "post"),
    "employers:job_still_open": Route(PRIVATE, _job, "post"),
    "employers:job_renew_link": Route(SECRET_LINK, _token, others=400, anonymous=400),
    "moderation:report_job": Route(
        PUBLIC,
        lambda w: {"job_id": w.draft_job.pk},
        reason="any signed-in user may report a live job; a draft is nobody's to report",
    ),
    "companies:verify_domain_confirm": Route(SECRET_LINK, _token, others=400, anonymous=400),
    # Candidates.
    "candidates:profile": Route(
        PUBLIC,
        lambda w: {"handle": w.hidden.user.handle},
        anonymous=404,
        reason="a profile its owner made visible; a hidden one is the same 404 as none",
    ),
    "candidates:resume_download": Route(PRIVATE, lambda w: {"resume_id": w.hidden.resume.pk}),
    "candidates:signup_step": Route(
        OPEN, reason="a step of the visitor's own signup, kept in their own session"
    ),
    # Accounts and email links.
    "accounts:unsubscribe": Route(SECRET_LINK, _token, others=400, anonymous=400),
    "account_confirm_email": Route(
        SECRET_LINK,
        lambda w: {"key": "forged-key"},
        others=200,
        anonymous=200,
        reason="allauth answers a forged key with its 'invalid link' page and confirms nothing",
    ),
    "account_reset_password_from_key": Route(
        SECRET_LINK,
        lambda w: {"uidb36": "1", "key": "forged-key"},
        others=200,
        anonymous=200,
        reason="allauth answers a forged key with its 'bad token' page and changes nothing",
    ),
    # The blog.
    "blog:post": Route(
        PUBLIC,
        lambda w: {"slug": w.draft_post.slug},
        anonymous=404,
        reason="a published post; drafts are shown to staff only",
    ),
    "blog:category": Route(OPEN, reason="a public category's posts"),
    "blog:category_feed_rss": Route(OPEN, reason="a public category's feed"),
    "blog:category_feed_atom": Route(OPEN, reason="a public category's feed"),
    "blog:tag": Route(OPEN, reason="a public tag's posts"),
    "blog:author": Route(OPEN, reason="a public author page"),
    "blog:confirm": Route(SECRET_LINK, _token, others=400, anonymous=400),
    "blog:unsubscribe": Route(SECRET_LINK, _token, others=400, anonymous=400),
    # Follow-up: the candidate's own.
    "followup:record_for_application": Route(PRIVATE, _application),
    "followup:interview": Route(PRIVATE, _interview),
    "followup:edit": Route(PRIVATE, _interview),
    "followup:notes": Route(PRIVATE, _interview, "post", {"to_say": "x"}),
    "followup:replied": Route(PRIVATE, _interview, "post"),
    "followup:delete": Route(PRIVATE, _interview, "post"),
    "followup:download": Route(PRIVATE, _interview),
    "followup:step": Route(PRIVATE, lambda w: {"step_id": w.step.pk}, "post", {"state": "done"}),
    "followup:draft": Route(
        PRIVATE,
        lambda w: {"draft_id": w.draft.pk},
        "post",
        {"intent": "send_anyway", "to": "x@example.com", "subject": "s", "body": "b"},
    ),
    "followup:contact": Route(
        PRIVATE, lambda w: {"contact_id": w.contact.pk}, "post", {"name": "Taken over"}
    ),
    "followup:checked_in": Route(PRIVATE, lambda w: {"contact_id": w.contact.pk}, "post"),
    "followup:delete_contact": Route(PRIVATE, lambda w: {"contact_id": w.contact.pk}, "post"),
    "followup:feed": Route(SECRET_LINK, lambda w: {"token": "forged-feed-token"}, anonymous=404),
    # API tokens: their owner's only.
    "api_tokens:revoke": Route(PRIVATE, lambda w: {"token_id": w.token.pk}, "post"),
    # Credits: the company's members only.
    "billing:company_credits": Route(PRIVATE, _company),
    "billing:buy": Route(PRIVATE, _company, "post", {"pack": "one"}),
    # Alerts and saved jobs: the seeker's own.
    "alerts:edit": Route(PRIVATE, _alert),
    "alerts:pause": Route(PRIVATE, _alert, "post", {"paused": "1"}),
    "alerts:delete": Route(PRIVATE, _alert, "post"),
    "alerts:rotate_feed": Route(PRIVATE, _alert, "post"),
    "alerts:revoke_feed": Route(PRIVATE, _alert, "post"),
    "alerts:feed": Route(SECRET_LINK, lambda w: {"token": "forged-feed-token"}, anonymous=404),
    "alerts:unsubscribe": Route(SECRET_LINK, _token, others=400, anonymous=400),
    "alerts:save_job": Route(
        PUBLIC,
        lambda w: {"job_id": w.draft_job.pk},
        "post",
        reason="any signed-in user may save a live job; a draft is nobody's to save",
    ),
    # Files.
    "media": Route(OPEN, reason="company logos and blog images, public by nature"),
}

NOT_HTML = ("api-", "ninja")
"""Namespaces of the JSON API (tests/api/ covers its operations)."""


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            name = pattern.name or ""
            full = f"{namespace}:{name}" if namespace and name else name
            yield full, prefix + str(pattern.pattern), pattern


def _takes_a_value(route: str) -> bool:
    return "<" in route or "(?P" in route


def object_routes() -> list[tuple[str, str]]:
    """(name, route) of every pattern that takes a value, outside the admin and the API."""
    found = []
    for name, route, _ in _walk(get_resolver().url_patterns):
        if not _takes_a_value(route) or route.startswith(("admin/", "api/")):
            continue
        if name.startswith(NOT_HTML):
            continue
        found.append((name or f"<unnamed> {route}", route))
    return found


def admin_routes() -> list[str]:
    return sorted(
        {
            route
            for _, route, _ in _walk(get_resolver().url_patterns)
            if route.startswith("admin/") and _takes_a_value(route)
        }
    )


def test_every_object_route_is_in_the_registry() -> None:
    missing = [f"{name}  ({route})" for name, route in object_routes() if name not in REGISTRY]
    assert not missing, (
        "Object-scoped routes with no entry in tests/test_permissions.py REGISTRY "
        "(add one line each, saying who may see it):\n  " + "\n  ".join(missing)
    )
    stale = set(REGISTRY) - {name for name, _ in object_routes()}
    assert not stale, f"Registry entries for routes that no longer exist: {sorted(stale)}"


def test_the_registry_check_names_a_route_it_does_not_know() -> None:
    names = {name for name, _ in object_routes()}
    assert "followup:interview" in names and "jobs:detail" in names
    assert "jobs:list" not in names  # no value in its URL: not object-scoped


@pytest.fixture
def world(company, staff, employer) -> World:
    owner = candidate_with_resume("the-owner")
    job = make_job(company, title="Night Shift Lead")
    application = apply_to(job, owner)
    interview = record(
        owner.user, starts_at=local("America/New_York", 2025, 6, 3, 10), application=application
    )
    step = interview.steps.get(kind="thank_you", interviewer__contact__name="Ana Ruiz")
    hidden = candidate_with_resume("hidden-one", visibility=CandidateProfile.Visibility.HIDDEN)
    mail.outbox.clear()
    return World(
        application=application,
        interview=interview,
        step=step,
        draft=step.drafts.get(),
        contact=step.interviewer.contact,
        coach=CoachSettings.objects.get(user=owner.user),
        job=job,
        draft_job=make_job(company, title="Unannounced Role", status=Job.Status.DRAFT),
        hidden=hidden,
        draft_post=make_post(title="Not out yet", status=Post.Status.DRAFT),
        alert=make_alert(owner.user, name="Night shifts"),
        company=company,
        movements=Movement.objects.filter(company=company).count(),
        token=api_actions.create_token(user=employer, company=company, name="ATS", scope="read")[0],
    )


def _intruders(other_employer: User) -> dict[str, User]:
    unconfirmed = User.objects.create_user("unconfirmed@example.org", "correct-horse-battery")
    return {
        "another candidate": candidate_with_resume("nosy-neighbour").user,
        "another employer": other_employer,
        "an unconfirmed account": unconfirmed,
    }


def _is_login_redirect(response: Any, login_path: str = "/accounts/login/") -> bool:
    return response.status_code == 302 and login_path in response["Location"]


def _request(client: Client, route: Route, url: str) -> Any:
    return getattr(client, route.method)(url, route.data or {})


TESTED = sorted(name for name, r in REGISTRY.items() if r.kind != OPEN)


@pytest.mark.parametrize("name", TESTED)
def test_strangers_get_nothing(client: Client, world: World, other_employer, name: str) -> None:
    route = REGISTRY[name]
    url = reverse(name, kwargs=route.kwargs(world))
    for who, user in _intruders(other_employer).items():
        client.force_login(user)
        response = _request(client, route, url)
        expected = route.others_by.get(who, route.others)
        assert response.status_code == expected, (name, who, response.status_code)
    client.logout()
    response = _request(client, route, url)
    if route.anonymous == LOGIN:
        assert _is_login_redirect(response), (name, "anonymous", response.status_code)
    else:
        assert response.status_code == route.anonymous, (name, "anonymous", response.status_code)
    _unchanged(world)


def _unchanged(world: World) -> None:
    application = Application.objects.get(pk=world.application.pk)
    assert application.stage == "applied" and not application.notes.exists()
    assert not application.conversation.is_blocked
    assert application.conversation.reported_at is None
    assert Job.objects.get(pk=world.job.pk).status == Job.Status.PUBLISHED
    assert Job.objects.get(pk=world.draft_job.pk).status == Job.Status.DRAFT
    assert Interview.objects.filter(pk=world.interview.pk, status="waiting").exists()
    assert Contact.objects.get(pk=world.contact.pk).name == "Ana Ruiz"
    assert Step.objects.get(pk=world.step.pk).state == "open"
    assert Draft.objects.get(pk=world.draft.pk).sent_at is None
    alert = Alert.objects.get(pk=world.alert.pk)
    assert alert.paused_at is None and alert.feed_token == world.alert.feed_token
    assert Movement.objects.filter(company=world.company).count() == world.movements
    assert ApiToken.objects.get(pk=world.token.pk).revoked_at is None
    assert mail.outbox == []


def test_the_owners_do_reach_their_objects(client: Client, world: World, employer) -> None:
    # So the 404s above mean "not yours", not "broken".
    client.force_login(world.application.candidate.user)
    for name in ("applications:detail", "followup:interview", "applications:conversation"):
        url = reverse(name, kwargs=REGISTRY[name].kwargs(world))
        assert client.get(url).status_code == 200, name
    client.force_login(employer)
    for name in ("applications:employer_detail", "applications:pipeline", "employers:job_edit"):
        url = reverse(name, kwargs=REGISTRY[name].kwargs(world))
        assert client.get(url).status_code == 200, name
    client.force_login(world.hidden.user)
    url = reverse("candidates:profile", kwargs={"handle": world.hidden.user.handle})
    assert client.get(url).status_code == 200


def _admin_url(route: str) -> str:
    url = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    url = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", "jobs/", url)
    url = re.sub(r"\(\?P<url>\.\*\)\$", "anything/", url)
    return "/" + url


@pytest.mark.parametrize("route", admin_routes())
def test_the_admin_is_staff_only(client: Client, other_employer, route: str) -> None:
    url = _admin_url(route)
    for who, user in _intruders(other_employer).items():
        client.force_login(user)
        response = client.get(url)
        assert _is_login_redirect(response, "/admin/login/"), (route, who, response.status_code)
    client.logout()
    assert _is_login_redirect(client.get(url), "/admin/login/"), route
