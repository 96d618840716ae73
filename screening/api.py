"""The screening API (/api/v1/screening/search): officials screen one name against the lists in
force, with the same fields, rules and output as `python manage.py screen --json`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from exportgov.core.api import ErrorSerializer

from .forms import (
    LIMIT_DEFAULT,
    LIMIT_MAX,
    NAME_MAX_LENGTH,
    SCHEMAS,
    birth_date_clean,
    country_clean,
    name_clean,
)
from .views.lists import SEARCH_PERMISSION


class CanSearchLists(BasePermission):
    """Officials who screen parties: case officers, senior officials, appeals reviewers,
    policy admins and auditors (screening.search_lists)."""

    def has_permission(self, request, view) -> bool:
        return request.user.has_perm(SEARCH_PERMISSION)


def _drf(clean):
    """One of screening.forms' *_clean functions, raising DRF's ValidationError instead of
    Django's, so the API refuses a value with the message the page and the command give."""

    def validate(value):
        try:
            return clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code=error.code) from error

    return validate


class HitOutputSerializer(serializers.Serializer):
    list = serializers.CharField(help_text="Code of the list, e.g. un_sc or us_ofac_sdn.")
    entry_id = serializers.CharField(help_text="The publisher's id of the entry.")
    name = serializers.CharField(help_text="The entry's primary name.")
    matched_name = serializers.CharField(help_text="The name or alias that matched.")
    score = serializers.FloatField(help_text="0 to 1.")
    explanation = serializers.JSONField(
        help_text="Each feature's contribution: name (similarity, tokens), phonetic, "
        "country, birth_date, identifier (each with its effect) and script."
    )

    class Meta:
        ref_name = "ScreeningHit"


class ScreeningSearchApi(APIView):
    """Screen a name against every list in force. Hits at or above the list's threshold,
    best first, each with the explanation of its score."""

    permission_classes = [IsAuthenticated, CanSearchLists]
    parser_classes = [JSONParser]

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(
            max_length=NAME_MAX_LENGTH, help_text="A person, company, vessel or alias, any script."
        )
        schema = serializers.ChoiceField(choices=SCHEMAS, default="any")
        country = serializers.CharField(
            allow_blank=True,
            allow_null=True,
            default=None,
            help_text="ISO 3166-1 alpha-2 code, e.g. RU.",
        )
        birth_date = serializers.CharField(
            allow_blank=True,
            allow_null=True,
            default=None,
            help_text="YYYY, YYYY-MM or YYYY-MM-DD.",
        )
        limit = serializers.IntegerField(min_value=1, max_value=LIMIT_MAX, default=LIMIT_DEFAULT)

        class Meta:
            ref_name = "ScreeningSearchInput"

        def validate_name(self, value: str) -> str:
            return _drf(name_clean)(value)

        def validate_country(self, value: str | None) -> str | None:
            return _drf(country_clean)(value)

        def validate_birth_date(self, value: str | None) -> str | None:
            return _drf(birth_date_clean)(value)

    class OutputSerializer(serializers.Serializer):
        query = serializers.CharField(help_text="The name screened.")
        threshold = serializers.FloatField(
            help_text="The default threshold a hit's score reaches; a list with its own states "
            "it in each of its hits' explanation (`threshold`)."
        )
        matches = HitOutputSerializer(many=True)

        class Meta:
            ref_name = "ScreeningResult"

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
        examples=[
            OpenApiExample(
                "A person with a country and a year of birth",
                value={
                    "name": "Saddam Hussein al-Tikriti",
                    "schema": "person",
                    "country": "IQ",
                    "birth_date": "1937",
                    "limit": 5,
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        from .matching.engine import screen  # the engine loads on first use

        # The engine's own dict, exactly as `manage.py screen --json` prints it.
        return Response(screen(**serializer.validated_data).as_dict())
