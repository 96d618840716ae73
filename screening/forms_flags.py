"""The disposition form of a flag. It only validates; the view calls flag_dispose."""

from django import forms

from exportgov.core.forms import CHOICES_FIELD_TEMPLATE, ChoiceRadios, StyledFormMixin

from .models import Flag, Rule

CHOICES = [
    (Flag.Disposition.CONFIRMED.value, "Confirm"),
    (Flag.Disposition.DISMISSED.value, "Dismiss"),
]


class FlagDispositionForm(StyledFormMixin, forms.Form):
    """One per flag on a page: ids are prefixed with the flag, so they stay unique. The
    false-match box is offered only for a party match."""

    disposition = forms.ChoiceField(
        label="Your decision",
        choices=CHOICES,
        widget=ChoiceRadios,
        template_name=CHOICES_FIELD_TEMPLATE,
        error_messages={"required": "Choose confirm or dismiss."},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Why the flag is right, or why it does not apply. Other officials read this.",
        error_messages={"required": "Give a reason for your decision."},
    )
    false_match = forms.BooleanField(
        label="Not this listed entity: do not raise it again for this organisation's party",
        required=False,
    )

    def __init__(self, *args, flag: Flag, **kwargs):
        kwargs.setdefault("auto_id", f"flag-{flag.pk}-%s")
        super().__init__(*args, **kwargs)
        self.flag = flag
        if not is_party_match(flag):
            del self.fields["false_match"]

    def clean(self):
        data = super().clean()
        if data.get("false_match") and data.get("disposition") == Flag.Disposition.CONFIRMED:
            self.add_error(
                "false_match", "Only a dismissed match can be recorded as a false match."
            )
        return data


def is_party_match(flag: Flag) -> bool:
    return flag.rule.kind == Rule.Kind.PARTY_MATCH and flag.party_id is not None
