from django import forms


class FilterForm(forms.Form):
    """A GET filter form styled for Bootstrap's small controls."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def filters(self) -> dict:
        """The cleaned values as keyword arguments for a query function; invalid input filters nothing."""
        if not self.is_valid():
            return {}
        return {
            name: value.strip() if isinstance(value, str) else value
            for name, value in self.cleaned_data.items()
        }
