from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.static import serve

from .geocoding import get_geocoder
from .links import absolute_url


@require_safe
def place_suggest(request: HttpRequest) -> HttpResponse:
    """Datalist options for a place input; any field name works, the first value is used."""
    query = str(request.GET.get("q") or next(iter(request.GET.values()), "")).strip()[:120]
    places = get_geocoder().search(query, limit=8) if len(query) >= 2 else []
    return render(request, "core/_place_options.html", {"places": places})


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = absolute_url(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /employers/", "Disallow: /accounts/", "Disallow: /admin/"]
    return HttpResponse(
        "\n".join([*lines, f"Sitemap: {sitemap_url}", ""]), content_type="text/plain"
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs,
    a file they open directly); send them to the site's SVG icon rather than a 404."""
    response = redirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded public media (logos, blog images), when no proxy serves MEDIA_ROOT.

    Resumes never live under MEDIA_ROOT; ``serve`` refuses paths that leave the folder.
    """
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response
