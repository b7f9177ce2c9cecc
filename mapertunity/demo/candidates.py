"""Demo candidates: fictional people in the demo cities, with skills, pay wishes and resumes.

Deterministic from the seed; one transaction; a second run changes nothing (the demo
candidate account is the marker). Resumes are real PDF and DOCX files in private storage.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import docx
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from fpdf import FPDF

from mapertunity.accounts.models import User
from mapertunity.candidates.models import CandidateProfile, Resume, Skill
from mapertunity.core.choices import EmploymentType, Workplace
from mapertunity.demo.jobs.fields import FIELDS, Field
from mapertunity.demo.jobs.pay import pay_for
from mapertunity.demo.jobs.places import pick_places, place_pool
from mapertunity.geo.gazetteer import Place, get_gazetteer

CANDIDATE_EMAIL = "candidate@example.com"
CANDIDATE_PASSWORD = "demo-candidate-2026"
CANDIDATE_HANDLE = "demo-candidate"
DEFAULT_CANDIDATES = 500

FIRST_NAMES = [
    "Amara",
    "Bilal",
    "Chen",
    "Dalia",
    "Emeka",
    "Farah",
    "Gustavo",
    "Hana",
    "Ivan",
    "Jaya",
    "Kofi",
    "Lucia",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rafael",
    "Sana",
    "Tomas",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zara",
    "Aiko",
    "Bruno",
    "Carmen",
    "Dmitri",
    "Elif",
    "Femi",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Keira",
    "Lars",
    "Mei",
    "Nikhil",
    "Olga",
    "Pedro",
    "Rosa",
    "Samir",
    "Tala",
    "Ugo",
    "Vera",
    "Wanjiru",
    "Yara",
    "Zeno",
    "Ada",
    "Bea",
    "Cyrus",
    "Dara",
    "Esi",
    "Joao",
    "Lina",
    "Marek",
    "Noor",
    "Pilar",
    "Reza",
    "Sofia",
    "Thabo",
]
LAST_NAMES = [
    "Abara",
    "Berg",
    "Castillo",
    "Diallo",
    "Eriksen",
    "Fonseca",
    "Gupta",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kamau",
    "Lindqvist",
    "Mbeki",
    "Novak",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Silva",
    "Tanaka",
    "Urquhart",
    "Varga",
    "Wong",
    "Xavier",
    "Yilmaz",
    "Zhou",
    "Almeida",
    "Brandt",
    "Costa",
    "Dubois",
    "Esposito",
    "Fischer",
    "Garcia",
    "Holm",
    "Iyer",
    "Kowalski",
    "Lambert",
    "Moreau",
    "Nakamura",
    "Osei",
    "Park",
    "Rossi",
    "Santos",
    "Torres",
    "Vasquez",
    "Weber",
    "Adeyemi",
    "Bianchi",
    "Chua",
    "Dlamini",
]

SKILLS: dict[str, tuple[str, ...]] = {
    "software": ("Python", "JavaScript", "TypeScript", "Django", "React", "SQL", "Go", "AWS",
                 "Docker", "Testing", "Kotlin", "APIs"),
    "data": ("SQL", "Python", "Power BI", "Tableau", "Statistics", "dbt", "Excel", "Spark",
             "Machine learning", "Forecasting"),
    "finance": ("Bookkeeping", "Excel", "Payroll", "IFRS", "Budgeting", "Audit", "Xero",
                "Accounts payable", "Tax returns"),
    "design": ("Figma", "User research", "Prototyping", "Illustration", "Typography",
               "Accessibility", "Motion design", "Design systems"),
    "support": ("Customer service", "Zendesk", "Troubleshooting", "Live chat", "De-escalation",
                "CRM", "Onboarding", "Spanish"),
    "marketing": ("Copywriting", "SEO", "Social media", "Google Ads", "Email campaigns",
                  "Analytics", "Content strategy", "Video editing"),
    "sales": ("Negotiation", "Prospecting", "CRM", "Account management", "Cold calling",
              "Presentations", "Forecasting"),
    "admin": ("Scheduling", "Microsoft Office", "Recruiting", "HR policy", "Data entry",
              "Event planning", "Minute taking", "Onboarding"),
    "healthcare": ("Patient care", "Medication administration", "Wound care", "BLS",
                   "Electronic health records", "Phlebotomy", "Infection control",
                   "Dementia care"),
    "logistics": ("Forklift", "Inventory", "Pick and pack", "Route planning", "HGV licence",
                  "Warehouse management systems", "Health and safety", "Dispatch"),
    "retail": ("Customer service", "Cash handling", "Visual merchandising", "Stock control",
               "Point of sale", "Upselling", "Store opening"),
    "hospitality": ("Food safety", "Grill", "Pastry", "Barista", "Menu planning",
                    "Food cost control", "Front of house", "Wine service"),
    "teaching": ("Lesson planning", "Classroom management", "Special educational needs",
                 "Mathematics", "Science", "Early years", "Assessment", "Tutoring"),
    "construction": ("Site safety", "Blueprint reading", "Project scheduling", "AutoCAD",
                     "Concrete", "Scaffolding", "Cost estimating"),
    "trades": ("Electrical installation", "Plumbing", "HVAC", "Carpentry", "Welding",
               "Fault finding", "Solar PV", "Tiling"),
    "research": ("Lab safety", "PCR", "Cell culture", "Data analysis", "GCP",
                 "Scientific writing", "HPLC", "R"),
    "manufacturing": ("CNC", "Quality inspection", "Lean", "Machine setup", "Six Sigma",
                      "Assembly", "Preventive maintenance"),
    "agriculture": ("Irrigation", "Tractor operation", "Crop planning", "Pest management",
                    "Greenhouse", "Soil testing", "Landscaping"),
}  # fmt: skip

SUMMARY_OPENERS = (
    "I have spent {years} years as a {title_lower}, most recently with a {team}.",
    "{years} years of {field_lower} behind me, the last few as a {title_lower}.",
    "I'm a {title_lower} who likes a well-run {team} and clear goals.",
    "Since starting out {years} years ago I have worked as a {title_lower} in {city}.",
)
SUMMARY_WANTS = (
    "Next I'd like a team that plans ahead and shares what it pays.",
    "I'm looking for steady work close to home, with room to learn.",
    "I want to take on more responsibility and mentor people newer than me.",
    "I'd like to move to a place where the work is varied and the hours are fair.",
    "I'm after a role where I can use what I know and pick up something new each month.",
)


@dataclass(frozen=True)
class CandidateSummary:
    candidates: int
    resumes: int
    on_map: int
    places: int
    seconds: float


def candidates_loaded() -> bool:
    return User.objects.filter(email=CANDIDATE_EMAIL).exists()


def load_candidates_demo(
    *,
    seed: int = 2026,
    count: int = DEFAULT_CANDIDATES,
    progress: Callable[[str], None] = lambda message: None,
) -> CandidateSummary:
    """Create `count` demo candidates plus the demo candidate account; all or nothing."""
    started = time.perf_counter()
    rng = random.Random(seed * 7919 + 17)
    places = pick_places(rng, place_pool(), max(50, min(count // 2, 300)))
    password = make_password(None)  # demo people can't sign in, except the demo candidate
    now = timezone.now()
    skill_names = sorted({name for names in SKILLS.values() for name in names})
    progress(f"Generating {count} candidates in {len(places)} places ...")
    with transaction.atomic():
        skills = {s.name: s for s in Skill.objects.all()}
        new = [Skill(name=n, slug=slugify(n)) for n in skill_names if n not in skills]
        Skill.objects.bulk_create(new)
        skills = {s.name: s for s in Skill.objects.all()}
        people = [_person(rng, i, places) for i in range(count)]
        people.append(_demo_person())
        users = User.objects.bulk_create(
            [
                User(
                    email=p.email,
                    first_name=p.first,
                    last_name=p.last,
                    handle=p.handle,
                    password=password,
                    date_joined=now,
                )
                for p in people
            ]
        )
        demo_user = users[-1]
        demo_user.set_password(CANDIDATE_PASSWORD)
        demo_user.save(update_fields=["password"])
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=p.verified, primary=True)
            for u, p in zip(users, people, strict=True)
        )
        profiles = []
        for user, person in zip(users, people, strict=True):
            profile = _profile(rng, user, person, now)
            profiles.append(profile)
        CandidateProfile.objects.bulk_create(profiles, batch_size=500)
        through = CandidateProfile.skills.through
        through.objects.bulk_create(
            through(candidateprofile_id=profile.pk, skill_id=skills[name].pk)
            for profile, person in zip(profiles, people, strict=True)
            for name in person.skills
        )
        resumes = 0
        for i, (profile, person) in enumerate(zip(profiles, people, strict=True)):
            if person.resume_kind:
                _attach_resume(profile, person)
                resumes += 1
            if (i + 1) % 100 == 0:
                progress(f"Wrote {i + 1} of {len(people)} candidates and their resumes.")
    on_map = CandidateProfile.objects.on_candidate_map().count()
    return CandidateSummary(
        candidates=len(people),
        resumes=resumes,
        on_map=on_map,
        places=len({(p.place.name, p.place.country_code) for p in people}),
        seconds=time.perf_counter() - started,
    )


@dataclass
class _Person:
    first: str
    last: str
    handle: str
    email: str
    place: Place
    lat: float
    lng: float
    field: Field
    title: str
    years: int
    skills: list[str]
    summary: str
    visibility: str
    open_to_work: bool
    verified: bool
    resume_kind: str
    employment_types: list[str]
    workplaces: list[str]
    pay: tuple[int, int, str, str] | None
    commute_km: int
    relocate: bool


def _person(rng: random.Random, i: int, places: list[Place]) -> _Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    place = rng.choices(places, weights=[p.population**0.5 for p in places])[0]
    # Homes scatter around the city like its postcodes do.
    distance_km, bearing = rng.uniform(0, 9), rng.uniform(0, 2 * math.pi)
    lat = place.lat + distance_km / 111 * math.cos(bearing)
    lng = place.lng + distance_km / (111 * max(math.cos(math.radians(place.lat)), 0.2)) * math.sin(
        bearing
    )
    field = rng.choice(FIELDS)
    role = rng.choice(field.roles)
    years = rng.choice((0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25))
    team = rng.choice(field.teams)
    summary = " ".join(
        (
            rng.choice(SUMMARY_OPENERS).format(
                years=max(years, 1),
                title_lower=role.title.lower(),
                team=team,
                field_lower=field.label.lower(),
                city=place.name,
            ),
            rng.choice(SUMMARY_WANTS),
        )
    )
    employment = [EmploymentType.FULL_TIME]
    if field.shift_work or rng.random() < 0.25:
        employment.append(rng.choice([EmploymentType.PART_TIME, EmploymentType.TEMPORARY]))
    if rng.random() < 0.15:
        employment.append(EmploymentType.CONTRACT)
    workplaces = [Workplace.ONSITE]
    if field.remote_share or field.hybrid_share:
        workplaces = rng.choice(
            [[Workplace.HYBRID], [Workplace.REMOTE], [Workplace.HYBRID, Workplace.REMOTE],
             [Workplace.ONSITE, Workplace.HYBRID]]
        )  # fmt: skip
    pay = None
    if rng.random() < 0.8:
        quote = pay_for(
            rng,
            country=place.country_code,
            multiple=role.pay,
            field_key=field.key,
            shift_work=field.shift_work,
            employment_type=EmploymentType.FULL_TIME,
        )
        pay = (quote.salary_min, quote.salary_max, quote.currency, quote.period)
    handle = f"{slugify(first)}-{slugify(last)}-{i + 1}"
    return _Person(
        first=first,
        last=last,
        handle=handle,
        email=f"{handle}@people.example.org",
        place=place,
        lat=lat,
        lng=lng,
        field=field,
        title=role.title,
        years=years,
        skills=rng.sample(SKILLS[field.key], k=min(len(SKILLS[field.key]), rng.randint(3, 6))),
        summary=summary,
        visibility=rng.choices(["employers", "public", "hidden"], weights=(70, 22, 8))[0],
        open_to_work=rng.random() < 0.88,
        verified=rng.random() < 0.95,
        resume_kind=rng.choices(["pdf", "docx", ""], weights=(55, 30, 15))[0],
        employment_types=[str(e) for e in employment],
        workplaces=[str(w) for w in workplaces],
        pay=pay,
        commute_km=rng.choice((5, 10, 15, 20, 30, 40, 60)),
        relocate=rng.random() < 0.2,
    )


def _demo_person() -> _Person:
    portland = get_gazetteer().geocode("Portland, OR")
    assert portland is not None
    hospitality = next(f for f in FIELDS if f.key == "hospitality")
    return _Person(
        first="Jordan",
        last="Reyes",
        handle=CANDIDATE_HANDLE,
        email=CANDIDATE_EMAIL,
        place=portland,
        lat=45.5231,
        lng=-122.6765,
        field=hospitality,
        title="Sous Chef",
        years=7,
        skills=["Food safety", "Menu planning", "Grill", "Food cost control"],
        summary=(
            "Sous chef with seven years on busy lines in Portland. I run a calm pass, train new "
            "cooks and keep food costs where the owner wants them. Looking for a head chef "
            "role in a kitchen that values its people."
        ),
        visibility="public",
        open_to_work=True,
        verified=True,
        resume_kind="pdf",
        employment_types=[EmploymentType.FULL_TIME.value],
        workplaces=[Workplace.ONSITE.value],
        pay=(6_200_000, 7_500_000, "USD", "year"),
        commute_km=25,
        relocate=False,
    )


def _profile(rng: random.Random, user: User, person: _Person, now: dt.datetime) -> CandidateProfile:
    profile = CandidateProfile(
        user=user,
        headline=f"{person.title}, {person.years} years" if person.years else person.title,
        summary=person.summary,
        years_experience=person.years,
        desired_roles=person.title,
        employment_types=person.employment_types,
        workplaces=person.workplaces,
        commute_km=person.commute_km,
        open_to_relocation=person.relocate,
        visibility=person.visibility,
        open_to_work=person.open_to_work,
        completed_at=now,
    )
    if person.pay:
        low, high, currency, period = person.pay
        profile.desired_pay_min, profile.desired_pay_max = low, high
        profile.desired_currency, profile.desired_period = currency, period
    profile.set_home(
        label=f"{person.place.name}, {person.place.country_name}",
        lat=person.lat,
        lng=person.lng,
        city=person.place.name,
        country=person.place.country_code,
    )
    return profile


def _resume_text(person: _Person) -> str:
    lines = [
        f"{person.first} {person.last}",
        f"{person.title} - {person.place.name}, {person.place.country_name}",
        "",
        person.summary,
        "",
        "Experience",
    ]
    lines += [f"- {task}" for task in person.field.tasks[:4]]
    lines += ["", "Skills: " + ", ".join(person.skills)]
    return "\n".join(lines)


def _attach_resume(profile: CandidateProfile, person: _Person) -> None:
    text = _resume_text(person)
    if person.resume_kind == "pdf":
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, text.encode("latin-1", "replace").decode("latin-1"))
        data = bytes(pdf.output())
    else:
        document = docx.Document()
        for line in text.split("\n"):
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        data = buffer.getvalue()
    resume = Resume(
        profile=profile,
        kind=person.resume_kind,
        original_name=f"{person.first} {person.last} resume.{person.resume_kind}",
        size=len(data),
        text=text,
    )
    resume.file.save(f"{resume.id.hex}.{person.resume_kind}", ContentFile(data), save=False)
    resume.save()
