import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from mapertunity.accounts.handles import validate_handle_format
from mapertunity.accounts.models import User


@pytest.mark.parametrize("handle", ["abc", "Ada_Lovelace-1815", "x" * 30])
def test_good_handles_pass(handle: str) -> None:
    validate_handle_format(handle)


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("ab", "at least 3"),
        ("x" * 31, "at most 30"),
        ("has space", "letters, digits"),
        ("émile", "letters, digits"),
        ("dot.name", "letters, digits"),
        ("admin", "not available"),
        ("API", "not available"),
        ("jobs", "not available"),
    ],
)
def test_bad_handles_say_why(handle: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_handle_format(handle)
    assert message in error.value.messages[0]


@pytest.mark.django_db
def test_handles_are_unique_ignoring_case() -> None:
    User.objects.create_user("a@example.org", "pw", handle="Taken")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("b@example.org", "pw", handle="taken")


@pytest.mark.django_db
def test_the_live_check_says_available_taken_or_why(client: Client) -> None:
    User.objects.create_user("a@example.org", "pw", handle="taken-id")
    check = "/signup/id/check/"
    assert "is available" in client.get(check, {"handle": "fresh-id"}).content.decode()
    assert "is not available" in client.get(check, {"handle": "TAKEN-ID"}).content.decode()
    assert "is not available" in client.get(check, {"handle": "admin"}).content.decode()
    assert client.get(check, {"handle": ""}).content.decode().strip() == ""


@pytest.mark.django_db
def test_a_hidden_profiles_id_reads_like_any_unavailable_one(client: Client) -> None:
    from tests.helpers import make_candidate

    hidden = make_candidate("quiet-one", visibility="hidden")
    check = "/signup/id/check/"
    hidden_answer = client.get(check, {"handle": hidden.user.handle}).content.decode()
    reserved_answer = client.get(check, {"handle": "support"}).content.decode()
    assert hidden_answer.replace("quiet-one", "X") == reserved_answer.replace("support", "X")
    # …and the profile's address is the same 404 as an ID nobody has.
    assert client.get("/u/quiet-one/").status_code == 404
    assert client.get("/u/nobody-has-this/").status_code == 404


@pytest.mark.django_db
def test_the_live_check_is_limited_per_address(client: Client, settings) -> None:
    settings.HANDLE_CHECKS_PER_HOUR = 3
    check = "/signup/id/check/"
    codes = [client.get(check, {"handle": f"try-{i}"}).status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(check, {"handle": "x-y-z"}, REMOTE_ADDR="203.0.113.7").status_code == 200
