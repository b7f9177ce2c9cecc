"""The emails companies send: the link that proves a website's domain."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from mapertunity.core.links import absolute_url
from mapertunity.core.outbox import send_once

from .models import Company


def domain_check(company_id: int, email: str, token: str) -> bool:
    """Send one domain check link (once per link, however often the task runs)."""
    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        return False
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "company": company,
        "email": email,
        "url": absolute_url(reverse("companies:verify_domain_confirm", args=[token])),
    }

    def build() -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=f"Confirm that {company.name} uses {company.website_domain}",
            body=render_to_string("companies/email/domain_check.txt", context),
            to=[email],
        )
        html = render_to_string("companies/email/domain_check.html", context)
        message.attach_alternative(html, "text/html")
        return message

    digest = hashlib.sha256(token.encode()).hexdigest()[:40]
    return send_once(f"domain-check:{digest}", build)
