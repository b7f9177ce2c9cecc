"""Build the demo companies and jobs as unsaved model instances, deterministically from a seed.

Nothing here touches the database; ``load.py`` saves what this returns. The same seed,
sizes and ``now`` give the same rows, because every random choice comes from one
``random.Random(seed)`` consumed in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify

from mapertunity.companies.models import Company
from mapertunity.core.choices import EmploymentType, PayPeriod, Workplace
from mapertunity.core.markdown import render_markdown
from mapertunity.core.money import format_pay
from mapertunity.geo.gazetteer import Place, country_name, get_gazetteer
from mapertunity.geo.morton import morton_key
from mapertunity.jobs.models import Job

from .fields import FIELDS_BY_KEY, LADDER, Field
from .pay import pay_for
from .places import job_slots, pick_places, place_pool
from .sites import Sites
from .text import company_description, company_name, job_description
from .words import SECTORS, Sector

POSTED_WITHIN = dt.timedelta(days=25)
VALID_FOR = dt.timedelta(days=30)
JOBS_PER_PLACE = 6
"""Average jobs per place; sets how many distinct places a run uses."""

# Companies that hire far from home are mostly the office-based kinds.
_WIDE_REACH_SECTORS = {"tech", "finance", "research", "support", "creative"}

DEMO_COMPANY_NAME = "Harbor & Pine Outfitters"
DEMO_COMPANY_BLURB = "sells outdoor clothing, tents and repair kits in its own stores and online"
DEMO_COMPANY_HQ = "Portland, OR"
# (field, title, place, workplace, employment type, status) of the demo employer's jobs.
DEMO_JOBS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("retail", "Store Manager", "Portland, OR", "onsite", "full_time", "published"),
    ("retail", "Sales Associate", "Portland, OR", "onsite", "part_time", "published"),
    ("logistics", "Warehouse Associate", "Portland, OR", "onsite", "full_time", "published"),
    ("design", "Product Designer", "Seattle, WA", "hybrid", "full_time", "published"),
    ("support", "Customer Support Specialist", "Portland, OR", "remote", "full_time", "published"),
    ("retail", "Assistant Store Manager", "Denver, CO", "onsite", "full_time", "published"),
    ("retail", "Visual Merchandiser", "Vancouver, BC", "onsite", "full_time", "published"),
    ("retail", "Stock Associate", "Boise, ID", "onsite", "part_time", "draft"),
    ("retail", "Sales Associate", "Seattle, WA", "onsite", "temporary", "closed"),
)
DEMO_REMOTE_COUNTRIES = ("US", "CA")


@dataclass
class DemoData:
    companies: list[Company]
    """All companies, the demo employer's first."""
    jobs: list[Job]
    """The published jobs of the generated companies, oldest first."""
    demo_company: Company
    demo_jobs: list[Job]
    """The demo employer's jobs: published ones, a draft and a closed one."""


@dataclass
class _Plan:
    company: Company
    sector: Sector
    blurb: str
    hq: Place
    reach: str
    """"local" (own country), "regional" (own continent) or "global"."""
    weight: int
    """How much it hires, relative to the others."""


