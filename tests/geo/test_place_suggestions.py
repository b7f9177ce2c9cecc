"""Near misses for a place that isn't found: "Berln" is probably Berlin."""

from mapertunity.geo.gazetteer import get_gazetteer, suggest_places


def labels(query: str) -> list[str]:
    return [place.label for place in suggest_places(query, gazetteer=get_gazetteer())]


def test_a_letter_missing_suggests_the_city() -> None:
    assert labels("Berln")[0] == "Berlin, Germany"
    assert labels("Glasgoe")[0] == "Glasgow, Scotland, United Kingdom"


def test_bigger_places_come_first_among_equally_close_ones() -> None:
    assert labels("Lndon")[0] == "London, England, United Kingdom"


def test_qualifiers_still_have_to_fit() -> None:
    assert labels("Pariss, France") == ["Paris, France"]
    assert labels("Austn, TX")[0] == "Austin, TX, United States"


def test_gibberish_and_numbers_get_no_suggestion() -> None:
    assert labels("Qwzxvq") == []
    assert labels("12") == []
    assert labels("") == []
