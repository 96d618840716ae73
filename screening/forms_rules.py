"""The rule forms of the policy-admin pages: a new rule, and a new version of a rule.

The parameters are typed as JSON in a textarea; the form parses them and checks them with
the kind's validator (screening.checks.parameters_validate), naming the key that is wrong.
The services check everything again; their messages land on the same fields.
"""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError

from exportgov.core.forms import StyledFormMixin

from .checks import parameters_validate
from .models import Rule
from .selectors_rules import rule_owner_choices
from .services.rules import EDITABLE

PARAMETER_EXAMPLES = {
    Rule.Kind.PARTY_MATCH: '{"lists": ["un_sc"], "threshold": 0.9, "roles": ["end_user"]}',
    Rule.Kind.DESTINATION: '{"embargoed": true, "country_groups": ["E:1", "E:2"]}',
    Rule.Kind.LICENCE_REQUIREMENT: '{"flag_refer": true}',
    Rule.Kind.END_USE: '{"phrases": ["missile"], "due_diligence": {"unusual_payment": "yes"}}',
    Rule.Kind.PROVENANCE: '{"signal": "earlier_refusals", "min_refusals": 1}',
    Rule.Kind.PARTNER_DENIAL: '{"threshold": 0.9}',
}
EDIT_FIELDS = EDITABLE  # what a new version may change


def parameters_help() -> str:
    examples = "; ".join(f"{kind.label}: {PARAMETER_EXAMPLES[kind]}" for kind in Rule.Kind)
    return f"A JSON object. Examples — {examples}"


class RuleForm(StyledFormMixin, forms.Form):
    code = forms.SlugField(
        max_length=60,
        help_text="Stays the same across versions, e.g. party-match-un.",
    )
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Rule.Kind.choices)
    parameters = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=parameters_help(),
    )
    weight = forms.IntegerField(
        min_value=0, max_value=100, help_text="Points added to the risk score (0 to 100)."
    )
    public_justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the rule exists, in plain language, citing its public source. "
        "Applicants read this.",
    )
    mode = forms.ChoiceField(
        choices=Rule.Mode.choices,
        help_text="A pilot rule raises shadow flags that neither score nor route. A pilot runs "
        "for a set period: from the day it takes effect to its sunset date.",
    )
    effective_from = forms.DateField(
        label="Takes effect on (a pilot's first day)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sunset_on = forms.DateField(
        label="Sunset date (a pilot's last day)",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The rule lapses after this day unless a sunset review renews it. For a "
        "pilot this ends the pilot period: before it, promote the pilot to live (from its "
        "comparison page or its sunset review), renew or retire it; otherwise it lapses.",
    )
    owner = forms.ModelChoiceField(queryset=None, help_text="A policy admin.")
    change_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this version is made; kept with the version.",
    )

    def __init__(self, *args, rule: Rule | None = None, **kwargs):
        """Without `rule`: a new rule. With it: a new version of it (code and kind fixed)."""
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.fields["owner"].queryset = rule_owner_choices()
        if rule is None:
            del self.fields["change_reason"]
        else:
            del self.fields["code"]
            del self.fields["kind"]

    @property
    def rule_kind(self) -> str:
        return self.rule.kind if self.rule is not None else self.cleaned_data.get("kind", "")

    def clean_parameters(self):
        text = self.cleaned_data["parameters"]
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"Not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
            ) from error

    def clean(self):
        cleaned = super().clean()
        if "parameters" in cleaned and self.rule_kind:
            try:
                cleaned["parameters"] = parameters_validate(self.rule_kind, cleaned["parameters"])
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error("parameters", f"{key}: {message}")
        return cleaned

    @staticmethod
    def initial_for(rule: Rule) -> dict:
        initial = {field: getattr(rule, field) for field in EDIT_FIELDS}
        initial["parameters"] = json.dumps(rule.parameters, indent=2, ensure_ascii=False)
        initial["owner"] = rule.owner_id
        return initial


class PilotPromoteForm(StyledFormMixin, forms.Form):
    """Promoting a pilot to live; the view calls screening.services.rules.pilot_promote."""

    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Why the pilot should count towards decisions, in the light of the "
        "comparison above. Published with the public notice.",
        error_messages={"required": "Give a written justification; it is published."},
    )
    sunset_on = forms.DateField(
        required=False,
        label="Sunset date of the live version",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to keep the pilot's sunset date.",
    )