class _Builder:
    def __init__(
        self, rng: random.Random, now: dt.datetime, pool: dict[str, list[Place]], sites: Sites
    ) -> None:
        self.rng = rng
        self.now = now
        self.sites = sites
        self.countries_by_continent = {
            continent: sorted({p.country_code for p in places})
            for continent, places in pool.items()
        }

    def company(self, sector: Sector, hq: Place, taken: set[str]) -> _Plan:
        rng = self.rng
        blurb, suffixes = rng.choice(sector.kinds)
        name = company_name(rng, suffixes)
        for _ in range(20):  # past that, a numbered slug is better than looping forever
            if slugify(name) not in taken:
                break
            name = company_name(rng, suffixes)
        wide = sector.key in _WIDE_REACH_SECTORS
        reach = rng.choices(
            ("local", "regional", "global"), weights=(3, 4, 3) if wide else (6, 3, 1)
        )
        company = _company(
            name, taken, company_description(rng, name=name, blurb=blurb, hq=hq.name), hq
        )
        return _Plan(company, sector, blurb, hq, reach[0], rng.choice((1, 1, 2, 3, 5)))

    def job(
        self,
        plan: _Plan,
        place: Place,
        *,
        field_key: str | None = None,
        title: str | None = None,
        workplace: str | None = None,
        employment_type: str | None = None,
        remote_countries: list[str] | None = None,
        status: str = Job.Status.PUBLISHED,
        same_building: bool | None = None,
    ) -> Job:
        rng = self.rng
        if field_key is None:
            keys, weights = zip(*plan.sector.fields, strict=True)
            field_key = rng.choices(keys, weights=weights)[0]
        work = FIELDS_BY_KEY[field_key]
        employment_type = employment_type or self._employment_type(work)
        title, multiple = self._title(work, employment_type, title)
        workplace = workplace or self._workplace(work, employment_type)
        if workplace != Workplace.REMOTE:
            remote_countries = []
        elif remote_countries is None:
            remote_countries = self._remote_countries(place)
        pay = pay_for(
            rng,
            country=place.country_code,
            multiple=multiple,
            field_key=field_key,
            shift_work=work.shift_work,
            employment_type=employment_type,
        )
        period_label = PayPeriod(pay.period).label
        description = job_description(
            rng,
            field=work,
            title=title,
            company=plan.company.name,
            company_blurb=plan.blurb,
            city=place.name,
            country_name=place.country_name,
            workplace=workplace,
            remote_country_names=[country_name(code) for code in remote_countries],
            employment_type=employment_type,
            pay_text=format_pay(pay.salary_min, pay.salary_max, pay.currency, period_label),
        )
        age = dt.timedelta(seconds=rng.randrange(int(POSTED_WITHIN.total_seconds())))
        posted_at: dt.datetime | None = self.now - age
        valid_through = self.now - age + VALID_FOR
        if status == Job.Status.DRAFT:
            posted_at, valid_through = None, self.now + VALID_FOR
        elif status == Job.Status.CLOSED:
            posted_at, valid_through = self.now - age - VALID_FOR, self.now - age
        site = self.sites.site(plan.company.slug, place, same_building=same_building)
        return Job(
            company=plan.company,
            title=title,
            # bulk_create skips Job.save(), so the derived columns are filled here.
            slug=slugify(title)[:160] or "job",
            description=description,
            description_html=render_markdown(description),
            lat=site.lat,
            lng=site.lng,
            city=place.name,
            region=place.region,
            country=place.country_code,
            street_address=site.street_address,
            postal_code=site.postal_code or place.postal_code,
            morton_key=morton_key(site.lat, site.lng),
            workplace=workplace,
            remote_countries=remote_countries,
            employment_type=employment_type,
            salary_min=pay.salary_min,
            salary_max=pay.salary_max,
            salary_currency=pay.currency,
            salary_period=pay.period,
            status=status,
            posted_at=posted_at,
            valid_through=valid_through,
        )

    def _employment_type(self, work: Field) -> str:
        weights = (60, 20, 7, 10, 3) if work.shift_work else (78, 6, 11, 2, 3)
        types = (
            EmploymentType.FULL_TIME,
            EmploymentType.PART_TIME,
            EmploymentType.CONTRACT,
            EmploymentType.TEMPORARY,
            EmploymentType.INTERNSHIP,
        )
        return self.rng.choices(types, weights=weights)[0]

    def _title(self, work: Field, employment_type: str, title: str | None) -> tuple[str, float]:
        """The title and its pay as a multiple of the country's reference pay."""
        if title is not None:
            role = next(r for r in work.roles if r.title == title)
            return role.title, role.pay
        if employment_type == EmploymentType.INTERNSHIP:
            return work.intern_title, 0.45
        role = self.rng.choice(work.roles)
        if not role.ladder:
            return role.title, role.pay
        pattern, multiple, _ = self.rng.choices(LADDER, weights=[w for *_, w in LADDER])[0]
        return pattern.format(role.title), role.pay * multiple

    def _workplace(self, work: Field, employment_type: str) -> str:
        if employment_type in (EmploymentType.INTERNSHIP, EmploymentType.TEMPORARY):
            return Workplace.ONSITE
        r = self.rng.random()
        if r < work.remote_share:
            return Workplace.REMOTE
        if r < work.remote_share + work.hybrid_share:
            return Workplace.HYBRID
        return Workplace.ONSITE

    def _remote_countries(self, place: Place) -> list[str]:
        others = [
            code
            for code in self.countries_by_continent.get(place.continent, [])
            if code != place.country_code
        ]
        extra = self.rng.sample(others, k=min(len(others), self.rng.choice((0, 1, 1, 2))))
        return [place.country_code, *extra]


