"""No "pending review" status (nothing set it), and annualised pay by today's rule.

The rule (40 hours, 5 days, 52 weeks a year) and the rate table are frozen here, so this
migration gives the same result whatever the app's money module says later.
"""

from decimal import Decimal

from django.db import migrations, models
from django.utils import timezone

_ZERO_DECIMAL = {"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "IDR", "HUF", "COP"}
_PERIODS = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
_RATES = {
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
    }  # fmt: skip


def annual_usd(minor, currency: str, period: str) -> int | None:
    rate, per_year = _RATES.get(currency.upper()), _PERIODS.get(period)
    if rate is None or per_year is None or minor is None:
        return None
    major = Decimal(minor) / (1 if currency.upper() in _ZERO_DECIMAL else 100)
    return int(major * per_year / Decimal(rate))


def refill_pay(apps, schema_editor) -> None:
    Job = apps.get_model("jobs", "Job")
    jobs = Job.objects.using(schema_editor.connection.alias)
    # updated_at moves too, so a running site's map index re-reads the new figures.
    now, batch = timezone.now(), []
    for job in jobs.only("salary_max", "salary_currency", "salary_period").iterator(2000):
        job.pay_usd_year = annual_usd(job.salary_max, job.salary_currency, job.salary_period)
        job.updated_at = now
        batch.append(job)
        if len(batch) == 2000:
            jobs.bulk_update(batch, ["pay_usd_year", "updated_at"])
            batch = []
    if batch:
        jobs.bulk_update(batch, ["pay_usd_year", "updated_at"])


def drafts_for_pending(apps, schema_editor) -> None:
    Job = apps.get_model("jobs", "Job")
    Job.objects.using(schema_editor.connection.alias).filter(status="pending_review").update(
        status="draft"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_search_and_annual_pay"),
    ]

    operations = [
        migrations.RunPython(drafts_for_pending, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="job",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("published", "Published"),
                    ("expired", "Expired"),
                    ("closed", "Closed"),
                ],
                default="draft",
                max_length=16,
            ),
        ),
        migrations.RunPython(refill_pay, migrations.RunPython.noop, elidable=True),
    ]
