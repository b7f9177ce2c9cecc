"""The scam screen's rules: each looks at one posting and says what it found, with a weight.

A rule returns ``(weight, reason)`` pairs; the reason is written for the staff member
who reviews the posting, so it quotes what triggered it. Weights add up to the score,
and a posting scoring :data:`HOLD_AT` or more is held for review. A single strong sign
(asking for money or identity papers, cheque tricks, task scams, a copied ad, a
look-alike of a verified company) holds a posting alone; a weak one (webmail, moving the
talk to a chat app, pay far above the usual) needs a second.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from mapertunity.core.domains import email_domain, is_webmail, website_domain
from mapertunity.core.money import PERIODS_PER_YEAR, USD_RATES
from mapertunity.geo.distance import haversine_km

from .norms import family_of, usual_pay_usd

HOLD_AT = 5.0
"""The score from which a posting is held for review."""

STRONG, MEDIUM, WEAK = 5.0, 3.0, 1.0
FAR_KM = 500
"""A job this far from the company's verified location is "far" (with webmail, a sign)."""


@dataclass(frozen=True)
class Posting:
    """What the screen reads about one posting; pay in major units per ``period``."""

    title: str
    company: str
    description: str
    pay_min: Decimal
    pay_max: Decimal
    currency: str
    period: str
    city: str = ""
    country: str = ""
    contact_email: str = ""
    company_website: str = ""
    lat: float | None = None
    lng: float | None = None
    company_lat: float | None = None
    company_lng: float | None = None
    """The company's verified location, when it has one."""
    duplicate_of: tuple[str, ...] = ()
    """Other companies with a posting of the same text."""
    lookalike_of: str = ""
    """A verified company this company's name imitates."""

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}"

    @property
    def contact_emails(self) -> list[str]:
        found = EMAIL.findall(self.text)
        listed = [self.contact_email] if self.contact_email else []
        return list(dict.fromkeys(address.lower() for address in [*listed, *found]))


Finding = tuple[float, str]
Rule = Callable[[Posting], Iterator[Finding]]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_I = re.IGNORECASE


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+|\n+", text) if part.strip()]


def _quote(match: re.Match[str], width: int = 40) -> str:
    """The match with some words around it, from the text it was found in."""
    text = match.string
    start, end = max(match.start() - width, 0), min(match.end() + width, len(text))
    snippet = " ".join(text[start:end].split())
    return f"“{'…' if start else ''}{snippet}{'…' if end < len(text) else ''}”"


# A sentence saying the opposite: "we never ask for fees", "after you accept the offer".
_REASSURANCE = re.compile(
    r"\b(?:never|no|not|don'?t|do not|won'?t|will not|without|free of charge|at no cost|"
    r"we(?:'ll| will)? (?:cover|pay|provide|supply|reimburse)|covered|reimbursed|"
    r"paid for by|paid by us|company pays|on us)\b|\bwe\b[^.\n]{0,40}\b(?:pay|cover|reimburse)\b",
    _I,
)
_NEGATION = re.compile(r"\b(?:never|not|no need|don'?t|do not|won'?t|will not|without)\b", _I)
_MUST_PAY = re.compile(
    r"\b(?:you|applicants?|candidates?|workers?|trainees?)\b(?:\s+\w+){0,3}\s+(?:pay|send|"
    r"transfer|wire)\b|^\W*(?:pay|send|transfer|wire)\b|\b(?:fee|deposit)\b[^.\n]{0,40}\b"
    r"(?:is |are )?(?:required|applies|payable|due)\b",
    _I,
)
_AFTER_HIRING = re.compile(
    r"\b(?:after (?:you |your |the |an )?(?:accept|sign|start|hire|hiring|offer|contract|"
    r"first day)|on your first day|once hired|when you start|during onboarding|payroll|"
    r"right to work)\b",
    _I,
)


_REQUEST = re.compile(
    r"\b(?:send|provide|email|e-mail|submit|share|enter|include|attach|forward|give|upload|"
    r"text|fill in|reply with|need|require|must have)\b[^.\n]*\byour\b"
    r"|\byour\b[^.\n]*\b(?:to|with)\b (?:us|me|our|the hiring)",
    _I,
)


