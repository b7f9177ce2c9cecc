import pytest
from django.test import Client


def test_suggestions_are_datalist_options(client: Client) -> None:
    html = client.get("/places/suggest/", {"place": "Munch"}).content.decode()
    assert '<option value="München' in html or '<option value="Munich' in html


def test_too_short_a_query_suggests_nothing(client: Client) -> None:
    assert client.get("/places/suggest/", {"q": "a"}).content.decode().strip() == ""


@pytest.mark.parametrize("q", ["<script>", "'; drop table", "x" * 500])
def test_odd_input_never_errors_and_is_never_echoed_unescaped(client: Client, q: str) -> None:
    response = client.get("/places/suggest/", {"q": q})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