def _company(name: str, taken: set[str], description: str, hq: Place) -> Company:
    base = slugify(name)[:120] or "company"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return Company(
        name=name,
        slug=slug,
        website=f"https://{slug}.example.com",
        description=description,
        hq_city=hq.name,
        hq_region=hq.region,
        hq_country=hq.country_code,
        hq_lat=hq.lat,
        hq_lng=hq.lng,
    )


def _place(query: str) -> Place:
    place = get_gazetteer().geocode(query)
    if place is None:
        raise LookupError(f"The gazetteer has no match for {query!r}.")
    return place


def _demo_employer(builder: _Builder, taken: set[str]) -> tuple[_Plan, list[Job]]:
    hq = _place(DEMO_COMPANY_HQ)
    retail = next(s for s in SECTORS if s.key == "retail")
    description = (
        f"{DEMO_COMPANY_NAME} {DEMO_COMPANY_BLURB}. It started as a repair bench behind a "
        "climbing shop and still fixes more jackets than it sells. It's the demo employer "
        "of this site: sign in as employer@example.com to try the employer pages."
    )
    plan = _Plan(
        _company(DEMO_COMPANY_NAME, taken, description, hq),
        retail,
        DEMO_COMPANY_BLURB,
        hq,
        "local",
        1,
    )
    jobs = [
        builder.job(
            plan,
            _place(where),
            field_key=field_key,
            title=title,
            workplace=workplace,
            employment_type=employment_type,
            remote_countries=list(DEMO_REMOTE_COUNTRIES),
            status=status,
            # One store per city: a person can walk in and see all of its openings.
            same_building=True,
        )
        for field_key, title, where, workplace, employment_type, status in DEMO_JOBS
    ]
    return plan, jobs


def _hiring_by_place(plans: list[_Plan]) -> Callable[[Place], list[_Plan]]:
    """A lookup of the companies that hire in a place, by how far each one reaches."""
    by_country: dict[str, list[_Plan]] = defaultdict(list)
    by_continent: dict[str, list[_Plan]] = defaultdict(list)
    anywhere: list[_Plan] = []
    for plan in plans:
        if plan.reach == "local":
            by_country[plan.hq.country_code].append(plan)
        elif plan.reach == "regional":
            by_continent[plan.hq.continent].append(plan)
        else:
            anywhere.append(plan)

    def hiring(place: Place) -> list[_Plan]:
        found = by_country[place.country_code] + by_continent[place.continent] + anywhere
        return found or plans

    return hiring


def build_demo(
    *,
    seed: int,
    jobs: int,
    companies: int,
    now: dt.datetime,
    taken_slugs: set[str],
    progress: Callable[[str], None] = lambda message: None,
) -> DemoData:
    """Unsaved companies and jobs.

    ``companies`` counts the demo employer's company; ``jobs`` published jobs are spread over
    the others, and the demo employer's own handful come on top. ``taken_slugs`` are company
    slugs already in the database, which the new companies avoid.
    """
    rng = random.Random(seed)
    pool = place_pool()
    builder = _Builder(rng, now, pool, Sites(seed))
    # At least one place per continent, also for tiny runs, so companies have somewhere to be.
    places = pick_places(rng, pool, max(6, jobs // JOBS_PER_PLACE))
    slots = job_slots(rng, places, jobs) if jobs else []
    progress(f"Picked {len(places)} places in {len({p.country_code for p in places})} countries.")

    taken = set(taken_slugs)
    demo, demo_jobs = _demo_employer(builder, taken)
    plans: list[_Plan] = []
    sector_weights = [s.share for s in SECTORS]
    for i in range(companies - 1):
        sector = rng.choices(SECTORS, weights=sector_weights)[0]
        hq = slots[i] if i < len(slots) else rng.choice(places)
        plans.append(builder.company(sector, hq, taken))

    built: list[Job] = []
    if plans:
        hiring = _hiring_by_place(plans)
        for i, place in enumerate(slots):
            if i < len(plans):
                plan = plans[i]  # every company posts at least one job, in its home town
            else:
                candidates = hiring(place)
                plan = rng.choices(candidates, weights=[c.weight for c in candidates])[0]
            built.append(builder.job(plan, place))
            if (i + 1) % 500 == 0:
                progress(f"Wrote {i + 1} of {len(slots)} job descriptions.")
    built.sort(key=lambda job: job.posted_at or now)
    return DemoData(
        companies=[demo.company, *(p.company for p in plans)],
        jobs=built,
        demo_company=demo.company,
        demo_jobs=demo_jobs,
    )
