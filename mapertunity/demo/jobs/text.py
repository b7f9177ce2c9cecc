"""Compose company names and Markdown job descriptions from the word lists."""

from __future__ import annotations

import random

from mapertunity.core.choices import EmploymentType, Workplace

from .fields import Field
from .words import (
    BENEFITS,
    CLOSING_SENTENCES,
    COMPANY_VALUES,
    EXTRA_NEEDS_ONSITE,
    EXTRA_NEEDS_REMOTE,
    HIRING_SENTENCES,
    HYBRID_SENTENCES,
    INTRO_LEADS,
    NAME_HEADS,
    NAME_TAILS,
    ONSITE_SENTENCES,
    PAY_SENTENCES,
    PITCH_SENTENCES,
    REMOTE_SENTENCES,
    TEMPORARY_REASONS,
)

# Initialisms read letter by letter, so the article follows the letter's name.
_AN_LETTERS = set("AEFHILMNORSX")


def with_article(title: str) -> str:
    """The title with its article: "an Electrician", "an HR Generalist", "a UX Researcher"."""
    first = title.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:
        vowel_sound = first[0] in _AN_LETTERS
    else:
        vowel_sound = first[0].upper() in "AEIO"
    return f"{'an' if vowel_sound else 'a'} {title}"


# Country names that take "the" in running text.
_WITH_THE = {
    "United States", "United Kingdom", "Philippines", "United Arab Emirates",
    "Dominican Republic", "Netherlands", "Czech Republic", "Central African Republic",
}  # fmt: skip


def country_in_text(name: str) -> str:
    """A country name as it reads mid-sentence: "the United States", "Kenya"."""
    if name.startswith("The "):
        name = name[4:]
    return f"the {name}" if name in _WITH_THE else name


def join_words(items: list[str]) -> str:
    """Join as in prose: "A", "A and B", "A, B and C"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def company_name(rng: random.Random, suffixes: tuple[str, ...]) -> str:
    suffix = rng.choice(suffixes)
    head = rng.choice(NAME_HEADS)
    if rng.random() < 0.3:
        other = rng.choice([h for h in NAME_HEADS if h != head])
        return f"{head} & {other} {suffix}"
    # A doubled letter at the seam ("Sorrel" + "loom") reads badly; pick another tail.
    tail = rng.choice([t for t in NAME_TAILS if t[0] != head[-1].lower()])
    return f"{head}{tail} {suffix}"


def company_description(rng: random.Random, *, name: str, blurb: str, hq: str) -> str:
    return f"{name} {blurb}, from its base in {hq}. {rng.choice(COMPANY_VALUES)}"


def job_description(
    rng: random.Random,
    *,
    field: Field,
    title: str,
    company: str,
    company_blurb: str,
    city: str,
    country_name: str,
    workplace: str,
    remote_country_names: list[str],
    employment_type: str,
    pay_text: str,
) -> str:
    """A Markdown description: intro paragraph, two lists, pay line, optional closing line."""
    intro: list[str] = []
    lead = rng.choice(INTRO_LEADS)
    about = f"{company} {company_blurb}."
    intro.append(f"**{lead}** {about}" if lead else about)
    intro.append(
        rng.choice(HIRING_SENTENCES).format(
            a_title=with_article(title), team=rng.choice(field.teams), city=city
        )
    )
    intro.append(rng.choice(PITCH_SENTENCES).format(pitch=rng.choice(field.pitches)))
    if workplace == Workplace.REMOTE:
        countries = join_words([country_in_text(name) for name in remote_country_names])
        place_line = rng.choice(REMOTE_SENTENCES).format(countries=countries, city=city)
    elif workplace == Workplace.HYBRID:
        place_line = rng.choice(HYBRID_SENTENCES).format(days=rng.choice((2, 3)), city=city)
    else:
        place_line = rng.choice(ONSITE_SENTENCES).format(city=city)
    intro.append(place_line)
    intro.append(_terms_sentence(rng, employment_type))

    tasks = rng.sample(field.tasks, k=min(len(field.tasks), rng.randint(4, 5)))
    needs = rng.sample(field.needs, k=min(len(field.needs), rng.randint(3, 4)))
    extra = EXTRA_NEEDS_REMOTE if workplace == Workplace.REMOTE else EXTRA_NEEDS_ONSITE
    needs.append(rng.choice(extra).format(country=country_in_text(country_name), city=city))

    b1, b2 = rng.sample(BENEFITS, k=2)
    parts = [
        " ".join(s for s in intro if s),
        "## What you'll do",
        "\n".join(f"- {task}" for task in tasks),
        "## What we're looking for",
        "\n".join(f"- {need}" for need in needs),
        rng.choice(PAY_SENTENCES).format(pay=pay_text, b1=b1, b2=b2),
    ]
    closing = rng.choice(CLOSING_SENTENCES).format(days=rng.choice((5, 7, 10)))
    if closing:
        parts.append(closing)
    return "\n\n".join(parts) + "\n"


def _terms_sentence(rng: random.Random, employment_type: str) -> str:
    if employment_type == EmploymentType.PART_TIME:
        return f"It's a part-time post of about {rng.choice((16, 20, 24, 25, 30))} hours a week."
    if employment_type == EmploymentType.CONTRACT:
        return f"It's a {rng.choice((6, 9, 12, 18))}-month contract with a good chance of renewal."
    if employment_type == EmploymentType.TEMPORARY:
        return f"It's a temporary post covering {rng.choice(TEMPORARY_REASONS)}."
    if employment_type == EmploymentType.INTERNSHIP:
        return f"It's a paid {rng.choice((3, 6))}-month internship with a named mentor."
    return rng.choice(("It's a permanent, full-time position.", "", ""))
