from django import forms


class Styled:
    """Mixin for a Form or ModelForm: Bootstrap classes on every widget, so the templates stay plain.

    Widgets of the kinds in ``unstyled_widgets`` are left alone (check boxes and radio buttons take
    Bootstrap's form-check classes in the template instead)."""

    unstyled_widgets: tuple[type[forms.Widget], ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, self.unstyled_widgets):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def date_input():
    """A date field's widget: the browser's date picker, with the ISO value it expects."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class FilterForm(forms.Form):
    """A GET filter form styled for Bootstrap's small controls."""

    # Model choice fields whose chosen object the query functions take as ``<name>_id`` (None when
    # nothing is chosen), e.g. ("street",) gives street_id=<region pk>.
    id_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def filters(self) -> dict:
        """The cleaned values as keyword arguments for a query function; invalid input filters nothing."""
        if not self.is_valid():
            return {}
        values = {
            name: value.strip() if isinstance(value, str) else value
            for name, value in self.cleaned_data.items()
        }
        for name in self.id_fields:
            if name in values:
                chosen = values.pop(name)
                values[f"{name}_id"] = chosen.pk if chosen else None
        return values
