"""Forms of the licence pages: the list's filters, recording a shipment, and official actions."""

from decimal import Decimal

import django_filters
from django import forms

from exportgov.core.forms import StyledFormMixin, style_widgets

from .models import Licence, LicenceItem


class LicenceFilter(django_filters.FilterSet):
    """Filter a licence list (already limited to what the user may see) by status and number."""

    status = django_filters.ChoiceFilter(choices=Licence.Status.choices, label="Status")
    number = django_filters.CharFilter(
        field_name="number", lookup_expr="icontains", label="Licence number"
    )

    class Meta:
        model = Licence
        fields = ["status", "number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self.form)


class ShipmentForm(StyledFormMixin, forms.Form):
    """A shipment against a licence: the date, the exporter's reference, and per licensed item
    the quantity and value shipped (left blank: none of that item)."""

    shipped_on = forms.DateField(
        label="Date shipped",
        help_text="For example 2025-03-31.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reference = forms.CharField(
        label="Your reference",
        required=False,
        max_length=100,
        help_text="For example an invoice or consignment number.",
    )

    def __init__(self, *args, items: list[LicenceItem], **kwargs):
        self.items = items
        super().__init__(*args, **kwargs)
        for item in items:
            unit = item.get_unit_display().lower()
            self.fields[f"quantity_{item.pk}"] = forms.DecimalField(
                label=f"{item.description}: quantity shipped ({unit})",
                help_text=f"{item.remaining_quantity.normalize():f} {unit} remain.",
                required=False,
                max_digits=14,
                decimal_places=3,
                min_value=0,
            )
            self.fields[f"value_{item.pk}"] = forms.DecimalField(
                label=f"{item.description}: value shipped ({item.currency})",
                help_text=f"{item.remaining_value} {item.currency} remain.",
                required=False,
                max_digits=14,
                decimal_places=2,
                min_value=0,
            )
        style_widgets(self)

    def lines(self) -> list[tuple[LicenceItem, Decimal, Decimal]]:
        """(licence item, quantity, value) for each item; blanks count as nothing shipped."""
        data = self.cleaned_data
        return [
            (
                item,
                data.get(f"quantity_{item.pk}") or Decimal(0),
                data.get(f"value_{item.pk}") or Decimal(0),
            )
            for item in self.items
        ]


class GroundsForm(StyledFormMixin, forms.Form):
    """The grounds of a suspension, reinstatement or revocation; the licence holder reads them."""

    reason = forms.CharField(
        label="Grounds",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="The licence holder reads this.",
    )
