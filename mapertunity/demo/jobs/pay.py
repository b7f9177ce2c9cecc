"""Plausible local pay for a demo job: a per-country scale, rounded to figures people post.

The figures are rough, round reference points for a mid-career office job, in local
currency, and are meant only to make the demo look sensible, not to advise anyone on pay.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from mapertunity.core.choices import EmploymentType, PayPeriod
from mapertunity.core.money import PERIODS_PER_YEAR, to_minor

HOURS_PER_YEAR = PERIODS_PER_YEAR[PayPeriod.HOUR]
WORKING_DAYS_PER_YEAR = PERIODS_PER_YEAR[PayPeriod.DAY]


@dataclass(frozen=True, slots=True)
class CountryPay:
    currency: str
    reference: int
    """Yearly pay of a mid-career office job, in major units of ``currency``."""
    spread: float
    """Exponent on role multiples: wider gaps between roles in some labour markets."""
    monthly: bool
    """Whether salaries are customarily quoted per month."""
    hourly_floor: float
    """A rough statutory minimum per hour where one is well known; 0 otherwise."""


def _c(
    currency: str, reference: int, spread: float = 1.0, monthly: bool = False, floor: float = 0
) -> CountryPay:
    return CountryPay(currency, reference, spread, monthly, floor)


COUNTRY_PAY: dict[str, CountryPay] = {
    # North America and the Caribbean
    "US": _c("USD", 58_000, floor=13),
    "CA": _c("CAD", 60_000, floor=17),
    "PR": _c("USD", 36_000),
    "MX": _c("MXN", 200_000, 1.35, True),
    "GT": _c("GTQ", 66_000, 1.35, True),
    "HN": _c("HNL", 180_000, 1.35, True),
    "SV": _c("USD", 9_600, 1.35, True),
    "CR": _c("CRC", 8_400_000, 1.3, True),
    "PA": _c("PAB", 14_400, 1.3, True),
    "DO": _c("DOP", 420_000, 1.35, True),
    "JM": _c("JMD", 1_800_000, 1.3),
    # South America
    "BR": _c("BRL", 54_000, 1.35, True),
    "AR": _c("ARS", 14_400_000, 1.3, True),
    "CL": _c("CLP", 12_000_000, 1.3, True),
    "CO": _c("COP", 36_000_000, 1.35, True),
    "PE": _c("PEN", 30_000, 1.35, True),
    "EC": _c("USD", 9_600, 1.35, True),
    "UY": _c("UYU", 840_000, 1.25, True),
    "BO": _c("BOB", 48_000, 1.35, True),
    "PY": _c("PYG", 48_000_000, 1.35, True),
    # Europe
    "GB": _c("GBP", 36_000, floor=12.25),
    "IE": _c("EUR", 46_000, floor=13.5),
    "DE": _c("EUR", 50_000, floor=12.85),
    "FR": _c("EUR", 38_000, floor=11.9),
    "NL": _c("EUR", 46_000, floor=14.4),
    "BE": _c("EUR", 45_000, floor=12.5),
    "LU": _c("EUR", 60_000, floor=15.5),
    "ES": _c("EUR", 30_000, 1.05),
    "PT": _c("EUR", 21_000, 1.1),
    "IT": _c("EUR", 30_000, 1.05),
    "AT": _c("EUR", 46_000),
    "CH": _c("CHF", 88_000),
    "SE": _c("SEK", 450_000, 0.95, True),
    "NO": _c("NOK", 600_000, 0.9),
    "DK": _c("DKK", 480_000, 0.9),
    "FI": _c("EUR", 45_000, 0.95, True),
    "IS": _c("ISK", 9_000_000, 0.9, True),
    "PL": _c("PLN", 96_000, 1.2, True),
    "CZ": _c("CZK", 540_000, 1.15, True),
    "SK": _c("EUR", 19_000, 1.15, True),
    "HU": _c("HUF", 7_200_000, 1.2, True),
    "RO": _c("RON", 72_000, 1.25, True),
    "HR": _c("EUR", 20_000, 1.1, True),
    "SI": _c("EUR", 26_000, 1.1, True),
    "RS": _c("RSD", 1_300_000, 1.25, True),
    "GR": _c("EUR", 19_000, 1.1),
    "LT": _c("EUR", 24_000, 1.15, True),
    "LV": _c("EUR", 20_000, 1.15, True),
    "EE": _c("EUR", 24_000, 1.1, True),
    "UA": _c("UAH", 240_000, 1.3, True),
    # Asia
    "JP": _c("JPY", 4_800_000, floor=1100),
    "KR": _c("KRW", 45_000_000, 1.05, floor=10100),
    "CN": _c("CNY", 120_000, 1.2, True),
    "HK": _c("HKD", 300_000, 1.1, True),
    "TW": _c("TWD", 660_000, 1.1, True),
    "SG": _c("SGD", 66_000, 1.1, True),
    "MY": _c("MYR", 60_000, 1.25, True),
    "TH": _c("THB", 300_000, 1.3, True),
    "VN": _c("VND", 180_000_000, 1.35, True),
    "PH": _c("PHP", 360_000, 1.35, True),
    "ID": _c("IDR", 96_000_000, 1.35, True),
    "IN": _c("INR", 600_000, 1.45),
    "PK": _c("PKR", 1_200_000, 1.4, True),
    "BD": _c("BDT", 360_000, 1.4, True),
    "LK": _c("LKR", 1_200_000, 1.4, True),
    "NP": _c("NPR", 480_000, 1.4, True),
    "KZ": _c("KZT", 3_600_000, 1.3, True),
    "TR": _c("TRY", 600_000, 1.25, True),
    "IL": _c("ILS", 180_000, 1.05, True),
    "JO": _c("JOD", 9_600, 1.3, True),
    "AE": _c("AED", 144_000, 1.25, True),
    "SA": _c("SAR", 132_000, 1.25, True),
    "QA": _c("QAR", 144_000, 1.25, True),
    # Africa
    "ZA": _c("ZAR", 300_000, 1.35),
    "NG": _c("NGN", 3_600_000, 1.45, True),
    "KE": _c("KES", 840_000, 1.45, True),
    "EG": _c("EGP", 144_000, 1.4, True),
    "MA": _c("MAD", 84_000, 1.35, True),
    "TN": _c("TND", 24_000, 1.35, True),
    "DZ": _c("DZD", 720_000, 1.35, True),
    "GH": _c("GHS", 54_000, 1.4, True),
    "ET": _c("ETB", 120_000, 1.45, True),
    "TZ": _c("TZS", 9_600_000, 1.45, True),
    "UG": _c("UGX", 14_400_000, 1.45, True),
    "RW": _c("RWF", 3_600_000, 1.45, True),
    "SN": _c("XOF", 2_400_000, 1.4, True),
    "CI": _c("XOF", 2_400_000, 1.4, True),
    "CM": _c("XAF", 2_400_000, 1.4, True),
    "ZM": _c("ZMW", 96_000, 1.4, True),
    "BW": _c("BWP", 96_000, 1.35, True),
    "NA": _c("NAD", 120_000, 1.35, True),
    "MU": _c("MUR", 360_000, 1.3, True),
    # Oceania
    "AU": _c("AUD", 85_000, floor=25),
    "NZ": _c("NZD", 65_000, floor=23.5),
    "FJ": _c("FJD", 24_000, 1.25),
    "PG": _c("PGK", 36_000, 1.35),
}

PART_TIME_SHARE = 0.6
"""Hours of a part-time post as a share of full time, for pay quoted per month or year."""

# Where shift workers on full-time contracts are commonly quoted an hourly rate.
HOURLY_FULL_TIME = {"US", "CA", "PR", "AU", "NZ", "GB", "IE"}
# Where freelance specialists in tech and design usually quote a day rate.
DAY_RATE_CONTRACTS = {"GB", "IE", "DE", "NL", "BE", "FR", "CH", "AT", "LU", "DK", "SE", "NO"}
DAY_RATE_FIELDS = {"software", "data", "design"}


@dataclass(frozen=True, slots=True)
class Pay:
    salary_min: int
    salary_max: int
    currency: str
    period: str


def supported(country_code: str, currency: str) -> bool:
    """Whether the table prices this country in the currency the gazetteer gives it."""
    row = COUNTRY_PAY.get(country_code)
    return row is not None and row.currency == currency


def nice(amount: float, *, up: bool = False) -> Decimal:
    """Round to a figure an employer would post: 58,000, 4,500, 1,250, 18.50.

    ``up`` rounds up instead of to the nearest, for amounts that mustn't drop below a floor.
    """
    if amount <= 0:
        return Decimal(0)
    value = Decimal(repr(amount))
    magnitude = Decimal(10) ** (value.adjusted())
    step = magnitude / 20 if value / magnitude < 3 else magnitude / 10
    rounding = ROUND_CEILING if up else ROUND_HALF_UP
    return (value / step).quantize(Decimal(1), rounding=rounding) * step


def _period(
    rng: random.Random,
    *,
    country: str,
    multiple: float,
    field_key: str,
    shift_work: bool,
    employment_type: str,
) -> str:
    monthly = COUNTRY_PAY[country].monthly
    if employment_type == EmploymentType.INTERNSHIP:
        return PayPeriod.MONTH
    if employment_type in (EmploymentType.PART_TIME, EmploymentType.TEMPORARY):
        if shift_work or rng.random() < 0.6:
            return PayPeriod.HOUR
        return PayPeriod.MONTH if monthly else PayPeriod.YEAR
    if employment_type == EmploymentType.CONTRACT and (
        country in DAY_RATE_CONTRACTS and field_key in DAY_RATE_FIELDS
    ):
        return PayPeriod.DAY
    # Salaried supervisors and specialists are rarely quoted by the hour, even in shift work.
    if shift_work and multiple < 1.0 and country in HOURLY_FULL_TIME and rng.random() < 0.6:
        return PayPeriod.HOUR
    return PayPeriod.MONTH if monthly else PayPeriod.YEAR


def pay_for(
    rng: random.Random,
    *,
    country: str,
    multiple: float,
    field_key: str,
    shift_work: bool,
    employment_type: str,
) -> Pay:
    """A rounded pay range for a role paid ``multiple`` times the country's reference pay."""
    row = COUNTRY_PAY[country]
    period = _period(
        rng,
        country=country,
        multiple=multiple,
        field_key=field_key,
        shift_work=shift_work,
        employment_type=employment_type,
    )
    yearly = row.reference * multiple**row.spread
    if employment_type == EmploymentType.INTERNSHIP:
        yearly = row.reference * 0.45
    yearly = max(yearly, row.hourly_floor * HOURS_PER_YEAR * 1.05)
    if employment_type == EmploymentType.PART_TIME and period in (PayPeriod.MONTH, PayPeriod.YEAR):
        yearly *= PART_TIME_SHARE
    if period == PayPeriod.HOUR:
        base = yearly / HOURS_PER_YEAR
    elif period == PayPeriod.DAY:
        # Contractors carry their own gaps between contracts, so the day rate runs higher.
        base = yearly * 1.5 / WORKING_DAYS_PER_YEAR
    elif period == PayPeriod.MONTH:
        base = yearly / 12
    else:
        base = yearly
    low = base * rng.uniform(0.86, 0.97)
    if period == PayPeriod.HOUR and low < row.hourly_floor:
        low = nice(row.hourly_floor, up=True)
    else:
        low = nice(low)
    high = nice(base * rng.uniform(1.08, 1.3))
    if rng.random() < 0.06:
        high = low  # some employers post a single figure
    high = max(high, low)
    return Pay(
        salary_min=to_minor(low, row.currency),
        salary_max=to_minor(high, row.currency),
        currency=row.currency,
        period=period,
    )
