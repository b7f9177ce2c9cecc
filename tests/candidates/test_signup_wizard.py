import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from mapertunity.accounts.models import User
from mapertunity.candidates.models import CandidateProfile
from mapertunity.candidates.signup import MAX_DRAFT_VALUE
from tests.candidates.files import make_docx, make_pdf
from tests.helpers import verify_email

pytestmark = pytest.mark.django_db

NAME = {"first_name": "Ada", "last_name": "Okafor"}
HANDLE = {"handle": "ada-okafor"}
CONTACT = {
    "email": "ada@people.example.org",
    "password1": "a-long-pass-1",
    "password2": "a-long-pass-1",
    "phone": "+1 512 555 0100",
    "home": "78701",
}
ABOUT = {
    "headline": "Pastry chef",
    "summary": "Ten years of laminated doughs.",
    "skills": "Baking, Food safety, baking",
    "years_experience": "10",
    "desired_roles": "Pastry chef, Baker",
    "desired_pay_min": "48000",
    "desired_pay_max": "60000",
    "desired_currency": "USD",
    "desired_period": "year",
    "employment_types": ["full_time", "part_time"],
    "workplaces": ["onsite"],
    "commute_km": "25",
    "open_to_relocation": "on",
}


def step(client: Client, slug: str, data: dict | None = None, **kwargs):
    url = f"/signup/{slug}/"
    return client.post(url, data, **kwargs) if data is not None else client.get(url)


def confirm(client: Client, email: str = CONTACT["email"]):
    """Follow the link in the confirmation email, in this browser."""
    (message,) = [m for m in mail.outbox if m.to == [email] and "confirm-email" in m.body]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)[0]
    return client.post(urlsplit(link).path)


