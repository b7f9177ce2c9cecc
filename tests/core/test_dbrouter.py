"""The replica router: who reads where, and a visitor always sees their own write."""

from collections.abc import Callable

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from mapertunity.core.dbrouter import (
    PIN_COOKIE,
    PrimaryReplicaRouter,
    ReplicaRoutingMiddleware,
    reading_from_replica,
)
from mapertunity.jobs.models import Job

router = PrimaryReplicaRouter()


def serve(
    request: HttpRequest, view: Callable[[HttpRequest], HttpResponse]
) -> tuple[HttpResponse, list[str]]:
    """Run `view` behind the middleware; the databases its reads would use, in order."""
    reads: list[str] = []

    def traced(request: HttpRequest) -> HttpResponse:
        reads.append(router.db_for_read(Job))
        response = view(request)
        reads.append(router.db_for_read(Job))
        return response

    return ReplicaRoutingMiddleware(traced)(request), reads


def read_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def writes(request: HttpRequest) -> HttpResponse:
    router.db_for_write(Job)  # what Django asks before any INSERT/UPDATE/DELETE
    return HttpResponse("ok")


def test_outside_a_request_everything_reads_the_primary() -> None:
    # Task workers, management commands and the map's change-log poll thread.
    assert router.db_for_read(Job) == "default"
    assert not reading_from_replica()
    assert router.db_for_write(Job) == "default"


def test_a_visitors_get_reads_the_replica_and_is_not_pinned() -> None:
    response, reads = serve(RequestFactory().get("/jobs/"), read_only)
    assert reads == ["replica", "replica"]
    assert PIN_COOKIE not in response.cookies


def test_a_post_reads_the_primary_and_pins_the_visitor_for_a_few_seconds(settings) -> None:
    settings.REPLICA_PIN_SECONDS = 7
    response, reads = serve(RequestFactory().post("/employers/jobs/new/"), writes)
    assert reads == ["default", "default"]
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 7 and cookie["httponly"]


def test_the_next_get_of_a_pinned_visitor_reads_the_primary() -> None:
    factory = RequestFactory()
    factory.cookies[PIN_COOKIE] = "1"
    _, reads = serve(factory.get("/employers/"), read_only)
    assert reads == ["default", "default"]


def test_a_get_that_writes_reads_its_write_back_and_pins_the_visitor() -> None:
    response, reads = serve(RequestFactory().get("/messages/1/"), writes)
    assert reads == ["replica", "default"]
    assert PIN_COOKIE in response.cookies


def test_the_routing_ends_with_the_request() -> None:
    serve(RequestFactory().get("/"), read_only)
    assert router.db_for_read(Job) == "default"


@pytest.mark.django_db
def test_inside_a_transaction_reads_go_to_the_primary() -> None:
    # pytest-django wraps the test in a transaction on the primary.
    _, reads = serve(RequestFactory().get("/"), read_only)
    assert reads == ["default", "default"]


def test_migrations_only_on_the_primary() -> None:
    assert router.allow_migrate("default", "jobs")
    assert not router.allow_migrate("replica", "jobs")
