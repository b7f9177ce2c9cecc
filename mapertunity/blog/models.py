"""Authors, posts and their topics; subscribers and the record of each email sent to them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from mapertunity.core.markdown import render_markdown

WORDS_PER_MINUTE = 220
# Post slugs live at /blog/<slug>/ beside these fixed paths.
RESERVED_SLUGS = frozenset(
    {"author", "category", "confirm", "feed", "page", "preview", "subscribe", "tag", "unsubscribe"}
)


def validate_post_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(f"“{value}” is taken by a blog page; choose another slug.")


def reading_minutes(html: str) -> int:
    """Minutes an average reader needs for the text of some HTML; at least one."""
    return max(1, round(len(strip_tags(html).split()) / WORDS_PER_MINUTE))


class Author(models.Model):
    """Who writes for the blog: usually a staff member, shown in the author box."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blog_author",
        limit_choices_to={"is_staff": True},
        help_text="The staff account that writes as this author.",
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    photo = models.ImageField(upload_to="blog/authors/", blank=True)
    mission = models.CharField(
        "mission line",
        max_length=160,
        blank=True,
        help_text="One line on what they are here to do, shown under their name.",
    )
    bio = models.TextField("short bio", blank=True, help_text="A few plain sentences.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:author", kwargs={"slug": self.slug})


