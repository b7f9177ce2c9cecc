"""The site's URLs plus one bare Django JSON view, the yardstick for the clusters endpoint."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from mapertunity.urls import urlpatterns as site_urlpatterns


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"type": "FeatureCollection", "total": 0, "features": []})


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
