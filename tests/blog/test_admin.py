"""Staff write, preview, schedule and publish posts in the Django admin."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks import default_task_backend

from mapertunity.accounts.models import User
from mapertunity.blog import tasks
from mapertunity.blog.models import Author, Post

from .helpers import make_author, make_category, make_post, make_subscriber

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/blog/post/add/"


@pytest.fixture
def admin_client(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


def form_data(author: Author, **fields: Any) -> dict[str, Any]:
    data = {
        "title": "Following up after an interview",
        "slug": "following-up",
        "author": author.pk,
        "summary": "Thank everyone, then follow up once.",
        "body": "## Step one\n\nSay thanks.",
        "status": Post.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "email_subscribers": "on",
        "cover_image_alt": "",
    }
    data.update(fields)
    return data


def at(when: dt.datetime) -> dict[str, str]:
    return {
        "published_at_0": when.strftime("%Y-%m-%d"),
        "published_at_1": when.strftime("%H:%M:%S"),
    }


def test_the_add_form_suggests_the_staff_members_own_author(
    admin_client: Client, superuser: User
) -> None:
    mine = make_author(name="Me", user=superuser)
    html = admin_client.get(ADD_URL).content.decode()
    assert f'<option value="{mine.pk}" selected>Me</option>' in html


def test_saving_a_draft_keeps_it_off_the_blog_and_offers_a_preview(
    admin_client: Client, client: Client
) -> None:
    author = make_author()
    make_subscriber("reader@example.org")
    response = admin_client.post(ADD_URL, form_data(author, categories=[make_category("Tips").pk]))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT and post.categories.count() == 1
    assert mail.outbox == []
    change_page = admin_client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert f'href="{post.get_absolute_url()}"' in change_page and "Preview" in change_page
    preview = admin_client.get(post.get_absolute_url())
    assert preview.status_code == 200 and "<h2>Step one</h2>" in preview.content.decode()


def test_publishing_from_the_admin_puts_it_live_and_emails_subscribers_once(
    admin_client: Client,
) -> None:
    author = make_author()
    make_subscriber("reader@example.org")
    admin_client.post(ADD_URL, form_data(author, status=Post.Status.PUBLISHED))
    post = Post.objects.get()
    assert post.is_live
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    # Saving it again (a typo fixed) sends nothing more.
    admin_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        form_data(
            author, status=Post.Status.PUBLISHED, title="Fixed typo", **at(post.published_at)
        ),
    )
    assert Post.objects.get().title == "Fixed typo"
    assert len(mail.outbox) == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_scheduling_from_the_admin_queues_the_post_for_its_time(admin_client: Client) -> None:
    author = make_author()
    when = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    response = admin_client.post(ADD_URL, form_data(author, status="scheduled", **at(when)))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.status == Post.Status.SCHEDULED and post.published_at == when
    [result] = default_task_backend.results
    assert result.task.func is tasks.publish_due_posts.func and result.task.run_after == when


@pytest.mark.parametrize(
    ("status", "days", "message"),
    [
        ("scheduled", -1, "This date has passed."),
        ("published", 1, "This date is still to come."),
    ],
)
def test_a_status_and_date_that_contradict_each_other_are_refused(
    admin_client: Client, status: str, days: int, message: str
) -> None:
    when = timezone.now() + dt.timedelta(days=days)
    response = admin_client.post(ADD_URL, form_data(make_author(), status=status, **at(when)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Post.objects.exists()


def test_a_scheduled_post_needs_a_date(admin_client: Client) -> None:
    response = admin_client.post(ADD_URL, form_data(make_author(), status="scheduled"))
    assert "A scheduled post needs a publish date." in response.content.decode()


def test_the_publish_now_action_publishes_the_selected_drafts(admin_client: Client) -> None:
    drafts = [make_post(status=Post.Status.DRAFT) for _ in range(2)]
    admin_client.post(
        "/admin/blog/post/",
        {"action": "publish_now", "_selected_action": [p.pk for p in drafts]},
    )
    assert Post.objects.published().count() == 2


def test_the_post_list_shows_how_many_were_emailed(admin_client: Client) -> None:
    make_subscriber("a@example.org")
    make_subscriber("b@example.org")
    post = make_post(status=Post.Status.DRAFT, title="Sent one")
    admin_client.post("/admin/blog/post/", {"action": "publish_now", "_selected_action": [post.pk]})
    html = admin_client.get("/admin/blog/post/").content.decode()
    assert "2 of 2 (done)" in html


def test_subscribers_cannot_be_added_by_hand(admin_client: Client) -> None:
    assert admin_client.get("/admin/blog/subscriber/add/").status_code == 403
