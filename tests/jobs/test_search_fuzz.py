"""Hypothesis over the keyword search and the filter form on the real database engine:
whatever is typed, the search answers (no syntax error in FTS5 or tsquery), and the form
either gives filters or names the field at fault."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapertunity.core.fulltext import words
from mapertunity.jobs.filters import JobFilterForm, filters_from_query
from mapertunity.jobs.models import Job
from tests.helpers import make_job

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
tricky = st.sampled_from(
    ['"', "'", "NEAR(", "AND", "OR NOT", "*", "^", ":", "-", "(", ")", "&", "|", "!", "<->",
     "\\", "\x00", "nurse", "Nürse", "东京", "١٢٣"]
)  # fmt: skip


@pytest.fixture
def jobs() -> list[Job]:
    return [make_job(title="Night nurse"), make_job(title="Forklift driver (AND/OR)")]


@FUZZ
@given(query=st.lists(st.one_of(tricky, st.text(max_size=12)), max_size=8).map(" ".join))
def test_any_query_is_searched_without_error(jobs: list[Job], query: str) -> None:
    found = list(Job.objects.published().search(query).values_list("title", flat=True))
    # Every word must match: a query of only the title's own words finds it, whatever
    # operators and punctuation surround them.
    typed = words(query)
    if typed and set(typed) <= {"night", "nurse"}:
        assert "Night nurse" in found, typed


values = st.one_of(st.text(max_size=15), st.integers(-10, 10**7).map(str))


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(sorted(JobFilterForm.base_fields)), st.lists(values, max_size=3)
    )
)
def test_the_filter_form_gives_filters_or_names_the_field(jobs: list[Job], params: dict) -> None:
    query = QueryDict(mutable=True)
    for name, given_values in params.items():
        query.setlist(name, given_values)
    filters, form = filters_from_query(query)
    if filters is None:
        assert form is not None and form.errors
        assert set(form.errors) <= set(JobFilterForm.base_fields) | {"__all__"}
        assert form.error_text()
    else:
        assert filters.apply(Job.objects.published()).count() <= len(jobs)
