"""Pay is stored in integer minor units; this formats it for people."""

from decimal import Decimal

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