def _asked(
    pattern: re.Pattern[str], text: str, *, of_applicant: bool = False
) -> re.Match[str] | None:
    """The first match in a sentence that asks for it, not one that reassures; with
    ``of_applicant``, only in a sentence asking the applicant for something of theirs."""
    for sentence in _sentences(text):
        match = pattern.search(sentence)
        if not match or _AFTER_HIRING.search(sentence):
            continue
        if _REASSURANCE.search(sentence) and not _MUST_PAY.search(sentence):
            continue
        if of_applicant and not _REQUEST.search(sentence):
            continue
        return match
    return None


# -- 1. personal webmail for a company with a website -------------------------------------


def _webmail(posting: Posting) -> list[str]:
    return [a for a in posting.contact_emails if is_webmail(email_domain(a))]


def webmail_contact(posting: Posting) -> Iterator[Finding]:
    site = website_domain(posting.company_website)
    webmail = _webmail(posting)
    if webmail and site and not is_webmail(site):
        reason = f"Personal webmail contact ({webmail[0]}) for a company with a website ({site})"
        yield MEDIUM, reason


# -- 2. money, bank or identity details before hiring --------------------------------------

_FEES = re.compile(
    r"\b(?:registration|application|training|processing|onboarding|placement|visa|"
    r"starter|activation|enrol?ment|membership|certification|background[- ]check|uniform|"
    r"admin(?:istration)?|joining|security|refundable|one[- ]time|small)\s+"
    r"(?:fee|fees|charge|deposit|payment)s?\b|"
    r"\b(?:pay|send|transfer|wire)\s+(?:us\s+|a\s+|the\s+)?(?:\$|£|€|₹)?\s?\d[\d,.]*\s*"
    r"(?:usd|dollars|euros?|pounds|rupees)?\s*(?:fee|deposit|for)|"
    r"\bpay (?:a|the|an|your) (?:small |one-time |refundable )?(?:fee|deposit)\b|"
    r"\bbuy (?:the |a |our )?(?:starter|training) (?:kit|pack|package|course)\b",
    _I,
)
_BANK = re.compile(
    r"\b(?:bank (?:account )?(?:details|information|info|number|login|statement)s?|"
    r"account and routing numbers?|routing number|sort code|iban|"
    r"online banking (?:login|password|details)|(?:credit|debit) card (?:number|details)|"
    r"card number|cvv|pin code)\b",
    _I,
)
_IDENTITY = re.compile(
    r"\b(?:ssn|social security (?:number|card)|national insurance number|"
    r"(?:copy|scan|photo|picture) of (?:your )?(?:passport|id|id card|identity card|"
    r"driver'?s licen[cs]e|national id)|mother'?s maiden name|aadhaar|pan card|"
    r"date of birth,? (?:and|with) (?:your )?(?:address|ssn|id))\b",
    _I,
)


def money_or_papers(posting: Posting) -> Iterator[Finding]:
    text = posting.text
    for pattern, what, of_applicant in (
        (_FEES, "Asks the applicant to pay a fee or deposit", False),
        (_BANK, "Asks for bank or card details before hiring", True),
        (_IDENTITY, "Asks for identity papers or numbers before hiring", True),
    ):
        if match := _asked(pattern, text, of_applicant=of_applicant):
            yield STRONG, f"{what}: {_quote(match)}"


# -- 3. cheques and equipment purchases ----------------------------------------------------

_CHEQUE = re.compile(
    r"\b(?:send|mail|issue|courier|give|post)\s+(?:you\s+)?(?:a\s+)?(?:cheque|check|money order)"
    r"\b[^.\n]{0,120}\b(?:deposit|cash)|\b(?:deposit|cash)\s+(?:the|this|a|our)\s+"
    r"(?:cheque|check|money order)\b|\bmobile deposit\b",
    _I,
)
_PURCHASE = re.compile(
    r"\b(?:purchase|buy|order|pay for)\b[^.\n]{0,60}\b(?:equipment|laptop|software|supplies|"
    r"devices?|printer|phone|computer|materials|office)\b[^.\n]{0,80}\b(?:from|through|via)"
    r"\s+(?:our|the|a|an)?\s*(?:approved|designated|preferred|certified|partner|company|"
    r"recommended|own)?\s*(?:vendor|supplier|store|partner|provider|seller)"
    r"|\bgift ?cards?\b|\bwire (?:the )?(?:remaining|balance|rest|excess|difference)\b"
    r"|\b(?:send|return|refund) (?:back )?(?:the )?(?:excess|overpayment|difference|remainder)\b",
    _I,
)
_REIMBURSED = re.compile(
    r"\b(?:buy|purchase)\b[^.\n]{0,80}\b(?:equipment|laptop|supplies|software)\b"
    r"[^.\n]{0,80}\breimburs",
    _I,
)


