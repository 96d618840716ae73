"""Forms of the exporter's pages. They only validate: the views hand cleaned data to services.

Every answer of a draft is optional here (a draft may be half-finished); what is missing is
listed on the review page by `selectors.application_problems`. A form rejects only values that
are wrong in themselves, such as "abc" for a value or a malformed control list code.
"""

import re

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django_countries import countries

from exportgov.core.forms import StyledFormMixin

from .models import Application, Document, Item, Party
from .steps import DUE_DILIGENCE_ANSWERS, DUE_DILIGENCE_QUESTIONS
from .uploads import DocumentField

# Permissive on purpose: control lists differ between regimes, so this only catches values that
# cannot be a code at all. Accepts ECCNs (3A001.b.2, 5D002, EAR99), military list entries
# (ML10.a, PL5001), Wassenaar-style or national codes (1C350.d.7, 0A521) and similar.
CONTROL_CODE_RE = re.compile(r"^[A-Za-z0-9]{2,8}(?:[.\-/][A-Za-z0-9]{1,8}){0,8}$")
CONTROL_CODE_EXAMPLE = "3A001.b.2, ML10.a or EAR99"
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")

YES_NO = [("yes", "Yes"), ("no", "No")]


def _to_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def bool_to_choice(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class ApplicationCreateForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What do you want to export?",
        choices=Application.Kind.choices,
        widget=forms.RadioSelect,
        help_text="Technology covers research collaboration, visiting researchers, technical "
        "assistance, and conference talks or publications of controlled technology.",
    )
    organisation = forms.ModelChoiceField(
        label="Apply for which organisation?", queryset=None, empty_label=None
    )

    def __init__(self, *args, organisations: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk


class ApplicantForm(StyledFormMixin, forms.Form):
    title = forms.CharField(
        label="Short title for this application",
        max_length=200,
        required=False,
        help_text="For your own reference, e.g. “Spectrometers for Lyon university”.",
    )
    contact_name = forms.CharField(label="Contact name", max_length=200, required=False)
    contact_email = forms.EmailField(label="Contact email address", required=False)
    contact_phone = forms.CharField(
        label="Contact telephone number",
        max_length=40,
        required=False,
        validators=[
            RegexValidator(
                r"^[0-9 +()\-.]{5,40}$",
                "Enter a telephone number using digits, spaces and + ( ) -, e.g. +44 20 7946 0000.",
            )
        ],
    )

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        return {name: getattr(application, name) for name in cls.base_fields}

    def step_data(self) -> dict:
        return dict(self.cleaned_data)


class EndUseForm(StyledFormMixin, forms.Form):
    end_use_statement = forms.CharField(
        label="What will the items be used for, and by whom?",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Describe the end use in your own words: the project, the end user's "
        "activity, and where the items will be installed or used.",
    )
    military_end_use = forms.ChoiceField(
        label="Will the items be used for a military purpose?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    wmd_end_use = forms.ChoiceField(
        label="Could the items be used in connection with chemical, biological or nuclear "
        "weapons, or missiles to deliver them?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    reexport_intended = forms.ChoiceField(
        label="Is the end user expected to re-export the items to another country?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    end_user_known_for = forms.ChoiceField(
        label="How long have you known the end user?",
        choices=Application.KnownFor.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    BOOLEANS = ("military_end_use", "wmd_end_use", "reexport_intended")

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        initial = {name: getattr(application, name) for name in cls.base_fields}
        for name in cls.BOOLEANS:
            initial[name] = bool_to_choice(initial[name])
        return initial

    def step_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in self.BOOLEANS:
            data[name] = _to_bool(data[name])
        return data


class DueDiligenceForm(StyledFormMixin, forms.Form):
    """One yes / no / not sure question per know-your-customer red flag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, question in DUE_DILIGENCE_QUESTIONS:
            self.fields[code] = forms.ChoiceField(
                label=question,
                choices=DUE_DILIGENCE_ANSWERS,
                widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                required=False,
            )

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        return dict(application.due_diligence or {})

    def step_data(self) -> dict:
        answers = {code: value for code, value in self.cleaned_data.items() if value}
        return {"due_diligence": answers}


STEP_FORMS: dict[str, type[forms.Form]] = {
    "applicant": ApplicantForm,
    "end-use": EndUseForm,
    "due-diligence": DueDiligenceForm,
}


class ItemForm(StyledFormMixin, forms.Form):
    description = forms.CharField(
        label="Name or short description",
        max_length=300,
        help_text="e.g. “Infrared camera model X-200” or “Design data for a high-power laser”.",
    )
    control_code = forms.CharField(
        label="Control list classification",
        max_length=40,
        required=False,
        help_text=f"The control list code, for example {CONTROL_CODE_EXAMPLE}.",
    )
    classification_unknown = forms.BooleanField(
        label="I am not sure of the classification: ask for one to be made", required=False
    )
    technical_description = forms.CharField(
        label="Technical description",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Performance figures and specifications that decide its classification.",
    )
    quantity = forms.DecimalField(label="Quantity", required=False, max_digits=14, decimal_places=3)
    unit = forms.ChoiceField(label="Unit", choices=Item.Unit.choices, initial=Item.Unit.ITEMS)
    value = forms.DecimalField(
        label="Total value", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(
        label="Currency",
        initial="GBP",
        widget=forms.TextInput(attrs={"maxlength": 3}),
        help_text="The three-letter ISO 4217 code, e.g. GBP, EUR or USD.",
    )
    transfer_form = forms.ChoiceField(
        label="How will the technology be transferred?",
        choices=[("", "Choose…"), *Item.TransferForm.choices],
        required=False,
    )

    FIELDS = (
        "description",
        "control_code",
        "classification_unknown",
        "technical_description",
        "quantity",
        "unit",
        "value",
        "currency",
        "transfer_form",
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].widget.attrs.update({"class": "usa-input usa-input--small"})
        self.fields["quantity"].widget.attrs["class"] = "usa-input usa-input--medium"
        self.fields["value"].widget.attrs["class"] = "usa-input usa-input--medium"
        # Browsers would reject "abc" in a number box before we can say why; keep them text.
        for name in ("quantity", "value"):
            self.fields[name].widget.input_type = "text"
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        if application.kind == Application.Kind.TECHNOLOGY:
            self.fields["transfer_form"].required = True
        else:
            del self.fields["transfer_form"]

    @classmethod
    def initial_for(cls, item: Item) -> dict:
        return {name: getattr(item, name) for name in cls.FIELDS}

    def clean_control_code(self) -> str:
        code = self.cleaned_data["control_code"].strip()
        if code.upper() == "EAR99":
            return "EAR99"
        if code and not CONTROL_CODE_RE.match(code):
            raise forms.ValidationError(
                f"Enter a control list code such as {CONTROL_CODE_EXAMPLE}, "
                "or tick “I am not sure of the classification”."
            )
        return code

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if not CURRENCY_RE.match(currency):
            raise forms.ValidationError("Enter a three-letter currency code such as GBP or EUR.")
        return currency

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity is not None and quantity <= 0:
            raise forms.ValidationError("Enter a quantity greater than 0.")
        return quantity

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("classification_unknown") and cleaned.get("control_code"):
            self.add_error(
                "control_code",
                "Either give the control list code or tick “I am not sure”, not both.",
            )
        return cleaned

    def item_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("transfer_form", "")
        return data


class PartyForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label="Role in this export", choices=Party.Role.choices)
    name = forms.CharField(label="Name", max_length=300)
    aliases = forms.CharField(
        label="Other names, if known",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="One per line: former names, trading names, names in other scripts.",
    )
    kind = forms.ChoiceField(label="Type", choices=Party.Kind.choices, initial=Party.Kind.COMPANY)
    address = forms.CharField(
        label="Address", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    country = forms.ChoiceField(label="Country")
    website = forms.URLField(
        label="Website", required=False, assume_scheme="https", help_text="e.g. example.org"
    )
    undertaking = forms.ModelChoiceField(
        label="End-user undertaking",
        queryset=Document.objects.none(),
        required=False,
        empty_label="None attached",
        help_text="Choose one of this application's documents, or upload it below.",
    )
    undertaking_file = DocumentField(
        label="Upload the end-user undertaking",
        required=False,
        help_text="The signed undertaking, as a PDF, image or Word document.",
    )

    FIELDS = ("role", "name", "aliases", "kind", "address", "country", "website", "undertaking")

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "Choose a country"), *countries]
        self.fields["undertaking"].queryset = application.documents.order_by("uploaded_at", "id")
        self.fields["undertaking"].label_from_instance = lambda document: (
            f"{document.original_name} ({document.get_kind_display()})"
        )

    @classmethod
    def initial_for(cls, party: Party) -> dict:
        initial = {name: getattr(party, name) for name in cls.FIELDS}
        initial["undertaking"] = party.undertaking_id
        initial["country"] = party.country.code
        return initial

    def party_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class PartyReuseForm(StyledFormMixin, forms.Form):
    party = forms.ModelChoiceField(
        label="Reuse a party from an earlier application",
        queryset=Party.objects.none(),
        empty_label="Choose a party",
    )

    def __init__(self, *args, parties: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        self.fields["party"].label_from_instance = lambda party: (
            f"{party.name}, {party.country.name} ({party.get_role_display()})"
        )


class DocumentUploadForm(StyledFormMixin, forms.Form):
    file = DocumentField(label="Choose a file")
    kind = forms.ChoiceField(
        label="What is it?",
        choices=[
            (value, label)
            for value, label in Document.Kind.choices
            if value != Document.Kind.INFORMATION
        ],
        initial=Document.Kind.OTHER,
    )


class DeclarationForm(StyledFormMixin, forms.Form):
    declaration = forms.BooleanField(
        label="I declare that the information in this application is true and complete to the "
        "best of my knowledge, and that I am authorised to make this application for my "
        "organisation.",
        error_messages={"required": "Tick the declaration to submit the application."},
    )


class InformationAnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write your answer."},
    )
    document = DocumentField(label="Attach a document", required=False)

    def __init__(self, *args, request_pk: int, **kwargs):
        kwargs.setdefault("prefix", f"rfi-{request_pk}")
        super().__init__(*args, **kwargs)
