"""What each rule kind's parameters may be: one serializer per kind.

`parameters_validate(kind, parameters)` is the one way in (the rule services, the rule pages
and the starter catalogue all call it): it returns the cleaned parameters, with defaults
filled in, or raises django's ValidationError with one message list per parameter key
(`error.message_dict`), so a form can say which key is wrong and why. The checks read the
stored parameters without validating them again.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django_countries import countries
from rest_framework import serializers

from licensing.models import Party
from licensing.steps import DUE_DILIGENCE_ANSWERS, DUE_DILIGENCE_QUESTIONS

# The list sources the importers know (screening/importers); a source imported since is
# accepted too (ListSource rows).
KNOWN_LIST_CODES = frozenset(
    {
        "eu_fsf",
        "uk_ofsi",
        "un_sc",
        "us_bis_dpl",
        "us_csl",
        "us_ofac_consolidated",
        "us_ofac_sdn",
    }
)
COUNTRY_GROUP = re.compile(r"^[A-E]:[0-9]$")
SIGNALS = ("new_exporter", "earlier_refusals", "party_in_refused_case")
SIGNAL_KEYS = {
    "new_exporter": "new_exporter_days",
    "earlier_refusals": "min_refusals",
    "party_in_refused_case": "threshold",
}
DUE_DILIGENCE_CODES = tuple(code for code, _question in DUE_DILIGENCE_QUESTIONS)
ANSWER_CODES = tuple(code for code, _label in DUE_DILIGENCE_ANSWERS)
NON_FIELD = "parameters"


def list_codes_known() -> set[str]:
    from screening.models import ListSource

    return set(KNOWN_LIST_CODES) | set(ListSource.objects.values_list("code", flat=True))


def _score(**kwargs) -> serializers.FloatField:
    return serializers.FloatField(min_value=0.0, max_value=1.0, **kwargs)


class _Strict(serializers.Serializer):
    """Refuses keys it does not know, so a misspelt key is not silently ignored."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {NON_FIELD: ['The parameters must be a JSON object, e.g. {"key": value}.']}
            )
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            known = ", ".join(self.fields)
            raise serializers.ValidationError(
                {
                    key: [f"Not a parameter of this kind; its parameters are {known}."]
                    for key in unknown
                }
            )
        return super().to_internal_value(data)


class PartyMatchParameters(_Strict):
    lists = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, allow_empty=True
    )
    threshold = _score(required=False, allow_null=True, default=None)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Party.Role.choices), required=False, default=list
    )

    def validate_lists(self, value: list[str]) -> list[str]:
        known = list_codes_known()
        wrong = [code for code in value if code not in known]
        if wrong:
            raise serializers.ValidationError(
                f"Not a list source: {', '.join(wrong)}. Use some of {', '.join(sorted(known))}"
                " (or an empty list for all active lists)."
            )
        return list(dict.fromkeys(value))


class DestinationParameters(_Strict):
    embargoed = serializers.BooleanField(required=False, default=False)
    arms_embargo = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    arms_embargo_source = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500
    )
    country_groups = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )

    def validate_arms_embargo(self, value: list[str]) -> list[str]:
        codes = [code.strip().upper() for code in value]
        wrong = [code for code in codes if len(code) != 2 or not countries.alpha2(code)]
        if wrong:
            raise serializers.ValidationError(
                f"Not a country code: {', '.join(wrong)}. Use ISO 3166-1 alpha-2 codes, e.g. KP."
            )
        return list(dict.fromkeys(codes))

    def validate_country_groups(self, value: list[str]) -> list[str]:
        groups = [group.strip().upper() for group in value]
        wrong = [group for group in groups if not COUNTRY_GROUP.match(group)]
        if wrong:
            raise serializers.ValidationError(
                f"Not a Country Group: {', '.join(wrong)}. Write them as in Supplement No. 1 "
                "to 15 CFR Part 740, e.g. E:1, E:2, D:1."
            )
        return list(dict.fromkeys(groups))

    def validate(self, attrs: dict) -> dict:
        if attrs["arms_embargo"] and not attrs["arms_embargo_source"].strip():
            raise serializers.ValidationError(
                {"arms_embargo_source": ["Cite the source of the arms embargoes listed."]}
            )
        if not (attrs["embargoed"] or attrs["arms_embargo"] or attrs["country_groups"]):
            raise serializers.ValidationError(
                "Set at least one of embargoed, arms_embargo or country_groups."
            )
        return attrs


