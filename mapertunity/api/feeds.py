"""``/jobs/feed/jobs.xml``: every live job in the XML format job aggregators take from
direct employers (Indeed's fields), plus each company's responsiveness figures.

Text goes in CDATA sections (a ``]]>`` in it is split across two), characters XML can't
carry are dropped, and the document streams, so a big site's feed never sits in memory.
``tests/api/indeed_feed.xsd`` describes the document; the feed test validates against it.
"""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import format_datetime

from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from mapertunity.applications.metrics import NEW, Responsiveness, responsiveness
from mapertunity.core.choices import EmploymentType, Workplace
from mapertunity.core.links import absolute_url
from mapertunity.core.xmltext import xml_text
from mapertunity.jobs.models import Job, detail_url

JOB_TYPES: dict[str, str] = {
    EmploymentType.FULL_TIME: "fulltime",
    EmploymentType.PART_TIME: "parttime",
    EmploymentType.CONTRACT: "contract",
    EmploymentType.TEMPORARY: "temporary",
    EmploymentType.INTERNSHIP: "internship",
}
REMOTE_TYPES: dict[str, str] = {Workplace.REMOTE: "Fully remote", Workplace.HYBRID: "Hybrid remote"}
CHUNK = 500


def cdata(value: object) -> str:
    text = xml_text(value).replace("]]>", "]]]]><![CDATA[>")
    return f"<![CDATA[{text}]]>"


def _element(name: str, value: object) -> str:
    return f"<{name}>{cdata(value)}</{name}>"


def _responsiveness(figures: Responsiveness) -> str:
    if figures.is_new:
        return f'<responsiveness new="true" judged="{figures.judged}"/>'
    median = "" if figures.median_hours is None else f' medianhours="{figures.median_hours:.1f}"'
    return (
        f'<responsiveness new="false" judged="{figures.judged}" '
        f'ratepercent="{figures.rate_percent}"{median}/>'
    )


def job_xml(job: Job, figures: Responsiveness) -> str:
    parts = [
        _element("title", job.title),
        _element("date", format_datetime(job.posted_at or job.created_at, usegmt=True)),
        _element("referencenumber", job.pk),
        _element("url", absolute_url(detail_url(job.pk, job.slug))),
        _element("company", job.company.name),
        _element("city", job.city),
        _element("state", job.region),
        _element("country", job.country),
        _element("postalcode", job.postal_code),
        _element("description", job.description_html),
        _element("salary", job.pay),
        _element("jobtype", JOB_TYPES.get(job.employment_type, job.employment_type)),
    ]
    if job.workplace in REMOTE_TYPES:
        parts.append(_element("remotetype", REMOTE_TYPES[job.workplace]))
    parts.append(_element("expirationdate", format_datetime(job.valid_through, usegmt=True)))
    parts.append(_responsiveness(figures))
    return "<job>" + "".join(parts) + "</job>\n"


def feed_lines() -> Iterator[str]:
    yield '<?xml version="1.0" encoding="utf-8"?>\n<source>\n'
    yield f"<publisher>{cdata('Mapertunity')}</publisher>\n"
    yield f"<publisherurl>{cdata(absolute_url(reverse('home')))}</publisherurl>\n"
    yield f"<lastBuildDate>{format_datetime(timezone.now(), usegmt=True)}</lastBuildDate>\n"
    jobs = Job.objects.published().select_related("company").order_by("-posted_at", "-id")
    batch: list[Job] = []
    for job in jobs.iterator(chunk_size=CHUNK):
        batch.append(job)
        if len(batch) == CHUNK:
            yield from _batch(batch)
            batch = []
    yield from _batch(batch)
    yield "</source>\n"


def _batch(jobs: list[Job]) -> Iterator[str]:
    figures = responsiveness({job.company_id for job in jobs})
    for job in jobs:
        yield job_xml(job, figures.get(job.company_id, NEW))


@require_safe
def indeed_feed(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(feed_lines(), content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=900"
    return response
