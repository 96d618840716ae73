"""Error pages: HTML for people, the API's JSON error shape under /api/."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

API_PREFIX = "/api/"


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    body = {"error": {"status": status, "code": code, "message": message, "fields": {}}}
    return JsonResponse(body, status=status)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json_error(
            403, "permission_denied", "You do not have permission to perform this action."
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json_error(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json_error(
            500, "server_error", "Something went wrong on our side; it has been logged."
        )
    # No request context: the failure may lie in what context processors need.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
