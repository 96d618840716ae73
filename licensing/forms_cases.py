"""Forms of the officials' case work. They only validate; the views call the services."""

from django import forms
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from exportgov.accounts.models import Team, User
from exportgov.core.forms import (
    CHOICES_FIELD_TEMPLATE,
    ChoiceCheckboxes,
    ChoiceRadios,
    StyledFormMixin,
)

from .models import Advice, LicenceCondition, Outcome, RefusalCriterion


class _CaseForm(StyledFormMixin, forms.Form):
    """Several of these forms share one page: each gets its own id prefix, so ids stay unique."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def reviewers() -> QuerySet[User]:
    """Active users who may work cases (directly or through a role's group)."""
    permission = Permission.objects.filter(
        codename="review_application", content_type__app_label="licensing"
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(_CaseForm):
    id_prefix = "assign"

    officer = _UserChoiceField(
        queryset=User.objects.none(),
        label="Assign to",
        empty_label="Choose an official",
        error_messages={"required": "Choose the official to assign the case to."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = reviewers()


class NoteForm(_CaseForm):
    id_prefix = "note"

    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Seen only by officials; never shown to the exporter.",
        error_messages={"required": "Write the note."},
    )


class InformationRequestForm(_CaseForm):
    id_prefix = "rfi"

    question = forms.CharField(
        label="What do you need from the exporter?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="The exporter is notified and answers on their status page. "
        "The deadline clock stops until they answer.",
        error_messages={"required": "Write what you need from the exporter."},
    )


class _TeamChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return obj.name


class ReferForm(_CaseForm):
    id_prefix = "refer"

    teams = _TeamChoiceField(
        queryset=Team.objects.none(),
        label="Advisory bodies",
        widget=ChoiceCheckboxes,
        template_name=CHOICES_FIELD_TEMPLATE,
        error_messages={"required": "Choose at least one advisory body."},
    )
    question = forms.CharField(
        label="Question for the advisers",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Write the question for the advisers."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.filter(kind=Team.Kind.ADVISORY).order_by(
            "name"
        )


class AdviceForm(_CaseForm):
    id_prefix = "advice"

    outcome = forms.ChoiceField(
        label="Your advice",
        choices=Advice.Outcome.choices,
        widget=ChoiceRadios,
        template_name=CHOICES_FIELD_TEMPLATE,
        error_messages={"required": "Choose your advice."},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text="Advice cannot be changed once given; a revision is recorded as new advice.",
        error_messages={"required": "Give the rationale for your advice."},
    )


class _ConditionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: LicenceCondition) -> str:
        return f"{obj.title}: {obj.text}"


class _CriterionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: RefusalCriterion) -> str:
        return f"{obj.title}: {obj.description}"


class RecommendationForm(_CaseForm):
    id_prefix = "recommend"

    outcome = forms.ChoiceField(
        label="Recommendation",
        choices=Outcome.choices,
        widget=ChoiceRadios,
        template_name=CHOICES_FIELD_TEMPLATE,
        error_messages={"required": "Choose approve or refuse."},
    )
    conditions = _ConditionChoiceField(
        queryset=LicenceCondition.objects.none(),
        required=False,
        label="If approving: conditions from the catalogue",
        widget=ChoiceCheckboxes,
        template_name=CHOICES_FIELD_TEMPLATE,
    )
    custom_conditions = forms.CharField(
        label="If approving: further conditions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="One condition per line, worded as it should appear on the licence.",
    )
    refusal_criteria = _CriterionChoiceField(
        queryset=RefusalCriterion.objects.none(),
        required=False,
        label="If refusing: grounds (published refusal criteria)",
        widget=ChoiceCheckboxes,
        template_name=CHOICES_FIELD_TEMPLATE,
    )
    explanation = forms.CharField(
        label="Explanation",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text="A refused exporter reads this with the grounds.",
        error_messages={"required": "Explain the recommendation."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conditions"].queryset = LicenceCondition.objects.filter(active=True)
        self.fields["refusal_criteria"].queryset = RefusalCriterion.objects.filter(active=True)

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == Outcome.REFUSE:
            if not cleaned.get("refusal_criteria"):
                self.add_error(
                    "refusal_criteria", "Choose at least one refusal criterion as the grounds."
                )
            if cleaned.get("conditions") or (cleaned.get("custom_conditions") or "").strip():
                self.add_error(
                    "conditions", "Conditions belong to an approval; clear them to refuse."
                )
        elif outcome == Outcome.APPROVE and cleaned.get("refusal_criteria"):
            self.add_error(
                "refusal_criteria", "Refusal criteria belong to a refusal; clear them to approve."
            )
        return cleaned


class DecisionForm(_CaseForm):
    id_prefix = "decide"

    explanation = forms.CharField(
        label="Anything to add to the recommendation's explanation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )


class ReturnForm(_CaseForm):
    id_prefix = "return"

    reason = forms.CharField(
        label="Why is it going back?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Say why the case is going back."},
    )
