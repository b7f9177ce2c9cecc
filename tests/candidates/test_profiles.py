import pytest
from django.test import Client

from tests.helpers import make_candidate

pytestmark = pytest.mark.django_db


def test_a_public_profile_is_seen_by_everyone(client: Client) -> None:
    make_candidate("open-book", visibility="public", headline="Night nurse")
    response = client.get("/u/open-book/")
    assert response.status_code == 200
    assert "Night nurse" in response.content.decode()


def test_handles_are_case_insensitive_and_redirect_to_the_chosen_case(client: Client) -> None:
    make_candidate("Open-Book", visibility="public")
    response = client.get("/u/open-book/")
    assert response.status_code == 301 and response["Location"] == "/u/Open-Book/"


def test_an_employers_only_profile_is_404_for_the_public_and_other_candidates(
    client: Client, employer
) -> None:
    make_candidate("quiet-one", visibility="employers")
    assert client.get("/u/quiet-one/").status_code == 404
    client.force_login(make_candidate().user)
    assert client.get("/u/quiet-one/").status_code == 404
    client.force_login(employer)
    assert client.get("/u/quiet-one/").status_code == 200


def test_a_hidden_profile_is_404_for_everyone_but_its_owner(client: Client, employer) -> None:
    profile = make_candidate("ghost", visibility="hidden")
    client.force_login(employer)
    assert client.get("/u/ghost/").status_code == 404
    client.force_login(profile.user)
    html = client.get("/u/ghost/").content.decode()
    assert "only you can see it" in html


def test_the_owner_changes_visibility_and_open_to_work(client: Client, employer) -> None:
    profile = make_candidate("switcher", visibility="hidden")
    client.force_login(profile.user)
    response = client.post(
        "/profile/", {"form": "visibility", "visibility": "employers", "open_to_work": "on"}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.visibility == "employers" and profile.open_to_work
    client.force_login(employer)
    assert client.get("/u/switcher/").status_code == 200


def test_the_owner_edits_about_and_home(client: Client) -> None:
    profile = make_candidate("mover")
    client.force_login(profile.user)
    response = client.post(
        "/profile/",
        {
            "form": "about",
            "headline": "Sous chef",
            "skills": "Knife work",
            "desired_currency": "USD",
            "desired_period": "year",
        },
    )
    assert response.status_code == 302
    client.post("/profile/", {"form": "contact", "phone": "", "home": "München"})
    profile.refresh_from_db()
    assert profile.headline == "Sous chef" and profile.home_city in {"München", "Munich"}
    assert profile.public_label.endswith("DE")


def test_a_bad_edit_re_renders_with_the_message(client: Client) -> None:
    profile = make_candidate("typo")
    client.force_login(profile.user)
    response = client.post("/profile/", {"form": "contact", "home": "Nowhere-at-all-ville"})
    assert response.status_code == 200
    assert "Nowhere-at-all-ville" in response.content.decode()


def test_the_profile_settings_need_sign_in(client: Client) -> None:
    assert "/accounts/login/" in client.get("/profile/")["Location"]
