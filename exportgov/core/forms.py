"""How every form looks: USWDS classes on widgets, one field template, an error summary."""

from django import forms
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
