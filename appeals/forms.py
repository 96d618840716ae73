"""Forms of the appeals pages. They only validate; the views hand cleaned data to the services.

The appellant's draft form accepts a half-finished appeal (everything optional); what lodging
needs is listed by `AppealDraftForm.lodge_problems`, each problem linking to its field.
"""

from django import forms
from django.db.models import QuerySet

from exportgov.accounts.models import User
from exportgov.core.forms import (
    CHOICES_FIELD_TEMPLATE,
    ChoiceCheckboxes,
    ChoiceRadios,
    StyledFormMixin,
)
from licensing.uploads import DocumentField

from .models import Appeal

STATEMENT_MAX = 20000
REASONS_MAX = 20000


class _AppealForm(StyledFormMixin, forms.Form):
    """Several of these forms share one page: each gets its own id prefix, so ids stay unique."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


# --- The appellant -----------------------------------------------------------------------------


class AppealStartForm(forms.Form):
    """What is appealed on a case: the subject and, for licence subjects, what exactly."""

    subject = forms.ChoiceField(choices=Appeal.Subject.choices)
    licence = forms.IntegerField(required=False, min_value=1)
    condition = forms.CharField(required=False, max_length=10000)
    flag = forms.IntegerField(required=False, min_value=1)


class _NeededToLodge:
    """A field a draft may leave empty: shown as required (lodging needs it), never enforced.

    Django checks `required` in `Field.validate`; here only the other checks run, so saving a
    half-finished draft works while the label does not call the answer optional.
    """

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)


class _DraftText(_NeededToLodge, forms.CharField):
    pass


class _DraftChoices(_NeededToLodge, forms.MultipleChoiceField):
    pass


class AppealDraftForm(_AppealForm):
    id_prefix = "appeal"
    use_required_attribute = False

    grounds = _DraftChoices(
        label="Grounds of appeal",
        choices=Appeal.Ground.choices,
        widget=ChoiceCheckboxes,
        template_name=CHOICES_FIELD_TEMPLATE,
        help_text="Choose every ground that applies; explain each in your statement.",
    )
    statement = _DraftText(
        label="Your statement",
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Say what is wrong with the decision and why; refer to the documents you "
        "attach. The reviewer did not take part in the original decision.",
    )
    lateness_reason = _DraftText(
        label="Why are you appealing after the deadline?",
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A reviewer first decides whether to accept a late appeal.",
    )

    def __init__(self, *args, late: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.late = late
        if not late:
            del self.fields["lateness_reason"]

    @classmethod
    def initial_for(cls, appeal: Appeal) -> dict:
        return {
            "grounds": list(appeal.grounds or []),
            "statement": appeal.statement,
            "lateness_reason": appeal.lateness_reason,
        }

    def draft_data(self) -> dict:
        """The cleaned answers, as `appeal_save` takes them."""
        return {name: self.cleaned_data[name] for name in self.fields}

    def lodge_problems(self) -> list[tuple[str, str]]:
        """(message, field id) for each answer lodging needs and the draft does not have."""
        data = self.cleaned_data
        problems = []
        if not data.get("grounds"):
            problems.append(("Choose at least one ground of appeal.", "grounds"))
        if not (data.get("statement") or "").strip():
            problems.append(("Write your statement.", "statement"))
        if self.late and not (data.get("lateness_reason") or "").strip():
            problems.append(
                ("The deadline has passed: say why you are appealing late.", "lateness_reason")
            )
        for message, name in problems:
            self.add_error(name, message)
        return [(message, self[name].auto_id) for message, name in problems]


class AppealDocumentForm(_AppealForm):
    id_prefix = "document"

    file = DocumentField(
        label="Choose a file",
        error_messages={"required": "Choose the file to upload."},
    )


class AppealAnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(
        label="Your answer",
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write your answer."},
    )
    document = DocumentField(label="Attach a document", required=False)

    def __init__(self, *args, request_pk: int, **kwargs):
        kwargs.setdefault("prefix", f"appeal-rfi-{request_pk}")
        super().__init__(*args, **kwargs)


# --- The reviewer ------------------------------------------------------------------------------


class LatenessForm(_AppealForm):
    id_prefix = "lateness"

    accept = forms.ChoiceField(
        label="Accept the late appeal?",
        choices=[("yes", "Yes: the reason is good, review the appeal"), ("no", "No")],
        widget=ChoiceRadios,
        template_name=CHOICES_FIELD_TEMPLATE,
        error_messages={"required": "Choose whether to accept the late appeal."},
    )
    reason = forms.CharField(
        label="Your reasons",
        max_length=REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The appellant reads these.",
        error_messages={"required": "Give your reasons."},
    )


class AppealAssignForm(_AppealForm):
    id_prefix = "assign"

    reviewer = _UserChoiceField(
        queryset=User.objects.none(),
        label="Assign to",
        empty_label="Choose a reviewer",
        help_text="Only reviewers who took no part in the original case are offered.",
        error_messages={
            "required": "Choose the reviewer to assign the appeal to.",
            "invalid_choice": "Choose one of the reviewers offered: they took no part in the case.",
        },
    )

    def __init__(self, *args, reviewers: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class AppealInformationRequestForm(_AppealForm):
    id_prefix = "rfi"

    question = forms.CharField(
        label="What do you need from the appellant?",
        max_length=REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The appellant is notified. The deadline clock stops until they answer.",
        error_messages={"required": "Write what you need from the appellant."},
    )


class AppealDecisionForm(_AppealForm):
    id_prefix = "decide"

    outcome = forms.ChoiceField(
        label="Decision",
        choices=[
            ("upheld", "Uphold: the original decision stands"),
            ("overturned", "Overturn: the original decision is reversed"),
            ("remitted", "Remit: send it back for a fresh review"),
        ],
        widget=ChoiceRadios,
        template_name=CHOICES_FIELD_TEMPLATE,
        error_messages={"required": "Choose uphold, overturn or remit."},
    )
    reasons = forms.CharField(
        label="Reasons",
        max_length=REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Published to the appellant with the decision.",
        error_messages={"required": "Give the reasons for your decision."},
    )
    officer = _UserChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="If remitting a refusal: the officer who reviews the case afresh",
        empty_label="Choose an officer",
        help_text="Only case officers who took no part in the case are offered.",
    )

    def __init__(self, *args, officers: QuerySet[User] | None = None, remits_case=False, **kw):
        super().__init__(*args, **kw)
        self.remits_case = remits_case
        if officers is not None and remits_case:
            self.fields["officer"].queryset = officers
        else:
            del self.fields["officer"]

    def clean(self):
        cleaned = super().clean()
        if (
            self.remits_case
            and cleaned.get("outcome") == "remitted"
            and not cleaned.get("officer")
            and "officer" in self.fields
        ):
            self.add_error("officer", "Choose the officer who reviews the case afresh.")
        return cleaned
