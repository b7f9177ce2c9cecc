"""Company workflows: setting one up, changing its details, and proving who it is."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.core.domains import email_domain, is_webmail, same_organisation
from mapertunity.core.ratelimit import allow
from mapertunity.core.tasks import enqueue_on_commit
from mapertunity.geo.gazetteer import Place

from .models import Company, Membership, name_key

SEND_DOMAIN_CHECK = "mapertunity.companies.tasks.send_domain_check"
DOMAIN_CHECK_SALT = "mapertunity.companies.domain-check"
DOMAIN_CHECK_DAYS = 3
"""How long a domain check link works."""


class CompanyNameTaken(ValidationError):
    """Another company already goes by this name, and nothing shows it is the same one."""


class DomainCheckError(ValidationError):
    """A domain check that can't be sent or accepted, in words for the employer."""


# -- who may use a name -----------------------------------------------------------------


def confirmed_domains(user: User) -> set[str]:
    """The domains of the addresses this person has confirmed."""
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {email_domain(email) for email in emails}


def _domain_of(company: Company) -> str:
    return company.verified_domain or company.website_domain


def name_clash(name: str, *, user: User, exclude: Company | None = None) -> Company | None:
    """The existing company ``name`` would impersonate, or None.

    A name that reads the same as another company's (case, spacing and punctuation
    aside) is refused, unless the person proves they belong to that organisation: a
    confirmed address of theirs is at its website's domain.
    """
    clashes = Company.objects.named(name).exclude(memberships__user_id=user.pk)
    if exclude is not None and exclude.pk is not None:
        clashes = clashes.exclude(pk=exclude.pk)
    mine = confirmed_domains(user)
    for other in clashes:
        theirs = _domain_of(other)
        if not any(same_organisation(domain, theirs) for domain in mine):
            return other
    return None


def _refuse_clash(name: str, *, user: User, exclude: Company | None = None) -> None:
    other = name_clash(name, user=user, exclude=exclude)
    if other is None:
        return
    domain = _domain_of(other)
    how = (
        f"If you work there, confirm your work address at {domain} on your account first. "
        if domain and not is_webmail(domain)
        else ""
    )
    raise CompanyNameTaken(
        f"“{other.name}” is already on {settings.SITE_NAME}. {how}Otherwise choose a name "
        "that tells your company apart, for example with its town or trade.",
        code="name_taken",
    )


# -- setting up -------------------------------------------------------------------------


def _apply(
    company: Company,
    *,
    name: str,
    website: str,
    description: str,
    headquarters: Place | None,
    logo: UploadedFile | None | bool,
) -> None:
    company.name, company.website, company.description = name, website, description
    if headquarters is not None:
        company.hq_city, company.hq_region = headquarters.name, headquarters.region
        company.hq_country = headquarters.country_code
        company.hq_lat, company.hq_lng = headquarters.lat, headquarters.lng
    if logo is False:  # the "clear" box of the logo field
        company.logo = None
    elif logo:
        company.logo = logo


def _verify_from_account(company: Company, user: User) -> bool:
    """Verify the company's domain at once when this person already confirmed an address
    at it: that confirmation was the email to an address at the domain."""
    site = company.website_domain
    if not site or company.domain_verified_at is not None:
        return False
    for domain in confirmed_domains(user):
        if same_organisation(domain, site):
            company.verify_domain(site)
            return True
    return False


@transaction.atomic
def create_company(
    *,
    owner: User,
    name: str,
    website: str = "",
    description: str = "",
    headquarters: Place | None = None,
    logo: UploadedFile | None = None,
) -> Company:
    """Create a company and make ``owner`` its first member.

    Raises :class:`CompanyNameTaken` for the name of another organisation.
    """
    _refuse_clash(name, user=owner)
    company = Company()
    _apply(
        company,
        name=name,
        website=website,
        description=description,
        headquarters=headquarters,
        logo=logo,
    )
    company.assign_unique_slug()
    company.save()
    Membership.objects.create(company=company, user=owner, role=Membership.Role.OWNER)
    _verify_from_account(company, owner)
    return company


def update_company(
    *,
    company: Company,
    by: User,
    name: str,
    website: str,
    description: str,
    headquarters: Place | None,
    logo: UploadedFile | None | bool,
) -> Company:
    """Save a company's details. A new name is checked like a new company's; a website on
    another domain than the verified one takes the domain's verification away."""
    if name_key(name) != company.name_key:
        _refuse_clash(name, user=by, exclude=company)
    _apply(
        company,
        name=name,
        website=website,
        description=description,
        headquarters=headquarters,
        logo=logo,
    )
    if company.verified_domain and not same_organisation(
        company.website_domain, company.verified_domain
    ):
        company.verified_domain, company.domain_verified_at = "", None
    company.save()
    return company


# -- proving the website's domain ---------------------------------------------------------


def domain_check_token(company: Company, email: str) -> str:
    return signing.dumps({"c": company.pk, "e": email}, salt=DOMAIN_CHECK_SALT)


def read_domain_check_token(token: str) -> tuple[Company, str] | None:
    """The company and address a domain check link is for; None if forged or too old."""
    try:
        data = signing.loads(
            token, salt=DOMAIN_CHECK_SALT, max_age=dt.timedelta(days=DOMAIN_CHECK_DAYS)
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        return None
    company = Company.objects.filter(pk=data["c"]).first()
    email = data.get("e")
    return None if company is None or not isinstance(email, str) else (company, email)


def request_domain_check(*, company: Company, email: str) -> None:
    """Email a link to ``email``, an address at the company's website's domain; opening
    it and pressing the button proves the company controls that domain."""
    site = company.website_domain
    if not site:
        raise DomainCheckError(
            "Add your company's website first: the check proves you control its domain.",
            code="no_website",
        )
    if is_webmail(site):
        raise DomainCheckError(
            f"{site} hands out addresses to anyone, so it can't verify a company.",
            code="webmail",
        )
    if not same_organisation(email_domain(email), site):
        raise DomainCheckError(f"Use an address at {site}, your website's domain.", code="domain")
    if not allow(
        "domain-check",
        str(company.pk),
        limit=settings.DOMAIN_CHECKS_PER_DAY,
        window_seconds=24 * 3600,
    ):
        raise DomainCheckError(
            "We have sent enough links for today; use one of them, or try again tomorrow.",
            code="rate",
        )
    enqueue_on_commit(SEND_DOMAIN_CHECK, company.pk, email, domain_check_token(company, email))


def confirm_domain(*, company: Company, email: str) -> Company:
    """The person at ``email`` pressed the link's button: the domain is the company's."""
    site = company.website_domain
    if not same_organisation(email_domain(email), site):
        raise DomainCheckError(
            "The company's website changed since this link was sent; ask for a new one.",
            code="changed",
        )
    company.verify_domain(site)
    return company


def verify_with_account(*, company: Company, user: User) -> bool:
    """Verify the domain from an address this member already confirmed, if there is one."""
    return _verify_from_account(company, user)


def verify_by_staff(*, companies: list[Company], now: dt.datetime | None = None) -> int:
    """Staff checked who these companies are; how many were not verified by staff yet."""
    ids = [company.pk for company in companies]
    return Company.objects.filter(pk__in=ids, staff_verified_at__isnull=True).update(
        staff_verified_at=now or timezone.now()
    )
