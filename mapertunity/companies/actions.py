"""Company workflows: setting one up and changing its details."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from mapertunity.accounts.models import User
from mapertunity.geo.gazetteer import Place

from .models import Company, Membership


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
    """Create a company and make ``owner`` its first member."""
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
    return company


def update_company(
    *,
    company: Company,
    name: str,
    website: str,
    description: str,
    headquarters: Place | None,
    logo: UploadedFile | None | bool,
) -> Company:
    _apply(
        company,
        name=name,
        website=website,
        description=description,
        headquarters=headquarters,
        logo=logo,
    )
    company.save()
    return company
