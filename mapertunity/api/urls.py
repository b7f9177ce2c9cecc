from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from .candidates import router as candidates_router
from .map import router as map_router

api = NinjaAPI(
    title="Mapertunity API",
    version="1",
    description="Jobs on the map. Every error is a JSON object with a `detail` message.",
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Bad query parameters are a 400 with one readable sentence, not ninja's 422 list."""
    messages = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", [])[1:]) or "request"
        messages.append(f"{where}: {error.get('msg', 'invalid value')}")
    return api.create_response(request, {"detail": "; ".join(messages)}, status=400)


api.add_router("/map/", map_router)
api.add_router("/map/", candidates_router)
