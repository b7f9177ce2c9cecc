"""The demo blog: two authors, four topics and eight posts (one of them scheduled).

Loaded by every run of ``seed_demo``. It only adds what is missing, by slug, so running
it again changes nothing and keeps staff edits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.blog import actions
from mapertunity.blog.models import Author, AuthorLink, Category, Post, Tag
from mapertunity.core.tasks import enqueue_on_commit
from mapertunity.demo.jobs.load import ADMIN_EMAIL

from . import posts_hiring, posts_job_search, posts_workplace
from .types import DemoPost

DEMO_POSTS: list[DemoPost] = [
    *posts_job_search.POSTS,
    *posts_hiring.POSTS,
    *posts_workplace.POSTS,
]

AUTHORS: list[dict[str, Any]] = [
    {
        "slug": "ines-okafor",
        "name": "Inès Okafor",
        "user_email": ADMIN_EMAIL,
        "mission": "Helping people get from a good interview to a signed offer.",
        "bio": (
            "Inès looks after job seekers at Mapertunity. She spent eight years as a careers "
            "adviser at a further-education college, where she learned that most offers are "
            "won or lost in the week after the interview."
        ),
        "links": [("Website", "https://ines-okafor.example.com")],
    },
    {
        "slug": "tomas-reyes",
        "name": "Tomás Reyes",
        "user_email": None,
        "mission": "Making local hiring quick, fair and direct.",
        "bio": (
            "Tomás works with the employers on Mapertunity. Before that he ran hiring for a "
            "regional delivery company with twelve depots, and planned more seasonal peaks "
            "than he likes to count."
        ),
        "links": [
            ("Website", "https://tomas-reyes.example.com"),
            ("Mastodon", "https://social.example.com/@tomas"),
        ],
    },
]

CATEGORIES = {
    "job-search": ("Job search", "Finding the right job: searching, interviewing, following up."),
    "hiring": ("Hiring", "Finding, reaching and hiring good people near your workplace."),
    "pay": ("Pay", "Pay ranges, fairness and talking about money."),
    "workforce-planning": (
        "Workforce planning",
        "Planning who you'll need, and when, before you're short-staffed.",
    ),
}

TAG_NAMES = {
    "commute": "Commute",
    "follow-up": "Follow-up",
    "interviews": "Interviews",
    "job-postings": "Job postings",
    "local-hiring": "Local hiring",
    "maps": "Maps",
    "negotiation": "Negotiation",
    "pay-transparency": "Pay transparency",
    "recruiting": "Recruiting",
    "seasonal-work": "Seasonal work",
    "small-business": "Small business",
    "workforce-planning": "Workforce planning",
}

PUBLISH_HOUR_UTC = 8


@dataclass(frozen=True)
class BlogDemoSummary:
    authors: int
    posts_added: int
    posts_total: int

    def describe(self) -> str:
        return (
            f"Blog: {self.posts_added} demo post(s) added; {self.posts_total} posts by "
            f"{self.authors} authors in all."
        )


def load_blog_demo(*, now: dt.datetime | None = None) -> BlogDemoSummary:
    """Add the demo authors, topics and posts that don't exist yet; all or nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        authors = {spec["slug"]: _author(spec) for spec in AUTHORS}
        categories = {
            slug: Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description}
            )[0]
            for slug, (name, description) in CATEGORIES.items()
        }
        tags = {
            slug: Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in TAG_NAMES.items()
        }
        added = 0
        for demo in DEMO_POSTS:
            if Post.objects.filter(slug=demo.slug).exists():
                continue
            _add_post(demo, authors=authors, categories=categories, tags=tags, now=now)
            added += 1
    return BlogDemoSummary(
        authors=Author.objects.count(), posts_added=added, posts_total=Post.objects.count()
    )


def _author(spec: dict[str, Any]) -> Author:
    author, created = Author.objects.get_or_create(
        slug=spec["slug"],
        defaults={"name": spec["name"], "mission": spec["mission"], "bio": spec["bio"]},
    )
    if created:
        AuthorLink.objects.bulk_create(
            AuthorLink(author=author, label=label, url=url, position=n)
            for n, (label, url) in enumerate(spec["links"])
        )
    if author.user_id is None and spec["user_email"]:
        # Authors write as staff; an account someone made by hand without staff rights
        # stays unlinked.
        user = User.objects.filter(email=spec["user_email"], is_staff=True).first()
        if user is not None and not Author.objects.filter(user=user).exists():
            author.user = user
            author.save(update_fields=["user"])
    return author


def _add_post(
    demo: DemoPost,
    *,
    authors: dict[str, Author],
    categories: dict[str, Category],
    tags: dict[str, Tag],
    now: dt.datetime,
) -> Post:
    day = now - dt.timedelta(days=demo.days_ago)
    when = day.replace(hour=PUBLISH_HOUR_UTC, minute=30, second=0, microsecond=0)
    scheduled = demo.days_ago < 0
    post = Post.objects.create(
        slug=demo.slug,
        title=demo.title,
        summary=demo.summary,
        body=demo.body.strip() + "\n",
        author=authors[demo.author],
        status=Post.Status.SCHEDULED if scheduled else Post.Status.PUBLISHED,
        published_at=when,
    )
    post.categories.set([categories[slug] for slug in demo.categories])
    post.tags.set([tags[slug] for slug in demo.tags])
    if scheduled:
        # Goes live by itself, like any post a staff member schedules.
        enqueue_on_commit(actions.PUBLISH_DUE_POSTS, run_after=when)
    return post
