"""The "Do I need a licence?" form: a control code and a destination."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_countries import countries

from exportgov.core.forms import StyledFormMixin

from .lookup import control_code_parse, control_snapshot

CODE_MAX_LENGTH = 60


class LicenceCheckForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label="Control code",
        max_length=CODE_MAX_LENGTH,
        help_text="An ECCN such as 3A001 or 3A001.b.2, EAR99, or words of the entry's "
        "heading (e.g. “thermal imaging”).",
        error_messages={"required": "Enter a control code, or words to find one."},
    )
    destination = forms.ChoiceField(
        label="Destination",
        error_messages={
            "required": "Choose a destination.",
            "invalid_choice": "Choose a destination from the list.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [("", "- Choose a destination -"), *countries]
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                # htmx: suggest codes while typing; without JavaScript the form shows matches
                "hx-get": reverse("controls:code_search"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#code-suggestions",
                "hx-swap": "outerHTML",
                "hx-include": "[name=destination]",
            }
        )

    def clean_code(self) -> str:
        typed = " ".join(self.cleaned_data["code"].split())
        code = control_code_parse(typed)
        if not code.entry:
            raise ValidationError(
                f"“{typed}” is not a control code. Pick one of the matches below, or type an "
                "ECCN such as 3A001.",
                code="not_a_code",
            )
        snapshot = control_snapshot()
        if not code.is_ear99 and code.entry not in snapshot.ccl and code.entry not in snapshot.eu:
            raise ValidationError(
                f"We found no control code {code.entry}. Check it, or pick one of the close "
                "matches below.",
                code="unknown_code",
            )
        return code.display
