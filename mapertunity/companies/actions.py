from __future__ import annotations

from django.db import transaction

from mapertunity.accounts.models import User

from .forms import CompanyForm
from .models import Company, Membership


@transaction.atomic
def create_company(*, owner: User, form: CompanyForm) -> Company:
    """Create the company from a valid form and make `owner` its first member."""
    company = form.save()
    Membership.objects.create(company=company, user=owner, role=Membership.Role.OWNER)
    return company