class AuthorLink(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60, help_text="For example: Website, Mastodon, LinkedIn.")
    url = models.URLField("URL")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=90, unique=True)
    description = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences shown on the category page."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=70, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:tag", kwargs={"slug": self.slug})


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> PostQuerySet:
        """Posts anyone can read."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> PostQuerySet:
        """Staff also see drafts and scheduled posts, as a preview."""
        return self.all() if getattr(user, "is_staff", False) else self.published()

    def due(self, now: dt.datetime) -> PostQuerySet:
        """Scheduled posts whose time has come."""
        return self.filter(status=Post.Status.SCHEDULED, published_at__lte=now)

    def newest_first(self) -> PostQuerySet:
        return (
            self.select_related("author")
            .prefetch_related("categories")
            .order_by("-published_at", "-pk")
        )

    def related_to(self, post: Post) -> PostQuerySet:
        """Other posts sharing a tag or a category with this one: those sharing more tags
        first, then more categories, then the newest."""
        tag_ids = list(post.tags.values_list("pk", flat=True))
        category_ids = list(post.categories.values_list("pk", flat=True))
        return (
            self.exclude(pk=post.pk)
            .annotate(
                shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
                shared_categories=Count(
                    "categories", filter=Q(categories__in=category_ids), distinct=True
                ),
            )
            .filter(Q(shared_tags__gt=0) | Q(shared_categories__gt=0))
            .order_by("-shared_tags", "-shared_categories", "-published_at", "-pk")
        )

    def delivery_stalled(self, now: dt.datetime, quiet: dt.timedelta) -> PostQuerySet:
        """Posts whose email delivery started but has shown no progress for `quiet`.

        The task worker runs again a task whose worker died; this is the safety net for
        the rest (a task that failed, a run outside the worker), checked by the sweep_blog
        task every minute.
        """
        return self.annotate(
            last_progress=Coalesce("delivery_heartbeat_at", "delivery_requested_at")
        ).filter(
            status=Post.Status.PUBLISHED,
            delivery_requested_at__isnull=False,
            delivery_finished_at__isnull=True,
            last_progress__lt=now - quiet,
        )


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=160)
    slug = models.SlugField(
        max_length=180,
        unique=True,
        validators=[validate_post_slug],
        help_text="The post's address: /blog/<slug>/. Changing it breaks old links.",
    )
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences for lists, search engines, feeds and the email.",
    )
    body = models.TextField(help_text="Markdown. Start sections with ## headings.")
    body_html = models.TextField(editable=False, default="")
    cover_image = models.ImageField(upload_to="blog/covers/", blank=True)
    cover_image_alt = models.CharField(
        "cover image description",
        max_length=200,
        blank=True,
        help_text="What the image shows, for people who can't see it.",
    )
    categories = models.ManyToManyField(Category, related_name="posts", blank=True)
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="posts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish date",
        null=True,
        blank=True,
        help_text="When a scheduled post goes live. Empty when publishing means now.",
    )
    email_subscribers = models.BooleanField(
        "email subscribers",
        default=True,
        help_text="Send this post to every confirmed subscriber when it is published.",
    )
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Email delivery bookkeeping, written by the delivery task only.
    delivery_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivery_fanned_out_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivery_heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivery_finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"], name="blog_post_status_date")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.slug = self.slug or slugify(self.title)[:180] or "post"
        self.body_html = render_markdown(self.body)
        self.reading_minutes = reading_minutes(self.body_html)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "body_html",
                "reading_minutes",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("blog:post", kwargs={"slug": self.slug})

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def publish(self, *, now: dt.datetime | None = None) -> bool:
        """Make the post public; False if it already was (another worker got there first).

        The post keeps a publish date that has passed (a scheduled time, or a back-dated
        post); otherwise it is published now. One conditional UPDATE makes the change, so
        of two workers publishing the same post only one sees True.
        """
        now = now or timezone.now()
        current = Post.objects.filter(pk=self.pk).values_list("published_at", flat=True).get()
        when = current if current is not None and current <= now else now
        won = (
            Post.objects.filter(pk=self.pk)
            .exclude(status=self.Status.PUBLISHED)
            .update(status=self.Status.PUBLISHED, published_at=when, updated_at=now)
        )
        self.refresh_from_db(fields=["status", "published_at", "updated_at"])
        return bool(won)

    def schedule(self, when: dt.datetime, *, now: dt.datetime | None = None) -> None:
        if self.status == self.Status.PUBLISHED:
            raise ValidationError("This post is already published.")
        if when <= (now or timezone.now()):
            raise ValidationError("Choose a publish date in the future, or publish now.")
        self.status = self.Status.SCHEDULED
        self.published_at = when
        self.save(update_fields=["status", "published_at"])


class SubscriberQuerySet(models.QuerySet["Subscriber"]):
    def confirmed(self) -> SubscriberQuerySet:
        """Addresses that confirmed and have not unsubscribed since: the mailing list."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscriber(models.Model):
    """An email address on (or on its way onto) the blog's mailing list; no account needed."""

    email = models.EmailField(unique=True)
    # The secret behind the signed confirm and unsubscribe links.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    @property
    def state(self) -> str:
        if self.unsubscribed_at is not None:
            return "unsubscribed"
        return "confirmed" if self.confirmed_at is not None else "waiting for confirmation"

    def confirm(self, *, now: dt.datetime | None = None) -> None:
        """Put the address on the list (again, if it had unsubscribed)."""
        if self.is_confirmed:
            return
        self.confirmed_at = now or timezone.now()
        self.unsubscribed_at = None
        self.save(update_fields=["confirmed_at", "unsubscribed_at"])

    def unsubscribe(self, *, now: dt.datetime | None = None) -> None:
        if self.unsubscribed_at is not None:
            return
        self.unsubscribed_at = now or timezone.now()
        self.save(update_fields=["unsubscribed_at"])


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def unfinished(self) -> DeliveryQuerySet:
        return self.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])


class Delivery(models.Model):
    """One email about one post to one subscriber: made once, claimed once, sent once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (unsubscribed)"
        FAILED = "failed", "Failed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # Which run of the delivery task holds this row while it is "sending".
    claim_token = models.CharField(max_length=32, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The task worker of that run ("" outside one): once its heartbeat stops, the rows it
    # still holds are taken back at once instead of after the stall timeout.
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True, default="")

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["post", "subscriber"], name="blog_delivery_once_per_subscriber"
            )
        ]
        indexes = [
            models.Index(fields=["post", "status"], name="blog_delivery_post_status"),
            models.Index(fields=["claim_token"], name="blog_delivery_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.subscriber}"
