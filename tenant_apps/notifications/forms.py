from django import forms

from tenant_apps.notifications import kinds
from tenant_apps.notifications.kinds import Delivery


def field_name(kind: str) -> str:
    # Kind keys hold dots, which make awkward HTML ids and CSS selectors.
    return "kind__" + kind.replace(".", "__")


class DeliveryPreferencesForm(forms.Form):
    """One group of radio buttons (a fieldset) per registered kind."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self._kinds = {}
        for kind in kinds.all_kinds():
            name = field_name(kind.key)
            self._kinds[name] = kind.key
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current.get(kind.key, kind.default_delivery),
            )

    def deliveries(self) -> dict[str, str]:
        return {self._kinds[name]: value for name, value in self.cleaned_data.items()}