class LicenceRequirementParameters(_Strict):
    flag_refer = serializers.BooleanField(required=False, default=False)


class EndUseParameters(_Strict):
    phrases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    due_diligence = serializers.DictField(required=False, default=dict)
    military_end_use = serializers.BooleanField(required=False, default=False)
    wmd_end_use = serializers.BooleanField(required=False, default=False)
    reexport_intended = serializers.BooleanField(required=False, default=False)

    def validate_phrases(self, value: list[str]) -> list[str]:
        phrases = [" ".join(phrase.split()) for phrase in value]
        if any(not phrase for phrase in phrases):
            raise serializers.ValidationError("A phrase may not be empty.")
        return list(dict.fromkeys(phrases))

    def validate_due_diligence(self, value: dict) -> dict[str, list[str]]:
        wrong = [code for code in value if code not in DUE_DILIGENCE_CODES]
        if wrong:
            raise serializers.ValidationError(
                f"Not a due-diligence question: {', '.join(wrong)}. The questions are "
                f"{', '.join(DUE_DILIGENCE_CODES)}."
            )
        cleaned = {}
        for code, answers in value.items():
            answers = [answers] if isinstance(answers, str) else answers
            if (
                not isinstance(answers, list)
                or not answers
                or any(answer not in ANSWER_CODES for answer in answers)
            ):
                raise serializers.ValidationError(
                    f"{code}: give the red-flag answer as one of {', '.join(ANSWER_CODES)}, "
                    'or a list of them, e.g. ["yes", "unsure"].'
                )
            cleaned[code] = list(dict.fromkeys(answers))
        return cleaned

    def validate(self, attrs: dict) -> dict:
        if not (
            attrs["phrases"]
            or attrs["due_diligence"]
            or attrs["military_end_use"]
            or attrs["wmd_end_use"]
            or attrs["reexport_intended"]
        ):
            raise serializers.ValidationError(
                "Set at least one of phrases, due_diligence, military_end_use, wmd_end_use or "
                "reexport_intended."
            )
        return attrs


class ProvenanceParameters(_Strict):
    signal = serializers.ChoiceField(choices=SIGNALS)
    new_exporter_days = serializers.IntegerField(min_value=1, max_value=3650, required=False)
    min_refusals = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    threshold = _score(required=False)

    def validate(self, attrs: dict) -> dict:
        needed = SIGNAL_KEYS[attrs["signal"]]
        errors = {}
        if needed not in attrs:
            errors[needed] = [f"Required with signal {attrs['signal']}."]
        for key in set(SIGNAL_KEYS.values()) - {needed}:
            if key in attrs:
                errors[key] = [f"Not used with signal {attrs['signal']}; remove it."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PartnerDenialParameters(_Strict):
    threshold = _score()


SERIALIZERS: dict[str, type[serializers.Serializer]] = {
    "party_match": PartyMatchParameters,
    "destination": DestinationParameters,
    "licence_requirement": LicenceRequirementParameters,
    "end_use": EndUseParameters,
    "provenance": ProvenanceParameters,
    "partner_denial": PartnerDenialParameters,
}


def parameters_validate(kind: str, parameters: Any) -> dict:
    """The cleaned parameters of a rule of `kind`, or ValidationError({key: [messages]})."""
    serializer_class = SERIALIZERS.get(kind)
    if serializer_class is None:
        raise ValidationError({"kind": [f"“{kind}” is not a rule kind."]})
    serializer = serializer_class(data=parameters)
    if not serializer.is_valid():
        raise ValidationError(_messages(serializer.errors))
    return _plain(serializer.validated_data)


def _messages(errors: Any) -> dict[str, list[str]]:
    """DRF's nested errors as {key: [message]}; list items are named by position."""
    result: dict[str, list[str]] = {}
    for key, value in errors.items():
        name = (
            NON_FIELD
            if key in ("non_field_errors", serializers.api_settings.NON_FIELD_ERRORS_KEY)
            else str(key)
        )
        result.setdefault(name, []).extend(_flatten(value))
    return result


def _flatten(value: Any, prefix: str = "") -> list[str]:
    if isinstance(value, dict):
        messages = []
        for position, inner in value.items():
            label = f"item {int(position) + 1}: " if str(position).isdigit() else f"{position}: "
            messages.extend(_flatten(inner, prefix + label))
        return messages
    if isinstance(value, list):
        return [message for inner in value for message in _flatten(inner, prefix)]
    return [f"{prefix}{value}"]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(inner) for inner in value]
    return value
