"""Keyword search: the same behaviour from SQLite FTS5 and PostgreSQL full text."""

import pytest

from mapertunity.core import fulltext
from mapertunity.jobs import search
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db


def titles(jobs) -> list[str]:
    return [job.title for job in jobs]


def test_words_are_what_is_searched() -> None:
    assert fulltext.words('  "Senior" data-ENGINEER, (remote) OR *  ') == [
        "senior",
        "data",
        "engineer",
        "remote",
        "or",
    ]
    assert fulltext.words("¿Dónde? Zürich") == ["dónde", "zürich"]
    assert fulltext.words("!!! ---") == []
    assert len(fulltext.words(" ".join(f"w{i}" for i in range(40)))) == fulltext.MAX_WORDS


def test_it_finds_words_in_title_company_and_description() -> None:
    bakery = make_company(name="Sourdough Collective")
    make_job(title="Night Baker", description="Ovens at 3am.")
    make_job(bakery, title="Cashier", description="Front of house.")
    make_job(title="Driver", description="Deliver fresh **bread** to cafes.")
    assert titles(Job.objects.search("baker")) == ["Night Baker"]
    assert titles(Job.objects.search("sourdough")) == ["Cashier"]
    assert titles(Job.objects.search("bread")) == ["Driver"]


def test_every_word_must_match_and_stems_match() -> None:
    make_job(title="Registered Nurse", description="Night shifts on the ward.")
    make_job(title="Nurse Assistant", description="Day shifts.")
    assert titles(Job.objects.search("nurses")) != []
    assert set(titles(Job.objects.search("nurses"))) == {"Registered Nurse", "Nurse Assistant"}
    assert titles(Job.objects.search("nurse night")) == ["Registered Nurse"]
    assert titles(Job.objects.search("nurse pilot")) == []


def test_it_tells_title_matches_from_the_others() -> None:
    make_job(title="Forklift Operator", description="Move pallets; a welder's ticket helps.")
    make_job(title="Welder", description="MIG and TIG.")
    make_job(make_company(name="Welders Guild"), title="Cashier")
    make_job(title="Senior Welder", description="Night shifts.")
    assert titles(Job.objects.search("welder", in_title=True).order_by("title")) == [
        "Senior Welder",
        "Welder",
    ]
    assert titles(Job.objects.search("welder", in_title=False).order_by("title")) == [
        "Cashier",
        "Forklift Operator",
    ]
    # Every word must be in the title; a word elsewhere makes it a match of the other kind.
    assert titles(Job.objects.search("welder night", in_title=True)) == []
    assert titles(Job.objects.search("welder night", in_title=False).order_by("title")) == [
        "Cashier",  # the company's name and the description (the night shift)
        "Senior Welder",
    ]
    assert sorted(search.matching_ids("welders", in_title=True)) == sorted(
        Job.objects.filter(title__contains="Welder").values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "typed",
    ['"', "AND", "OR NOT", "title:x", "NEAR(a b)", "a*", "'; DROP TABLE jobs_job; --", "^x", "-"],
)
def test_no_input_is_a_syntax_error(typed: str) -> None:
    make_job(title="Title X")
    list(Job.objects.search(typed))
    search.matching_ids(typed)


def test_edits_renames_and_deletes_reach_the_search() -> None:
    company = make_company(name="Acme Tools")
    job = make_job(company, title="Machinist")
    job.title = "Toolmaker"
    job.save()
    assert titles(Job.objects.search("toolmaker")) == ["Toolmaker"]
    assert titles(Job.objects.search("machinist")) == []
    company.name = "Zenith Instruments"
    company.save()
    assert titles(Job.objects.search("zenith")) == ["Toolmaker"]
    assert titles(Job.objects.search("acme")) == []
    job.delete()
    assert list(search.matching_ids("toolmaker")) == []


def test_matching_ids_can_be_limited_to_some_jobs() -> None:
    jobs = [make_job(title=f"Painter {i}") for i in range(4)]
    make_job(title="Plumber")
    assert sorted(search.matching_ids("painter")) == sorted(j.pk for j in jobs)
    among = [jobs[0].pk, jobs[2].pk, 10**9]
    assert sorted(search.matching_ids("painter", among=among)) == [jobs[0].pk, jobs[2].pk]
    assert list(search.matching_ids("painter", among=[])) == []


def test_an_empty_query_leaves_the_queryset_alone() -> None:
    make_job()
    assert Job.objects.search("  ").count() == 1
    assert len(search.matching_ids("")) == 0
