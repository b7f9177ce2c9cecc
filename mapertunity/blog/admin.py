"""Where staff write, preview, schedule and publish posts, and see who was emailed."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from . import actions
from .forms import PostAdminForm
from .models import Author, AuthorLink, Category, Delivery, Post, Subscriber, Tag


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    extra = 1


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "mission"]
    search_fields = ["name", "user__email"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]
    inlines = [AuthorLinkInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "description"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    list_display = ["title", "status", "published_at", "author", "preview_link", "emailed"]
    list_filter = ["status", "categories", "author"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["categories", "tags"]
    readonly_fields = ["preview_link", "reading_minutes", "emailed", "created_at", "updated_at"]
    actions = ["publish_now", "resume_delivery"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "summary", "body", "preview_link"]}),
        ("Topics", {"fields": ["categories", "tags"]}),
        ("Cover image", {"fields": ["cover_image", "cover_image_alt"], "classes": ["collapse"]}),
        (
            "Publishing",
            {
                "fields": ["status", "published_at", "email_subscribers"],
                "description": (
                    "Draft: only staff see it. Scheduled: it goes live by itself at the "
                    "publish date. Published: live now. Subscribers are emailed once, when "
                    "the post first goes live."
                ),
            },
        ),
        ("Details", {"fields": ["reading_minutes", "emailed", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        return (
            super()
            .get_queryset(request)
            .select_related("author")
            .annotate(
                sent_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
                delivery_count=Count("deliveries"),
            )
        )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, str | list[str]]:
        initial = super().get_changeform_initial_data(request)
        author = None
        if request.user.is_authenticated:
            author = Author.objects.filter(user_id=request.user.pk).first()
        if author is not None:
            initial.setdefault("author", str(author.pk))
        return initial

    @admin.display(description="Preview")
    def preview_link(self, post: Post) -> str:
        if not post.pk:
            return "Save the post to preview it."
        label = "View the post" if post.is_live else "Preview (only staff can see it)"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', post.get_absolute_url(), label
        )

    @admin.display(description="Emailed")
    def emailed(self, post: Post) -> str:
        total = getattr(post, "delivery_count", None)
        if total is None:
            total = post.deliveries.count()
            sent = post.deliveries.filter(status=Delivery.Status.SENT).count()
        else:
            sent = getattr(post, "sent_count", 0)
        if post.delivery_requested_at is None:
            return "—"
        state = "done" if post.delivery_finished_at else "sending"
        return f"{sent} of {total} ({state})"

    def save_model(self, request: HttpRequest, obj: Post, form: ModelForm, change: bool) -> None:
        previous = (
            Post.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
            if change
            else None
        )
        actions.save_post(post=obj, previous_status=previous)

    @admin.action(description="Publish now (and email subscribers)")
    def publish_now(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        published = [post for post in queryset if actions.publish_post(post=post)]
        self.message_user(request, f"Published {len(published)} post(s).", messages.SUCCESS)

    @admin.action(description="Resume unfinished email delivery")
    def resume_delivery(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        posts = queryset.filter(
            status=Post.Status.PUBLISHED,
            delivery_requested_at__isnull=False,
            delivery_finished_at__isnull=True,
        )
        for post in posts:
            actions.resume_delivery(post=post)
        self.message_user(request, f"Resumed delivery of {posts.count()} post(s).")


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "state", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = [
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email"]
    readonly_fields = ["email", "created_at", "confirmed_at", "unsubscribed_at"]
    actions = ["unsubscribe_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Everyone on the list asked to be, through the confirmation email.
        return False

    @admin.action(description="Unsubscribe the selected addresses")
    def unsubscribe_selected(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        count = queryset.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())
        self.message_user(request, f"Unsubscribed {count} address(es).")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["post", "subscriber", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "post"]
    search_fields = ["subscriber__email", "post__title"]
    list_select_related = ["post", "subscriber"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False
