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
        ("admin", "reserved"),
        ("API", "reserved"),
        ("jobs", "reserved"),
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
    assert "is taken" in client.get(check, {"handle": "TAKEN-ID"}).content.decode()
    assert "reserved" in client.get(check, {"handle": "admin"}).content.decode()
    assert client.get(check, {"handle": ""}).content.decode().strip() == ""
