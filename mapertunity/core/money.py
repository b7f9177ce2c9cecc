"""Money, the one home of its rules: minor units, formatting, annualising, currencies.

Pay is stored as integer minor units (cents) plus an ISO 4217 code. Every comparison of
pay across periods (the job pay filter, the candidate budget filter, the demo data) goes
through :data:`PERIODS_PER_YEAR`; every currency a person can choose comes from
:func:`currency_choices`, the currencies with a rate in :data:`USD_RATES`.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

# Currencies whose minor unit is not a hundredth; the rest use two decimals.
ZERO_DECIMAL = {"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "IDR", "HUF", "COP"}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩", "BRL": "R$"}


def minor_per_major(currency: str) -> int:
    return 1 if currency.upper() in ZERO_DECIMAL else 100


def to_minor(amount: Decimal, currency: str) -> int:
    return int((amount * minor_per_major(currency)).to_integral_value())


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor) / minor_per_major(currency)


def _number(minor: int, currency: str) -> str:
    major = to_major(minor, currency)
    return f"{major:,.0f}" if major == major.to_integral_value() else f"{major:,.2f}"


def format_amount(minor: int, currency: str) -> str:
    symbol = SYMBOLS.get(currency.upper())
    number = _number(minor, currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency.upper()}"


def format_pay(salary_min: int, salary_max: int, currency: str, period_label: str) -> str:
    """'$90,000–$120,000 per year', '25–30 CHF per hour', or one figure for a single value."""
    if salary_min == salary_max:
        return f"{format_amount(salary_min, currency)} {period_label}"
    if currency.upper() in SYMBOLS:
        low, high = format_amount(salary_min, currency), format_amount(salary_max, currency)
        return f"{low}–{high} {period_label}"
    low, high = _number(salary_min, currency), _number(salary_max, currency)
    return f"{low}–{high} {currency.upper()} {period_label}"


# -- Annualised pay in US dollars, what pay filters compare ------------------------------

PERIODS_PER_YEAR = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
"""A working year: 40 hours a week, 5 days a week, 52 weeks (so $25 an hour is $52,000 a
year). The one annualising rule of the site: job pay filters, candidate budgets and the
demo data all use it."""

PAY_STEP_USD = 100
"""Pay filters compare whole multiples of this many dollars a year (see ``pay_floor_usd``)."""

MAX_PAY_FILTER_USD = 65_535 * PAY_STEP_USD
"""The largest minimum a pay filter can ask for; the map index stores pay in 16 bits."""

# Units of each currency per US dollar: rough mid-market rates of early 2025, fixed so that
# search works offline and gives the same answer everywhere. They only rank and filter
# postings by pay; they are never shown as a price. Currencies missing here (volatile or
# rarely used) have no annualised pay, so a pay filter never matches their postings.
USD_RATES: dict[str, Decimal] = {
    code: Decimal(rate)
    for code, rate in {
        "USD": "1", "EUR": "0.92", "GBP": "0.79", "JPY": "150", "CHF": "0.88",
        "CAD": "1.36", "AUD": "1.52", "NZD": "1.66", "CNY": "7.2", "HKD": "7.8",
        "SGD": "1.34", "KRW": "1350", "TWD": "31.5", "INR": "83", "PKR": "278",
        "BDT": "110", "LKR": "300", "NPR": "133", "IDR": "15700", "MYR": "4.7",
        "THB": "35.5", "PHP": "56", "VND": "24500", "AED": "3.6725", "SAR": "3.75",
        "QAR": "3.64", "KWD": "0.307", "BHD": "0.376", "OMR": "0.385", "JOD": "0.709",
        "ILS": "3.7", "TRY": "32", "EGP": "48", "MAD": "10", "DZD": "135", "TND": "3.1",
        "NGN": "1500", "GHS": "14.5", "KES": "130", "TZS": "2600", "UGX": "3800",
        "RWF": "1300", "ETB": "57", "ZAR": "18.5", "BWP": "13.6", "NAD": "18.5",
        "ZMW": "26", "XAF": "605", "XOF": "605", "MUR": "46", "MXN": "17.5", "GTQ": "7.8",
        "HNL": "24.7", "CRC": "515", "PAB": "1", "DOP": "59", "JMD": "156", "BRL": "5.1",
        "ARS": "900", "CLP": "940", "COP": "3950", "PEN": "3.75", "BOB": "6.91",
        "UYU": "39", "PYG": "7400", "PLN": "4.0", "CZK": "23", "HUF": "360", "RON": "4.6",
        "BGN": "1.8", "RSD": "108", "BAM": "1.8", "MKD": "56.7", "ALL": "94", "SEK": "10.5",
        "NOK": "10.7", "DKK": "6.9", "ISK": "138", "UAH": "39.5", "GEL": "2.7",
        "AMD": "390", "AZN": "1.7", "MDL": "17.8", "KZT": "450", "UZS": "12600",
        "KGS": "89", "MNT": "3400", "FJD": "2.25", "PGK": "3.8", "XPF": "110", "BND": "1.34",
        "MOP": "8.05", "BTN": "83", "MVR": "15.4", "KHR": "4100", "LAK": "21000",
        "MMK": "2100", "XCD": "2.7", "BBD": "2", "BSD": "1", "BMD": "1", "KYD": "0.833",
        "BZD": "2", "TTD": "6.8", "AWG": "1.79", "ANG": "1.79", "NIO": "36.6",
        "SCR": "13.5", "MWK": "1730", "MZN": "63.9", "AOA": "830", "MGA": "4500",
        "SZL": "18.5", "LSL": "18.5", "CVE": "101.5", "GMD": "67", "DJF": "178",
        "ERN": "15", "TOP": "2.35", "WST": "2.7", "SBD": "8.4",
    }.items()
}  # fmt: skip

CURRENCIES: tuple[str, ...] = tuple(sorted(USD_RATES))


def currency_choices() -> list[tuple[str, str]]:
    """Every currency pay can be given in: those with a rate, so every posted pay can be
    found by the pay filter and compared with a budget."""
    return [(code, code) for code in CURRENCIES]


def annual_minor(minor: int, period: str) -> int:
    """An amount per ``period`` as the same currency's minor units per year."""
    return minor * PERIODS_PER_YEAR[period]


