from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from mapertunity.accounts import security
from mapertunity.accounts import views as account_views
from mapertunity.api import feeds as api_feeds
from mapertunity.api.urls import api
from mapertunity.blog.sitemaps import BlogSitemap
from mapertunity.core import views as core_views
from mapertunity.jobs.sitemaps import JobSitemap, StaticSitemap
from mapertunity.jobs.views import public as job_views
from mapertunity.ops import views as ops_views

sitemaps = {"static": StaticSitemap, "jobs": JobSitemap, "blog": BlogSitemap}

urlpatterns = [
    path("", job_views.home, name="home"),
    # Before jobs/: "jobs/<id>/apply/" would otherwise read as a job page's slug.
    path("", include("mapertunity.applications.urls")),
    path("jobs/feed/jobs.xml", api_feeds.indeed_feed, name="indeed_feed"),
    path("jobs/", include("mapertunity.jobs.urls")),
    path("", include("mapertunity.billing.urls")),
    path("employers/api-tokens/", include("mapertunity.api.page_urls")),
    path("employers/", include("mapertunity.companies.urls")),
    path("employers/", include("mapertunity.jobs.employer_urls")),
    path("", include("mapertunity.candidates.urls")),
    path("email/", include("mapertunity.accounts.urls")),
    path("blog/", include("mapertunity.blog.urls")),
    path("report/", include("mapertunity.moderation.urls")),
    path("followup/", include("mapertunity.followup.urls")),
    path("", include("mapertunity.alerts.urls")),
    path("places/suggest/", core_views.place_suggest, name="place_suggest"),
    path("api/v1/", api.urls),
    path("accounts/settings/", account_views.account_settings, name="account_settings"),
    path("accounts/", include("allauth.urls")),
    # Before the admin's own login: staff sign in like everyone (throttle, two-factor).
    path("admin/login/", security.admin_login_redirect, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("healthz", ops_views.healthz, name="healthz"),
]
if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            core_views.media,
            name="media",
        )
    )
