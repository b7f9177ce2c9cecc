"""What a role usually pays, roughly, by role family and country: the scam screen's yardstick.

Figures are typical full-time pay in US dollars a year for the United States, scaled by a
country's pay level. They are deliberately coarse: the screen only asks whether a posting
pays several times the usual, which is what "too good to be true" offers do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str
    pattern: re.Pattern[str]
    usd_year: int


def _family(name: str, words: str, usd_year: int) -> Family:
    return Family(name, re.compile(rf"\b(?:{words})\b", re.IGNORECASE), usd_year)


# First match wins: specific families before broad ones. Words are regex alternatives.
# fmt: off
_TABLE: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("physician", 240_000, (r"physician", r"surgeon", r"doctor", r"anaesthetist",
        r"anesthesiologist", r"psychiatrist",)),
    ("pharmacist", 125_000, (r"pharmacist",)),
    ("software", 120_000, (r"software", r"developer", r"programmer", r"devops", r"sre",
        r"backend", r"frontend", r"full[- ]stack", r"data scientist", r"machine learning",)),
    ("nurse", 80_000, (r"nurse", r"nursing", r"midwife", r"rn", r"lpn",)),
    ("engineer", 95_000, (r"engineer", r"architect",)),
    ("finance", 75_000, (r"accountant", r"auditor", r"controller", r"financial analyst",
        r"actuary",)),
    ("bookkeeping", 48_000, (r"bookkeeper", r"payroll", r"accounts (?:payable|receivable)",)),
    ("teaching", 55_000, (r"teacher", r"tutor", r"lecturer", r"instructor", r"teaching",)),
    ("trades", 58_000, (r"electrician", r"plumber", r"welder", r"carpenter", r"joiner",
        r"mechanic", r"technician", r"hvac", r"roofer", r"mason", r"scaffolder", r"fitter",
        r"machinist", r"glazier", r"painter", r"tiler",)),
    ("driving", 46_000, (r"driver", r"courier", r"chauffeur", r"delivery", r"trucker", r"hgv",)),
    ("warehouse", 40_000, (r"warehouse", r"picker", r"packer", r"forklift", r"stocker",
        r"loader", r"order selector", r"fulfil?ment",)),
    ("parcels", 38_000, (r"reshipp\w*", r"parcel", r"package (?:handler|inspector|forwarder)",
        r"shipping (?:agent|coordinator) from home",)),
    ("data entry", 37_000, (r"data entry", r"typist", r"transcri\w+", r"copy typist",)),
    ("customer service", 39_000, (r"customer (?:service|support|care)",
        r"call cent(?:er|re)", r"contact cent(?:er|re)", r"support agent", r"help ?desk",)),
    ("admin", 43_000, (r"administrative", r"admin assistant", r"office assistant",
        r"receptionist", r"secretary", r"personal assistant", r"virtual assistant", r"clerk",
        r"coordinator",)),
    ("evaluation", 32_000, (r"product tester", r"app tester", r"online evaluator", r"rater",
        r"reviewer", r"mystery shopper", r"task (?:associate|worker)", r"online assistant",)),
    ("hospitality", 35_000, (r"cook", r"chef", r"barista", r"server", r"waiter", r"waitress",
        r"bartender", r"kitchen", r"dishwasher", r"host", r"hostess", r"line cook", r"baker",
        r"sous",)),
    ("cleaning", 33_000, (r"cleaner", r"cleaning", r"housekeep\w*", r"janitor", r"custodian",
        r"caretaker",)),
    ("care", 34_000, (r"caregiver", r"carer", r"care (?:worker|assistant)",
        r"support worker", r"nanny", r"childminder", r"au pair", r"home health",)),
    ("retail", 32_000, (r"cashier", r"retail", r"sales associate", r"shop assistant",
        r"store associate", r"merchandiser",)),
    ("sales", 60_000, (r"sales", r"account executive", r"business development",)),
    ("marketing", 62_000, (r"marketing", r"designer", r"copywriter", r"content", r"social media",
        r"seo",)),
    ("management", 90_000, (r"manager", r"director", r"head of", r"lead",)),
)
# fmt: on
FAMILIES: tuple[Family, ...] = tuple(
    _family(name, "|".join(words), usd_year) for name, usd_year, words in _TABLE
)

# Pay level of a country against the United States: a coarse tier per country.
_TIERS: dict[float, str] = {
    1.15: "CH NO LU IS",
    1.0: "US DK IE AU SG QA AE",
    0.85: "CA NL DE BE AT SE FI NZ IL HK GB KW",
    0.7: "FR JP KR TW BH SA OM",
    0.5: "IT ES MT CY SI CZ EE PT LT LV GR SK PL HR HU",
    0.33: "UY CL CR PA RO BG MY TR MX AR RS BR CN MU KZ",
    0.22: "ZA TH CO PE DO EC GE AM BA MK AL JM ME MD BW NA",
    0.14: "IN ID PH VN EG MA TN DZ JO LK UA UZ BO PY GT HN SV NI",
    0.09: "PK BD NG KE GH NP KH LA MM TZ UG ET RW ZM ZW SN CI CM MG MW MZ",
}  # fmt: skip
COUNTRY_LEVEL: dict[str, float] = {
    code: level for level, codes in _TIERS.items() for code in codes.split()
}
DEFAULT_LEVEL = 0.3
"""For a country missing above: a middle level, so only wild outliers stand out."""


def family_of(title: str) -> Family | None:
    for family in FAMILIES:
        if family.pattern.search(title):
            return family
    return None


def usual_pay_usd(family: Family, country: str) -> float:
    """Typical full-time pay of the family in the country, in dollars a year."""
    return family.usd_year * COUNTRY_LEVEL.get(country.upper(), DEFAULT_LEVEL)
