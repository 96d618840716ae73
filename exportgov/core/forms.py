"""How every form looks: USWDS classes on widgets, one field template, an error summary."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES = {
    forms.CheckboxInput: "usa-checkbox__input",
    forms.RadioSelect: "usa-radio__input",
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.FileInput: "usa-file-input",
}


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def style_widgets(form: forms.BaseForm) -> None:
    """Give each widget its design-system class (text inputs get `usa-input`)."""
    for field in form.fields.values():
        widget_class = next(
            (css for kind, css in WIDGET_CLASSES.items() if isinstance(field.widget, kind)),
            "usa-input",
        )
        field.widget.attrs.setdefault("class", widget_class)


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def service_errors_add(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names (the rest on the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


# Choice lists render as USWDS radios and checkboxes inside a fieldset with a legend: give the
# field `template_name=CHOICES_FIELD_TEMPLATE` and one of these widgets.
CHOICES_FIELD_TEMPLATE = "licensing/cases/field_choices.html"
CHOICES_WIDGET_TEMPLATE = "licensing/cases/widget_choices.html"
CHOICE_OPTION_TEMPLATE = "licensing/cases/widget_choice_option.html"


class ChoiceRadios(forms.RadioSelect):
    template_name = CHOICES_WIDGET_TEMPLATE
    option_template_name = CHOICE_OPTION_TEMPLATE

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "usa-radio__input", **(attrs or {})}, choices)


class ChoiceCheckboxes(forms.CheckboxSelectMultiple):
    template_name = CHOICES_WIDGET_TEMPLATE
    option_template_name = CHOICE_OPTION_TEMPLATE

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "usa-checkbox__input", **(attrs or {})}, choices)
