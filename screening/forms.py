"""What a screening search takes, and the rules every way in applies to it: the search page's
form below, the API's InputSerializer (screening/api.py) and `manage.py screen` all call the
same `*_clean` functions, so a value is accepted or refused with the same message everywhere."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_countries import countries

from exportgov.core.forms import StyledFormMixin

SCHEMAS = ["any", "person", "entity", "vessel", "aircraft"]
SCHEMA_CHOICES = [
    ("any", "Any kind of party"),
    ("person", "Person"),
    ("entity", "Entity (company, organisation)"),
    ("vessel", "Vessel"),
    ("aircraft", "Aircraft"),
]
NAME_MAX_LENGTH = 300
LIMIT_DEFAULT, LIMIT_MAX = 10, 100

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def schema_clean(value: str | None) -> str:
    """The kind of party to look for; empty means any."""
    schema = (value or "").strip().lower() or "any"
    if schema not in SCHEMAS:
        raise ValidationError(
            f"“{value}” is not a kind of party: use one of {', '.join(SCHEMAS)}.", code="schema"
        )
    return schema


def country_clean(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 country code, upper-cased; empty means none."""
    code = (value or "").strip().upper()
    if not code:
        return None
    if len(code) != 2 or not countries.alpha2(code):
        raise ValidationError(
            f"“{value}” is not a country code: use the two letters of ISO 3166-1, e.g. RU.",
            code="country",
        )
    return code


def birth_date_clean(value: str | None) -> str | None:
    """A full or partial date of birth, YYYY, YYYY-MM or YYYY-MM-DD; empty means none."""
    text = (value or "").strip()
    if not text:
        return None
    match = _PARTIAL_DATE.match(text)
    valid = False
    if match:
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            pass
        else:
            valid = 1800 <= year <= timezone.localdate().year
    if not valid:
        raise ValidationError(
            f"“{value}” is not a date of birth: use YYYY, YYYY-MM or YYYY-MM-DD, "
            "e.g. 1956 or 1956-04-28.",
            code="birth_date",
        )
    return text


def name_clean(value: str | None) -> str:
    """The name to look for: some letters or digits, at most NAME_MAX_LENGTH characters."""
    name = " ".join((value or "").split())
    if not any(char.isalnum() for char in name):
        raise ValidationError("Enter a name to look for.", code="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"A name has at most {NAME_MAX_LENGTH} characters (this one has {len(name)}).",
            code="name",
        )
    return name


class ScreeningSearchForm(StyledFormMixin, forms.Form):
    """The search page's GET form. Bound to request.GET; `cleaned_data` holds the keyword
    arguments of screening.matching.engine.screen."""

    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        help_text="A person, company, vessel or alias, in any script, e.g. “Kim Jong Un” "
        "or “김정은”.",
    )
    schema = forms.ChoiceField(
        label="Kind of party", choices=SCHEMA_CHOICES, required=False, initial="any"
    )
    country = forms.CharField(
        label="Country",
        required=False,
        help_text="Two-letter ISO code, e.g. IR. Agreement raises the score; a conflict lowers it.",
    )
    birth_date = forms.CharField(
        label="Date of birth",
        required=False,
        help_text="YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    limit = forms.IntegerField(
        label="Most results",
        required=False,
        min_value=1,
        max_value=LIMIT_MAX,
        initial=LIMIT_DEFAULT,
        help_text=f"{LIMIT_DEFAULT} when left empty; at most {LIMIT_MAX}.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].widget.attrs.update({"size": 4, "autocomplete": "off"})
        self.fields["birth_date"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off"}
        )

    def clean_name(self) -> str:
        return name_clean(self.cleaned_data.get("name"))

    def clean_schema(self) -> str:
        return schema_clean(self.cleaned_data.get("schema"))

    def clean_country(self) -> str | None:
        return country_clean(self.cleaned_data.get("country"))

    def clean_birth_date(self) -> str | None:
        return birth_date_clean(self.cleaned_data.get("birth_date"))

    def clean_limit(self) -> int:
        limit = self.cleaned_data.get("limit")
        return LIMIT_DEFAULT if limit is None else limit
