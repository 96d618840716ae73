"""Shared pieces of the REST API: paging and one JSON shape for every error."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ApplicationError


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """Render every API error as {"error": {"status", "code", "message", "fields"}}."""
    if isinstance(exc, ApplicationError):
        exc = exceptions.ValidationError({"detail": exc.message}, code=exc.code)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))

    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = {"error": _error_body(response.data, response.status_code)}
    return response


def _error_body(data: dict | list, status_code: int) -> dict:
    if isinstance(data, list):
        data = {"non_field_errors": data}
    fields = {name: [str(error) for error in _as_list(errors)] for name, errors in data.items()}
    general = data.get("detail") or data.get("non_field_errors")
    fields.pop("detail", None)
    fields.pop("non_field_errors", None)
    first = _as_list(general)[0] if general else None
    return {
        "status": status_code,
        "code": getattr(first, "code", "invalid"),
        "message": str(first) if first else "Some fields are invalid: see fields.",
        "fields": fields,
    }


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error, for the OpenAPI schema (see `exception_handler`)."""

    class Body(serializers.Serializer):
        status = serializers.IntegerField()
        code = serializers.CharField()
        message = serializers.CharField()
        fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

        class Meta:
            ref_name = "ErrorBody"

    error = Body()

    class Meta:
        ref_name = "Error"
