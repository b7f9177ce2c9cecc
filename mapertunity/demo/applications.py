"""Demo applications: every stage, with histories and conversations, and companies that
answer quickly, slowly or not at all, so a fresh site's pipeline, "My applications" and
responsiveness figures show real numbers.

Rows are written directly (not through the actions) so loading the demo sends no email;
they follow the same rules: each application starts with an "applied" event, every later
stage is an event by a company member, and the row's stage is the newest event's.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.applications.models import (
    Application,
    Conversation,
    Message,
    ScreeningQuestion,
    StageEvent,
)
from mapertunity.applications.stages import Stage
from mapertunity.candidates.models import CandidateProfile
from mapertunity.companies.models import Company, Membership
from mapertunity.jobs.models import Job

from .candidates import CANDIDATE_EMAIL
from .jobs.load import EMPLOYER_EMAIL

COMPANIES_WITH_APPLICANTS = 40


@dataclass(frozen=True)
class Habit:
    """How a company treats applications: the share it answers, and how fast."""

    answers: float
    hours: tuple[float, float]


HABITS = [
    Habit(0.95, (1, 30)),  # answers nearly everyone within a day or so
    Habit(0.8, (12, 120)),
    Habit(0.55, (48, 400)),
    Habit(0.15, (200, 600)),  # mostly silent
]

EMPLOYER_NOTES = [
    "Thanks for applying. We're reading applications this week and will come back to you.",
    "Thank you, your experience looks relevant. Could you tell us when you could start?",
    "Thanks for your application. We'd like to talk; which afternoons suit you?",
]
CANDIDATE_REPLIES = [
    "Thank you! I could start two weeks after an offer.",
    "Thanks for getting back to me. Tuesday or Thursday afternoons work well.",
    "Great to hear from you. Happy to answer any questions.",
]
DECLINE = (
    "Thank you for applying and for your time. We've decided to go ahead with candidates "
    "whose experience is closer to what this role needs right now. We'd be glad to see "
    "you apply again."
)


@dataclass(frozen=True)
class Summary:
    applications: int
    conversations: int
    companies: int
    seconds: float


def applications_loaded() -> bool:
    return Application.objects.filter(candidate__user__email=CANDIDATE_EMAIL).exists()


class _Writer:
    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng, self.now = rng, now
        self.applications: list[Application] = []
        self.events: list[StageEvent] = []
        self.conversations: list[Conversation] = []
        self.messages: list[Message] = []
        self.resumes: list[tuple[Application, CandidateProfile]] = []

    def application(
        self,
        job: Job,
        candidate: CandidateProfile,
        member: User | None,
        *,
        applied: dt.datetime,
        path: list[tuple[Stage, float]],
        note: str = "",
        chat: bool = False,
        decision_in_days: int | None = None,
    ) -> Application:
        """One application along ``path`` (stage, hours after applying), with its events."""
        stage = path[-1][0] if path else Stage.APPLIED
        application = Application(
            job=job,
            candidate=candidate,
            stage=stage,
            cover_note=note,
            created_at=applied,
            resume_text=getattr(getattr(candidate, "resume", None), "text", ""),
        )
        if stage == Stage.INTERVIEWING and decision_in_days is not None:
            application.decision_expected_on = (
                self.now + dt.timedelta(days=decision_in_days)
            ).date()
            application.next_step = "A second conversation with the team, on site."
        self.applications.append(application)
        self.events.append(
            StageEvent(
                application=application,
                stage=Stage.APPLIED,
                actor=candidate.user,
                created_at=applied,
            )
        )
        for to, hours in path:
            when = min(applied + dt.timedelta(hours=hours), self.now)
            by_company = to not in (Stage.WITHDRAWN, Stage.NO_RESPONSE)
            self.events.append(
                StageEvent(
                    application=application,
                    stage=to,
                    actor=member if by_company else None,
                    by_employer=by_company,
                    note=DECLINE if to == Stage.NOT_SELECTED else "",
                    created_at=when,
                )
            )
        conversation = Conversation(
            company=job.company,
            candidate=candidate,
            application=application,
            started_by=candidate.user,
            subject=f"{job.title} at {job.company.name}",
            created_at=applied,
            last_message_at=applied,
        )
        self.conversations.append(conversation)
        if chat and path and member is not None:
            first = min(applied + dt.timedelta(hours=path[0][1]), self.now)
            self.messages.append(
                Message(
                    conversation=conversation,
                    sender=member,
                    from_candidate=False,
                    body=self.rng.choice(EMPLOYER_NOTES),
                    created_at=first,
                )
            )
            reply = min(first + dt.timedelta(hours=self.rng.uniform(1, 20)), self.now)
            self.messages.append(
                Message(
                    conversation=conversation,
                    sender=candidate.user,
                    from_candidate=True,
                    body=self.rng.choice(CANDIDATE_REPLIES),
                    created_at=reply,
                )
            )
            conversation.last_message_at = reply
        if getattr(candidate, "resume", None) is not None:
            self.resumes.append((application, candidate))
        return application

    def save(self) -> None:
        for application, candidate in self.resumes:
            resume = candidate.resume
            application.resume_kind, application.resume_name = resume.kind, resume.original_name
            with resume.file.open("rb") as source:
                application.resume_file.save(
                    f"{application.id.hex}.{resume.kind}", ContentFile(source.read()), save=False
                )
        Application.objects.bulk_create(self.applications)
        StageEvent.objects.bulk_create(self.events)
        Conversation.objects.bulk_create(self.conversations)
        Message.objects.bulk_create(self.messages)


def _path_for(rng: random.Random, habit: Habit, age_hours: float) -> list[tuple[Stage, float]]:
    """Where an application of this age got to, at a company with this habit."""
    if rng.random() > habit.answers:
        return [(Stage.NO_RESPONSE, 30 * 24)] if age_hours > 30 * 24 else []
    first = rng.uniform(*habit.hours)
    if first >= age_hours:
        return []
    path = [(Stage.REVIEWING, first)]
    roll = rng.random()
    if roll < 0.35:
        path.append((Stage.NOT_SELECTED, first + rng.uniform(24, 200)))
    elif roll < 0.65:
        path.append((Stage.INTERVIEWING, first + rng.uniform(24, 150)))
        if rng.random() < 0.4:
            path.append((Stage.OFFER, path[-1][1] + rng.uniform(48, 200)))
            if rng.random() < 0.6:
                path.append((Stage.HIRED, path[-1][1] + rng.uniform(24, 96)))
    return [(stage, hours) for stage, hours in path if hours < age_hours]


def load_applications_demo(
    *, seed: int, now: dt.datetime | None = None, progress: Callable[[str], None] = print
) -> Summary:
    started = time.perf_counter()
    now = now or timezone.now()
    rng = random.Random(seed * 7 + 11)
    writer = _Writer(rng, now)
    people = list(
        CandidateProfile.objects.on_candidate_map()
        .exclude(user__email=CANDIDATE_EMAIL)
        .select_related("user", "resume")
        .order_by("pk")
    )
    if not people:
        return Summary(0, 0, 0, 0.0)
    live = Job.objects.published().select_related("company")
    employer = User.objects.get(email=EMPLOYER_EMAIL)
    own_company = Company.objects.for_user(employer).order_by("pk").first()
    companies = list(
        Company.objects.exclude(pk__in=[own_company.pk] if own_company else [])
        .filter(jobs__in=live)
        .distinct()
        .order_by("pk")[:COMPANIES_WITH_APPLICANTS]
    )
    progress(f"Writing demo applications for {len(companies) + 1} companies ...")
    members = {
        m.company_id: m.user
        for m in Membership.objects.filter(company__in=[*companies, own_company]).select_related(
            "user"
        )
    }
    taken: set[tuple[int, int]] = set()

    def pick_person() -> CandidateProfile:
        return rng.choice(people)

    for i, company in enumerate(companies):
        habit = HABITS[i % len(HABITS)]
        jobs = list(live.filter(company=company).order_by("pk")[:3])
        for _ in range(rng.randint(6, 14)):
            job, person = rng.choice(jobs), pick_person()
            if (job.pk, person.pk) in taken:
                continue
            taken.add((job.pk, person.pk))
            age = rng.uniform(2, 85) * 24
            writer.application(
                job,
                person,
                members.get(company.pk),
                applied=now - dt.timedelta(hours=age),
                path=_path_for(rng, habit, age),
                chat=rng.random() < 0.5,
            )
    # The demo employer's own jobs: someone at every stage, with conversations.
    if own_company is not None:
        own_jobs = list(live.filter(company=own_company).order_by("pk"))
        if own_jobs:
            ScreeningQuestion.objects.get_or_create(
                job=own_jobs[0],
                text="Are you able to lift 20 kg?",
                defaults={"kind": ScreeningQuestion.Kind.YES_NO, "required": True},
            )
        stories: list[tuple[list[tuple[Stage, float]], bool]] = [
            ([], False),
            ([], False),
            ([(Stage.REVIEWING, 20)], True),
            ([(Stage.REVIEWING, 10), (Stage.INTERVIEWING, 60)], True),
            ([(Stage.REVIEWING, 6), (Stage.INTERVIEWING, 40), (Stage.OFFER, 150)], True),
            (
                [
                    (Stage.REVIEWING, 5),
                    (Stage.INTERVIEWING, 30),
                    (Stage.OFFER, 90),
                    (Stage.HIRED, 140),
                ],
                True,
            ),
            ([(Stage.REVIEWING, 30), (Stage.NOT_SELECTED, 80)], False),
            ([(Stage.WITHDRAWN, 50)], False),
        ]
        for n, (path, chat) in enumerate(stories * 2):
            job, person = own_jobs[n % len(own_jobs)], pick_person()
            if (job.pk, person.pk) in taken:
                continue
            taken.add((job.pk, person.pk))
            writer.application(
                job,
                person,
                employer,
                applied=now - dt.timedelta(hours=rng.uniform(200, 600)),
                path=path,
                chat=chat,
                note="I've worked in outdoor retail for four years and know the gear well.",
                decision_in_days=5,
            )
    # The demo candidate: a few applications in different states.
    me = CandidateProfile.objects.select_related("user", "resume").get(user__email=CANDIDATE_EMAIL)
    elsewhere = [j for j in live.exclude(company=own_company).order_by("pk")[:40]]
    plans: list[tuple[list[tuple[Stage, float]], bool, int | None]] = [
        ([(Stage.REVIEWING, 18), (Stage.INTERVIEWING, 60)], True, 3),
        ([(Stage.REVIEWING, 30)], True, None),
        ([], False, None),
        ([(Stage.REVIEWING, 12), (Stage.NOT_SELECTED, 90)], False, None),
    ]
    for job, (path, chat, decide) in zip(elsewhere[::10], plans, strict=False):
        writer.application(
            job,
            me,
            members.get(job.company_id) or employer,
            applied=now - dt.timedelta(days=9),
            path=path,
            chat=chat,
            note="I'd love to bring my coordination experience to your team.",
            decision_in_days=decide,
        )
    with transaction.atomic():
        writer.save()
    return Summary(
        applications=len(writer.applications),
        conversations=len(writer.conversations),
        companies=len(companies) + 1,
        seconds=time.perf_counter() - started,
    )