def _unnegated(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match in a sentence that doesn't deny it ("you never buy equipment");
    a promise to reimburse is no reassurance here, it is how the trick works."""
    for sentence in _sentences(text):
        if (match := pattern.search(sentence)) and not _NEGATION.search(sentence):
            return match
    return None


def cheques_and_purchases(posting: Posting) -> Iterator[Finding]:
    text = posting.text
    if (match := _CHEQUE.search(text)) and not _REASSURANCE.search(match.group(0)):
        yield STRONG, f"Cheque-deposit pattern: {_quote(match)}"
    elif match := _unnegated(_PURCHASE, text) or _unnegated(_REIMBURSED, text):
        yield STRONG, f"Applicant must buy equipment or move money: {_quote(match)}"


# -- 4. "no experience, earn $X a day" task scams ---------------------------------------------

_MONEY = r"(?:\$|£|€|₹|usd\s?|eur\s?|gbp\s?|inr\s?|rs\.?\s?)\s?\d[\d,.]*\s?k?"
_EARN_DAILY = re.compile(
    rf"\b(?:earn|make|get paid|income of|payouts? of|up to|receive)\b[^.\n]{{0,30}}?{_MONEY}"
    rf"(?:\s*(?:-|–|to)\s*{_MONEY})?\s*(?:usd|dollars|euros|pounds|rupees)?\s*"
    r"(?:a|per|/|each|every)\s*(?:day|daily)\b"
    r"|\b(?:daily|same[- ]day) (?:pay ?outs?|commissions?|income|withdrawals?)\b",
    _I,
)
_NO_EXPERIENCE = re.compile(
    r"\bno (?:prior |previous |work )?(?:experience|skills|qualifications?|cv|resume|"
    r"interviews?)\b(?: (?:needed|required|necessary))?|\banyone can (?:do|apply|join)\b",
    _I,
)
_EASY_FROM_HOME = re.compile(
    r"\b(?:from (?:your )?(?:home|phone|couch|bed)|with (?:just |only )?(?:your |a )?"
    r"(?:phone|smartphone|mobile)|(?:1|one|2|two)\s*(?:-|–|to)?\s*(?:2|two|3|three)?\s*hours? "
    r"(?:a|per) day|in your spare time)\b",
    _I,
)
_TASKS = re.compile(
    r"\b(?:like|rate|review|boost|optimi[sz]e|rank|click|watch)\s+(?:\w+\s+){0,2}(?:videos?|"
    r"products?|apps?|hotels?|ratings?|ads?|posts?)\b[^.\n]{0,80}\b(?:commissions?|rewards?|"
    r"per (?:task|click|like|video|rating|review))"
    r"|\b(?:commission|reward|bonus) (?:per|for each|on each) (?:task|click|like|rating)"
    r"|\busdt\b|\bcrypto(?:currency)? wallet\b|\btop[- ]?up (?:your |the )?(?:account|balance|"
    r"wallet)\b|\brecharge (?:your )?account\b|\bunlock (?:your )?(?:earnings|tasks|commissions?)"
    r"\b|\btask (?:sets?|bundles?)\b|\bdeposit to (?:unlock|start|activate)\b",
    _I,
)


def task_scam(posting: Posting) -> Iterator[Finding]:
    text = posting.text
    daily = _EARN_DAILY.search(text)
    tasks = _TASKS.search(text)
    if tasks:
        yield STRONG, f"Task-scam wording (pay per task, deposits to unlock): {_quote(tasks)}"
    elif daily and _NO_EXPERIENCE.search(text):
        weight = STRONG if _EASY_FROM_HOME.search(text) else MEDIUM
        yield weight, f"“No experience, earn a lot a day” pitch: {_quote(daily)}"
    elif daily:
        yield WEAK, f"Promises earnings per day: {_quote(daily)}"


# -- 5. contact moved off the platform --------------------------------------------------------

_CHAT_APP = r"whats ?app|telegram|signal app|signal|wechat|viber|kik|line app|hangouts|google chat|skype|wickr|threema|t\.me/"  # noqa: E501
_OFF_PLATFORM = re.compile(
    rf"\b(?:contact|message|text|reach|add|apply|send|chat|dm|interview|write|ping|talk|"
    rf"connect|get in touch|respond|reply)\b[^.\n]{{0,50}}\b(?:{_CHAT_APP})"
    rf"|(?:{_CHAT_APP})[^.\n]{{0,30}}\b(?:only|for (?:the |an |your )?interview|"
    rf"to apply|to get started|for details|for more info)",
    _I,
)
_TEXT_ONLY = re.compile(
    r"\b(?:text|sms) (?:only|me only|us only)\b|\b(?:text|sms) (?:me|us)? ?(?:at|on|to) "
    r"\+?[\d\s().-]{7,}[^.\n]{0,40}\b(?:only|no calls)\b|\bno calls?,? (?:text|sms)\b",
    _I,
)


def off_platform(posting: Posting) -> Iterator[Finding]:
    text = posting.text
    if match := _OFF_PLATFORM.search(text) or _TEXT_ONLY.search(text):
        yield MEDIUM, f"Moves the contact off the platform: {_quote(match)}"


# -- 6. pay far outside the norm for the role family and place -------------------------------


def annual_usd_major(amount: Decimal, currency: str, period: str) -> float | None:
    """Major units per ``period`` as dollars a year, by the site's one annualising rule."""
    rate = USD_RATES.get(currency.upper())
    per_year = PERIODS_PER_YEAR.get(period)
    if rate is None or per_year is None:
        return None
    return float(amount * per_year / rate)


def pay_outlier(posting: Posting) -> Iterator[Finding]:
    family = family_of(posting.title)
    top = annual_usd_major(posting.pay_max, posting.currency, posting.period)
    if family is None or top is None or not posting.country:
        return
    usual = usual_pay_usd(family, posting.country)
    ratio = top / usual
    if ratio >= 2.5:
        yield (
            (4.0 if ratio >= 5 else MEDIUM),
            (
                f"Pay far above the norm: about ${top:,.0f} a year, {ratio:.1f}× the usual "
                f"~${usual:,.0f} for {family.name} jobs in {posting.country.upper()}"
            ),
        )


# -- 7. far from the company's verified location, with webmail ------------------------------


def far_with_webmail(posting: Posting) -> Iterator[Finding]:
    if None in (posting.lat, posting.lng, posting.company_lat, posting.company_lng):
        return
    webmail = _webmail(posting)
    if not webmail:
        return
    km = haversine_km(posting.lat, posting.lng, posting.company_lat, posting.company_lng)  # type: ignore[arg-type]
    if km >= FAR_KM:
        yield (
            MEDIUM,
            (
                f"Posted {km:,.0f} km from the company's verified location, with a webmail "
                f"contact ({webmail[0]})"
            ),
        )


# -- 8. another company's posting, and look-alike companies ----------------------------------


def copied_posting(posting: Posting) -> Iterator[Finding]:
    if posting.duplicate_of:
        names = ", ".join(f"“{name}”" for name in posting.duplicate_of[:3])
        yield STRONG, f"Same text as a posting by another company: {names}"


def lookalike_company(posting: Posting) -> Iterator[Finding]:
    if posting.lookalike_of:
        yield STRONG, f"Company name imitates the verified company “{posting.lookalike_of}”"


# -- small signs that add to others -----------------------------------------------------------

_PRESSURE = re.compile(
    r"\b(?:guaranteed (?:income|pay|earnings|salary|job)|limited (?:slots|spots|places|"
    r"positions) (?:left|available)|act (?:now|fast)|reply within \d+ (?:hours|minutes)|"
    r"only \d+ (?:slots|spots) left)\b",
    _I,
)


def pressure(posting: Posting) -> Iterator[Finding]:
    text = posting.text
    if match := _PRESSURE.search(text):
        yield WEAK, f"Pressure or guarantees: {_quote(match)}"


RULES: tuple[Rule, ...] = (
    webmail_contact,
    money_or_papers,
    cheques_and_purchases,
    task_scam,
    off_platform,
    pay_outlier,
    far_with_webmail,
    copied_posting,
    lookalike_company,
    pressure,
)
