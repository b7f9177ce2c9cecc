"""Drafts from the recorded facts, and the checks run on them before sending.

The wording is ours (templates/followup/drafts/); the facts are the candidate's: whom they
met, what they talked about, what they meant to say, their strengths as they tie to the job.
Nothing here sends anything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.candidates.models import CandidateProfile

from .models import CoachSettings, Contact, Interview, Interviewer, Step

MAX_WORDS = 200
LINKEDIN_NOTE_MAX = 200
"""LinkedIn lets a free account add a note of at most 200 characters to an invitation."""
GAP = "[a moment from your conversation]"
"""Stands in for the topics when none were noted; the checks flag it until it's replaced."""

GREETINGS = ("hi", "hello", "dear", "hey", "good morning", "good afternoon", "good evening")
_PLACEHOLDER = re.compile(
    r"\[[^\]\n]{0,80}\]|\{\{?[^}\n]{0,80}\}?\}|<[a-z _-]{2,40}>|\bX{3,}\b|\bTODO\b|\bTBD\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Written:
    subject: str
    body: str


def job_text(interview: Interview) -> str:
    """What the job is about, for tying strengths to it: the posting's title and text for
    an application, else the ad the candidate pasted (or just the role)."""
    if interview.application_id and interview.application is not None:
        job = interview.application.job
        return f"{job.title}\n{job.description}"
    return f"{interview.role}\n{interview.job_text}"


def suggest_strengths(user: User, text: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` of the profile's skills, those the job's text names first."""
    profile = CandidateProfile.objects.filter(user=user).first()
    if profile is None:
        return []
    skills = [s.name for s in profile.skills.all()]
    folded = text.casefold()

    def named(skill: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(skill.casefold())}(?!\w)", folded) is not None

    matched = [s for s in skills if named(s)]
    rest = [s for s in skills if s not in matched]
    return (matched + rest)[:limit]


def strengths_of(interview: Interview) -> list[str]:
    if interview.strengths.strip():
        return [s.strip() for s in interview.strengths.split(",") if s.strip()][:3]
    return suggest_strengths(interview.owner, job_text(interview))


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _topics(meeting: Interviewer | None) -> str:
    if meeting is None:
        return ""
    parts = [p.strip(" .;,-•") for p in re.split(r"[\n;]+", meeting.topics) if p.strip(" .;,-•")]
    return _join(parts)


def _when(interview: Interview, now: dt.datetime, tz_name: str) -> str:
    """How the email refers to the interview day: today, yesterday, or on the weekday."""
    tz = CoachSettings(time_zone=tz_name).tz
    day = interview.starts_at.astimezone(tz).date()
    today = now.astimezone(tz).date()
    if day == today:
        return "today"
    if day == today - dt.timedelta(days=1):
        return "yesterday"
    if today - day < dt.timedelta(days=7):
        return f"on {day:%A}"
    return f"on {day:%A} {day.day} {day:%B}"


def write(
    step: Step,
    contact: Contact,
    *,
    now: dt.datetime | None = None,
    time_zone: str = "UTC",
) -> Written:
    """The draft for ``step`` addressed to ``contact``, from our template and the facts."""
    now = now or timezone.now()
    interview = step.interview
    owner = interview.owner
    profile = CandidateProfile.objects.filter(user=owner).first()
    meeting = interview.interviewers.filter(contact=contact).first()
    context = {
        "interview": interview,
        "contact": contact,
        "first_name": contact.first_name,
        "topics": _topics(meeting) or GAP,
        "strengths": _join(strengths_of(interview)),
        "to_say": interview.to_say.strip(),
        "when": _when(interview, now, time_zone),
        "day": interview.starts_at.astimezone(CoachSettings(time_zone=time_zone).tz).date(),
        "me": owner.get_full_name() or owner.display_name,
        "my_email": owner.email,
        "my_phone": profile.phone if profile else "",
    }
    template = "thank_you" if step.kind == Step.Kind.THANK_YOU else "follow_up"
    text = render_to_string(f"followup/drafts/{template}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return Written(subject.removeprefix("Subject:").strip(), _tidy(body))


def _tidy(text: str) -> str:
    """Template output with no blank runs: single blank lines between paragraphs."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"


def linkedin_note(step: Step) -> str:
    """A short note for the connection request, within LinkedIn's 200 characters."""
    interview, contact = step.interview, step.person
    first = contact.first_name if contact else ""
    me = interview.owner.get_full_name() or interview.owner.display_name
    options = [
        f"Hi {first}, thank you for our conversation about the {interview.role} role at "
        f"{interview.company_name}. I enjoyed it and would be glad to stay in touch. {me}",
        f"Hi {first}, thank you for your time at {interview.company_name}. I'd be glad to "
        f"stay in touch. {me}",
        f"Hi {first}, thanks for meeting me. I'd be glad to stay in touch. {me}",
    ]
    return next((o for o in options if len(o) <= LINKEDIN_NOTE_MAX), options[-1])[
        :LINKEDIN_NOTE_MAX
    ]


def check_in_note(contact: Contact, user: User) -> str:
    """A gentle keep-in-touch message, for the candidate to adapt and send themselves."""
    meeting = contact.meetings.select_related("interview").order_by("-interview__starts_at").first()
    about = _topics(meeting)
    me = user.get_full_name() or user.display_name
    where = f" at {meeting.interview.company_name}" if meeting else ""
    line = f" I still think about our conversation about {about}." if about else ""
    return (
        f"Hi {contact.first_name},\n\nI hope you're well. We met a while ago{where}, and I "
        f"wanted to say hello.{line} How are things with you and the team?\n\n"
        f"All the best,\n{me}\n"
    )


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def check(*, subject: str, body: str, name: str) -> list[str]:
    """What a careful reader would fix before sending, in plain words. Empty when fine."""
    problems: list[str] = []
    if not subject.strip():
        problems.append("The subject line is empty.")
    lines = [line.strip() for line in body.strip().splitlines() if line.strip()]
    first = lines[0] if lines else ""
    folded = first.casefold().rstrip(",!:;. ")
    greeting = next((g for g in GREETINGS if folded.startswith(g)), None)
    if not lines:
        problems.append("The email is empty.")
    elif greeting is not None and not folded[len(greeting) :].strip(" ,"):
        problems.append("The greeting has no name after it.")
    elif greeting is None:
        problems.append("It starts without a greeting; open with “Hi …” or “Dear …”.")
    first_name = name.split()[0] if name.split() else ""
    if first_name and first_name.casefold() not in body.casefold():
        problems.append(f"{name}'s name isn't in the email.")
    for found in dict.fromkeys(m.group(0) for m in _PLACEHOLDER.finditer(f"{subject}\n{body}")):
        problems.append(f"Replace the placeholder “{found}”.")
    words = word_count(body)
    if words > MAX_WORDS:
        problems.append(
            f"It runs to {words} words; under {MAX_WORDS} is easier to read. Cut a line or two."
        )
    return problems
