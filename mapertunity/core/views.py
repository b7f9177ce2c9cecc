from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .geocoding import get_geocoder


@require_GET
def place_suggest(request: HttpRequest) -> HttpResponse:
    """Datalist options for a place input; any field name works, the first value is used."""
    query = (request.GET.get("q") or next(iter(request.GET.values()), "")).strip()[:120]
    places = get_geocoder().search(query, limit=8) if len(query) >= 2 else []
    return render(request, "core/_place_options.html", {"places": places})


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /employers/", "Disallow: /accounts/", "Disallow: /admin/"]
    return HttpResponse(
        "\n".join([*lines, f"Sitemap: {sitemap_url}", ""]), content_type="text/plain"
    )


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
