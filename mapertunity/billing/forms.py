from __future__ import annotations

from django import forms

from . import checkout


class BuyForm(forms.Form):
    pack = forms.ChoiceField(choices=())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["pack"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.code, p.name) for p in checkout.packs()]
