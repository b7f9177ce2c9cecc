"""The blog's pages, and subscribing to it by email."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from mapertunity.accounts.http import HtmxHttpRequest
from mapertunity.core.ratelimit import allow

from . import actions
from .forms import SubscribeForm
from .models import Author, Category, Post, Tag
from .structured_data import blog_posting_json_ld
from .tokens import subscriber_for_confirm_token, subscriber_for_unsubscribe_token

POSTS_PER_PAGE = 10
RELATED_POSTS = 3
RECENT_POSTS = 5


def _get_post_for_reader(request: HttpRequest, slug: str) -> Post:
    """A published post; staff also get drafts and scheduled posts, as a preview."""
    posts = Post.objects.visible_to(request.user).select_related("author")
    return get_object_or_404(posts, slug=slug)


def _blog_context(request: HttpRequest, **context: Any) -> dict[str, Any]:
    """What every blog page shows besides its own content: topics and the subscribe form."""
    live = Q(posts__status=Post.Status.PUBLISHED, posts__published_at__lte=timezone.now())
    categories = (
        Category.objects.annotate(post_count=Count("posts", filter=live))
        .filter(post_count__gt=0)
        .order_by("name")
    )
    context.setdefault("subscribe_form", SubscribeForm())
    return {"categories": categories, **context}


def _listing(
    request: HttpRequest, posts: Any, *, status: int = 200, **context: Any
) -> HttpResponse:
    page = Paginator(posts.newest_first(), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "blog/post_list.html", _blog_context(request, page=page, **context), status=status
    )


@require_safe
def post_list(request: HttpRequest) -> HttpResponse:
    return _listing(request, Post.objects.published(), is_index=True)


@require_safe
def category_posts(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    posts = Post.objects.published().filter(categories=category)
    return _listing(request, posts, category=category, current_category=category)


@require_safe
def tag_posts(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(request, Post.objects.published().filter(tags=tag), tag=tag)


@require_safe
def author_posts(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author.objects.prefetch_related("links"), slug=slug)
    posts = Post.objects.published().filter(author=author)
    return _listing(request, posts, author=author, author_links=list(author.links.all()))


@require_safe
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = _get_post_for_reader(request, slug)
    related = list(
        Post.objects.published().related_to(post).select_related("author")[:RELATED_POSTS]
    )
    recent = list(
        Post.objects.published()
        .exclude(pk__in=[post.pk, *(other.pk for other in related)])
        .newest_first()[:RECENT_POSTS]
    )
    context = {
        "post": post,
        "author": post.author,
        "author_links": list(post.author.links.all()),
        "post_categories": list(post.categories.all()),
        "post_tags": list(post.tags.all()),
        "related": related,
        "recent": recent,
        "is_preview": not post.is_live,
        "json_ld": blog_posting_json_ld(post, request) if post.is_live else None,
    }
    return render(request, "blog/post_detail.html", _blog_context(request, **context))


@require_http_methods(["GET", "POST"])
def subscribe(request: HtmxHttpRequest) -> HttpResponse:
    """The subscribe form; the answer is the same whatever the state of the address."""
    form = SubscribeForm(request.POST or None)
    done, status = False, 200
    if request.method == "POST":
        if not allow(
            "ip",
            request.META.get("REMOTE_ADDR", ""),
            limit=settings.BLOG_SUBSCRIBE_PER_IP_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(None, "Too many sign-ups from your network just now. Try again later.")
            status = 429
        elif form.is_valid():
            if not form.looks_like_a_bot:
                actions.subscribe(email=form.cleaned_data["email"])
            done = True
    context = {"subscribe_form": form, "subscribe_done": done}
    if request.htmx:
        # htmx swaps only 2xx answers in; the fragment carries the message either way.
        return render(request, "blog/_subscribe.html", context)
    return render(request, "blog/subscribe.html", _blog_context(request, **context), status=status)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation email. Confirming takes a button press (a POST),
    because mail scanners open links by themselves."""
    subscriber = subscriber_for_confirm_token(token)
    if subscriber is None:
        context = _blog_context(request, invalid=True)
        return render(request, "blog/confirm.html", context, status=400)
    if request.method == "POST":
        actions.confirm_subscription(subscriber=subscriber)
        return render(request, "blog/confirm.html", _blog_context(request, confirmed=True))
    context = _blog_context(request, already=subscriber.is_confirmed, subscriber=subscriber)
    return render(request, "blog/confirm.html", context)


# RFC 8058 one-click: mail apps POST here without cookies; the signed link is the secret.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks "are you sure?"; POST (the button, or a mail app's one click) unsubscribes."""
    subscriber = subscriber_for_unsubscribe_token(token)
    if subscriber is None:
        context = _blog_context(request, invalid=True)
        return render(request, "blog/unsubscribe.html", context, status=400)
    if request.method == "POST":
        actions.unsubscribe(subscriber=subscriber)
        return render(request, "blog/unsubscribe.html", _blog_context(request, done=True))
    context = _blog_context(request, subscriber=subscriber, token=token)
    return render(request, "blog/unsubscribe.html", context)
