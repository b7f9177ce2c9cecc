"""Every operation behind a token: another company's object is a 404, no token or a bad
or revoked one a 401, a read-only token on a write a 403.

The registry names every operation of the OpenAPI document that takes a token; one added
without an entry fails ``test_every_token_operation_is_in_the_registry``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.api.models import ApiToken
from mapertunity.applications.models import Application
from mapertunity.companies.models import Company
from mapertunity.jobs.models import Job
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_job

from .conftest import bearer
from .test_employer_jobs import POSTING

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Objects:
    job: Job
    application: Application


@dataclass(frozen=True)
class Op:
    write: bool
    path: Callable[[Objects], dict[str, Any]] = lambda o: {}
    body: dict[str, Any] = field(default_factory=dict)
    object_scoped: bool = True


def _job(o: Objects) -> dict[str, Any]:
    return {"job_id": o.job.pk}


def _application(o: Objects) -> dict[str, Any]:
    return {"application_id": o.application.pk}


REGISTRY: dict[str, Op] = {
    "GET /api/v1/employer/jobs": Op(write=False, object_scoped=False),
    "POST /api/v1/employer/jobs": Op(write=True, object_scoped=False, body=POSTING),
    "GET /api/v1/employer/jobs/{job_id}": Op(write=False, path=_job),
    "PATCH /api/v1/employer/jobs/{job_id}": Op(write=True, path=_job, body={"title": "Changed"}),
    "POST /api/v1/employer/jobs/{job_id}/publish": Op(write=True, path=_job),
    "POST /api/v1/employer/jobs/{job_id}/close": Op(write=True, path=_job),
    "GET /api/v1/employer/applications": Op(write=False, object_scoped=False),
    "GET /api/v1/employer/applications/{application_id}": Op(write=False, path=_application),
    "POST /api/v1/employer/applications/{application_id}/stage": Op(
        write=True, path=_application, body={"to": "reviewing"}
    ),
}


def _token_operations(client: Client) -> set[str]:
    spec = client.get("/api/v1/openapi.json").json()
    return {
        f"{method.upper()} {path}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if operation.get("security") and method != "head"
    }


def test_every_token_operation_is_in_the_registry(client: Client) -> None:
    assert _token_operations(client) == set(REGISTRY)


@pytest.fixture
def theirs(other_employer: User) -> Objects:
    """The other company's job (a draft, so publish would succeed) and an application."""
    company = Company.objects.for_user(other_employer).get()
    live = make_job(company, title="Their live job")
    application = apply_to(live, candidate_with_resume())
    draft = make_job(company, title="Their draft", status=Job.Status.DRAFT, posted_at=None)
    return Objects(job=draft, application=application)


def call(client: Client, label: str, objects: Objects, headers: dict[str, str]) -> Any:
    method, template = label.split(" ", 1)
    op = REGISTRY[label]
    path = template.format(**op.path(objects))
    send = getattr(client, method.lower())
    if method == "GET":
        return send(path, **headers)
    return send(path, op.body, content_type="application/json", **headers)


@pytest.mark.parametrize("label", sorted(name for name, op in REGISTRY.items() if op.object_scoped))
def test_another_companys_object_is_a_404(
    client: Client, write_token: str, theirs: Objects, label: str
) -> None:
    before = (theirs.job.status, Application.objects.get(pk=theirs.application.pk).stage)
    response = call(client, label, theirs, bearer(write_token))
    assert response.status_code == 404, response.content
    assert "detail" in response.json()
    theirs.job.refresh_from_db()
    after = (theirs.job.status, Application.objects.get(pk=theirs.application.pk).stage)
    assert after == before


def _revoked(token: str) -> str:
    ApiToken.objects.update(revoked_at=timezone.now())
    return token


@pytest.mark.parametrize("label", sorted(REGISTRY))
@pytest.mark.parametrize("how", ["none", "garbage", "wrong-secret", "revoked", "basic"])
def test_without_a_valid_token_it_is_a_401(
    client: Client, write_token: str, theirs: Objects, label: str, how: str
) -> None:
    prefix = write_token.rsplit("_", 1)[0]
    headers = {
        "none": {},
        "garbage": bearer("not-a-token"),
        "wrong-secret": bearer(f"{prefix}_{'x' * 43}"),
        "revoked": bearer(_revoked(write_token)) if how == "revoked" else {},
        "basic": {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
    }[how]
    response = call(client, label, theirs, headers)
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Bearer"
    assert "token" in response.json()["detail"]


@pytest.mark.parametrize("label", sorted(label for label, op in REGISTRY.items() if op.write))
def test_a_read_only_token_may_not_write(
    client: Client, read_token: str, company: Company, label: str
) -> None:
    job = make_job(company, title="Our draft", status=Job.Status.DRAFT, posted_at=None)
    ours = Objects(job=job, application=apply_to(make_job(company), candidate_with_resume()))
    response = call(client, label, ours, bearer(read_token))
    assert response.status_code == 403, response.content
    assert "read only" in response.json()["detail"]
    job.refresh_from_db()
    assert job.status == Job.Status.DRAFT and job.title == "Our draft"


def test_a_token_stops_working_when_its_owner_leaves_the_company(
    client: Client, write_token: str, employer: User
) -> None:
    assert client.get("/api/v1/employer/jobs", **bearer(write_token)).status_code == 200
    employer.memberships.all().delete()
    assert client.get("/api/v1/employer/jobs", **bearer(write_token)).status_code == 401