def annual_usd(minor: int, currency: str, period: str) -> int | None:
    """Whole US dollars a year for an amount in minor units per ``period``, or None."""
    rate = USD_RATES.get(currency.upper())
    per_year = PERIODS_PER_YEAR.get(period)
    if rate is None or per_year is None or minor is None:
        return None
    return int(to_major(minor, currency) * per_year / rate)


def pay_floor_usd(amount: Decimal, currency: str, period: str) -> int | None:
    """A pay filter's minimum in dollars a year: rounded up to ``PAY_STEP_USD`` and capped.

    Rounding to a step lets the map index keep pay in 16 bits and still agree exactly with
    SQL: both compare the stored whole dollars with a multiple of the step.
    """
    rate = USD_RATES.get(currency.upper())
    per_year = PERIODS_PER_YEAR.get(period)
    if rate is None or per_year is None:
        return None
    steps = int((amount * per_year / rate / PAY_STEP_USD).to_integral_value(rounding=ROUND_CEILING))
    return min(max(steps, 1) * PAY_STEP_USD, MAX_PAY_FILTER_USD)


# -- Plausible pay: what a posting may ask people to believe ------------------------------

PAY_SPREAD_MAX = 3
"""The top of a pay range may be at most this many times its bottom."""

PLAUSIBLE_USD_YEAR = (500, 2_000_000)
"""Pay annualised by :data:`PERIODS_PER_YEAR` must fall within these dollars a year: below,
it is a typo or a period mix-up ($0.01 an hour); above, a typo or bait ($9M an hour).
The floor sits under the lowest legal full-time wages anywhere; the ceiling over the
highest salaries a job board sees."""


def pay_problem(low: int, high: int, currency: str, period: str) -> tuple[str, str] | None:
    """Why a pay range (minor units per ``period``) can't be posted, as ``(field, message)``
    naming the form field to blame; None when it is plausible."""
    if low <= 0 or high <= 0:
        field = "salary_min" if low <= 0 else "salary_max"
        return field, "Pay must be more than zero."
    if high < low:
        return "salary_max", "The top of the range can't be below the bottom."
    if high > PAY_SPREAD_MAX * low:
        return "salary_max", (
            f"The top of the range can be at most {PAY_SPREAD_MAX} times the bottom: a "
            "range that wide tells candidates nothing. Narrow it, or post two jobs."
        )
    floor_usd, ceiling_usd = PLAUSIBLE_USD_YEAR
    low_usd, high_usd = annual_usd(low, currency, period), annual_usd(high, currency, period)
    label = {"hour": "an hour", "day": "a day", "week": "a week", "month": "a month"}
    per = label.get(period, "a year")
    if low_usd is not None and low_usd < floor_usd:
        return "salary_min", (
            f"{format_amount(low, currency)} {per} is about ${low_usd:,} a year full time, "
            "less than any job pays. Check the amount and the period."
        )
    if high_usd is not None and high_usd > ceiling_usd:
        return "salary_max", (
            f"{format_amount(high, currency)} {per} is about ${high_usd:,} a year full "
            "time, beyond any pay we show. Check the amount and the period."
        )
    return None