def walk_to(client: Client, last: str) -> None:
    """Fill the steps up to ``last``; step 3 includes confirming the address."""
    for slug, data in [("name", NAME), ("id", HANDLE), ("contact", CONTACT), ("about", ABOUT)]:
        response = step(client, slug, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        if slug == "contact":
            assert confirm(client)["Location"] == "/signup/"
            client.get("/signup/")
        if slug == last:
            return


def test_the_five_steps_create_a_complete_profile_and_send_a_confirmation(client: Client) -> None:
    assert client.get("/signup/")["Location"] == "/signup/name/"
    assert step(client, "name", NAME)["Location"] == "/signup/id/"
    assert step(client, "id", HANDLE)["Location"] == "/signup/contact/"
    assert not User.objects.exists()  # no account until step 3
    assert step(client, "contact", CONTACT)["Location"] == "/signup/sent/"
    user = User.objects.get(email="ada@people.example.org")
    assert (user.first_name, user.last_name, user.handle) == ("Ada", "Okafor", None)
    assert "_auth_user_id" not in client.session  # signed in only once confirmed
    assert client.get("/signup/")["Location"] == "/signup/sent/"
    assert len(mail.outbox) == 1 and "confirm" in mail.outbox[0].body.lower()
    assert confirm(client)["Location"] == "/signup/"
    assert client.get("/signup/")["Location"] == "/signup/about/"
    user.refresh_from_db()
    assert user.handle == "ada-okafor" and user.has_verified_email
    assert step(client, "about", ABOUT)["Location"] == "/signup/resume/"
    upload = make_pdf("Ada Okafor. Croissants and sourdough.", name="ada.pdf")
    response = step(client, "resume", {"resume": upload})
    assert response["Location"] == "/u/ada-okafor/"
    profile = CandidateProfile.objects.get(user=user)
    assert profile.is_complete
    assert profile.phone == "+1 512 555 0100"
    assert profile.home_city == "Austin" and profile.public_label
    assert sorted(s.name for s in profile.skills.all()) == ["Baking", "Food safety"]
    assert profile.desired_pay_min == 4_800_000 and profile.employment_types == [
        "full_time",
        "part_time",
    ]
    assert "croissants" in profile.resume.text.lower()


def test_the_resume_step_can_be_skipped(client: Client) -> None:
    walk_to(client, "about")
    response = step(client, "resume", {"skip": "1"})
    assert response["Location"] == "/u/ada-okafor/"
    profile = CandidateProfile.objects.get()
    assert profile.is_complete and not hasattr(profile, "resume")


def test_a_docx_resume_is_accepted(client: Client) -> None:
    walk_to(client, "about")
    step(client, "resume", {"resume": make_docx("Sourdough lead at a night bakery.")})
    assert "sourdough" in CandidateProfile.objects.get().resume.text.lower()


def test_revisiting_signup_resumes_at_the_first_unfinished_step(client: Client) -> None:
    step(client, "name", NAME)
    assert client.get("/signup/")["Location"] == "/signup/id/"
    # A later step can't be skipped to.
    assert client.get("/signup/about/")["Location"] == "/signup/id/"
    walk_to(client, "contact")
    fresh = Client()
    fresh.login(email=CONTACT["email"], password=CONTACT["password1"])
    assert fresh.get("/signup/")["Location"] == "/signup/about/"


def test_back_shows_what_was_entered(client: Client) -> None:
    walk_to(client, "about")
    assert 'value="Ada"' in step(client, "name").content.decode()
    assert 'value="ada-okafor"' in step(client, "id").content.decode()
    about = step(client, "about").content.decode()
    assert 'value="Pastry chef"' in about and "Ten years of laminated doughs." in about
    checked = re.findall(
        r'<input type="checkbox" name="employment_types" value="(\w+)"[^>]*checked', about
    )
    assert checked == ["full_time", "part_time"]


def test_a_validation_error_keeps_everything_typed(client: Client) -> None:
    walk_to(client, "id")
    response = step(client, "contact", {**CONTACT, "home": "Qqqzzville", "password2": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "couldn" in html and "find" in html
    assert "don&#x27;t match" in html or "don't match" in html
    assert 'value="ada@people.example.org"' in html and 'value="+1 512 555 0100"' in html
    assert not User.objects.exists()


def test_typing_is_autosaved_and_comes_back_after_leaving(client: Client) -> None:
    walk_to(client, "contact")
    response = step(
        client, "about", {"headline": "Pastry ch", "summary": "Half a thought", "_autosave": "1"}
    )
    assert response.status_code == 204
    html = step(client, "about").content.decode()
    assert 'value="Pastry ch"' in html and "Half a thought" in html


def test_an_autosave_keeps_only_the_steps_own_fields_and_caps_their_size(client: Client) -> None:
    junk = {f"junk{n}": "x" * 10_000 for n in range(50)}
    step(client, "name", {"first_name": "A" * 50_000, "_autosave": "1", **junk})
    drafts = client.session["candidate_signup"]["drafts"]["name"]
    assert set(drafts) <= {"first_name", "last_name"}
    assert len(drafts["first_name"]) == MAX_DRAFT_VALUE
    walk_to(client, "contact")
    step(
        client, "contact", {"email": "x@example.org", "password1": "s3cret!pass", "_autosave": "1"}
    )
    assert "password1" not in client.session["candidate_signup"]["drafts"]["contact"]


def test_anonymous_autosaves_are_rate_limited(client: Client, settings) -> None:
    settings.SIGNUP_AUTOSAVES_PER_HOUR = 3
    codes = [
        step(client, "name", {"first_name": "Ada", "_autosave": "1"}).status_code for _ in range(5)
    ]
    assert codes == [204, 204, 204, 429, 429]


def test_each_step_validates_on_the_server(client: Client) -> None:
    assert "This field is required" in step(client, "name", {"first_name": ""}).content.decode()
    step(client, "name", NAME)
    html = step(client, "id", {"handle": "a b"}).content.decode()
    assert "letters, digits" in html
    walk_to(client, "contact")
    html = step(client, "about", {**ABOUT, "desired_pay_min": "90000", "desired_pay_max": "1"})
    assert (
        "can&#x27;t be below" in html.content.decode() or "can't be below" in html.content.decode()
    )
    html = step(client, "about", {**ABOUT, "years_experience": "-3"}).content.decode()
    assert "greater than or equal to 0" in html


def test_a_registered_address_is_told_to_check_its_inbox_and_its_owner_carries_on(
    client: Client, outsider
) -> None:
    verify_email(outsider)
    step(client, "name", NAME)
    step(client, "id", HANDLE)
    response = step(client, "contact", {**CONTACT, "email": outsider.email})
    assert response["Location"] == "/signup/sent/"
    assert User.objects.count() == 1
    (owner_mail,) = mail.outbox
    assert owner_mail.to == [outsider.email] and "already has an account" in owner_mail.body
    # The owner signs in here: what they typed is theirs.
    signed_in = client.post(
        "/accounts/login/?next=/signup/",
        {"login": outsider.email, "password": "correct-horse-battery"},
    )
    assert signed_in["Location"] == "/signup/"
    assert client.get("/signup/")["Location"] == "/signup/contact/"
    outsider.refresh_from_db()
    assert (outsider.first_name, outsider.handle) == ("Ada", "ada-okafor")
    html = step(client, "contact").content.decode()
    assert 'value="+1 512 555 0100"' in html and 'value="78701"' in html


def test_an_id_taken_while_the_address_was_unconfirmed_is_asked_for_again(
    client: Client,
) -> None:
    walk_to(client, "id")
    step(client, "contact", CONTACT)
    User.objects.create_user("quick@example.org", "correct-horse-battery", handle="ada-okafor")
    confirm(client)
    assert client.get("/signup/")["Location"] == "/signup/id/"
    html = step(client, "id").content.decode()
    assert "in the meantime" in html and 'value="ada-okafor"' in html
    assert step(client, "id", {"handle": "ada-okafor-2"})["Location"] == "/signup/contact/"
    assert client.get("/signup/")["Location"] == "/signup/about/"


def test_confirming_on_another_device_then_signing_in_here_carries_on(client: Client) -> None:
    walk_to(client, "id")
    step(client, "contact", CONTACT)
    assert confirm(Client())["Location"] == "/accounts/login/"  # not signed in over there
    client.post(
        "/accounts/login/?next=/signup/",
        {"login": CONTACT["email"], "password": CONTACT["password1"]},
    )
    assert client.get("/signup/")["Location"] == "/signup/about/"
    assert User.objects.get(email=CONTACT["email"]).handle == "ada-okafor"


def test_with_optional_confirmation_a_taken_email_is_refused_with_a_way_forward(
    client: Client, outsider, settings
) -> None:
    """Signed in at once, a new account would answer differently anyway (README, Security)."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    step(client, "name", NAME)
    step(client, "id", HANDLE)
    html = step(client, "contact", {**CONTACT, "email": outsider.email}).content.decode()
    assert "already exists" in html and "Sign in" in html
    assert step(client, "contact", CONTACT)["Location"] == "/signup/about/"
    assert User.objects.get(email=CONTACT["email"]).handle == "ada-okafor"


def test_a_weak_password_is_refused(client: Client) -> None:
    walk_to(client, "id")
    html = step(client, "contact", {**CONTACT, "password1": "12345678", "password2": "12345678"})
    assert "too common" in html.content.decode() or "entirely numeric" in html.content.decode()


def test_a_signed_in_user_skips_email_and_password(client: Client, outsider) -> None:
    client.force_login(outsider)
    step(client, "name", NAME)
    step(client, "id", {"handle": "outsider-1"})
    html = step(client, "contact").content.decode()
    assert 'name="password1"' not in html and 'name="email"' not in html
    assert step(client, "contact", {"phone": "", "home": "Berlin"})["Location"] == "/signup/about/"
    outsider.refresh_from_db()
    assert outsider.handle == "outsider-1" and outsider.candidate.home_city == "Berlin"


def test_the_profile_is_private_until_the_email_is_confirmed(client: Client, settings) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"  # signed in before confirming
    for slug, data in [("name", NAME), ("id", HANDLE), ("contact", CONTACT), ("about", ABOUT)]:
        step(client, slug, data)
    step(client, "resume", {"skip": "1"})
    profile = CandidateProfile.objects.get()
    profile.visibility = CandidateProfile.Visibility.PUBLIC
    profile.save()
    assert client.get("/u/ada-okafor/").status_code == 200  # the owner always can
    assert Client().get("/u/ada-okafor/").status_code == 404
    EmailAddress.objects.filter(user=profile.user).update(verified=True)
    assert Client().get("/u/ada-okafor/").status_code == 200


def test_after_confirming_email_an_employer_finds_them_by_skill_and_place(
    client: Client, employer
) -> None:
    walk_to(client, "about")
    step(client, "resume", {"skip": "1"})
    assert EmailAddress.objects.get(email=CONTACT["email"]).verified

    client.force_login(employer)
    austin = {"bbox": "-98.5,29.5,-97,31", "zoom": 9}
    found = client.get("/api/v1/map/candidates", {**austin, "skills": "baking"}).json()
    assert found["total"] == 1
    assert (
        client.get("/api/v1/map/candidates", {**austin, "skills": "welding"}).json()["total"] == 0
    )
    html = client.get("/candidates/", {**austin, "skills": "baking"}).content.decode()
    assert "/u/ada-okafor/" in html
    assert client.get("/u/ada-okafor/").status_code == 200
