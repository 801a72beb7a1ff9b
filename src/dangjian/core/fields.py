"""Model fields for personal data encrypted at rest, and the blind index that makes it searchable."""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from dangjian.core import crypto


class _EmptyOnlyExact(Exact):
    """``field=""`` still works (it finds blank values); comparing ciphertexts never would."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                "Encrypted fields cannot be compared with a value; filter on the blind index field instead."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code sees plaintext.

    Empty string and None are stored as they are, so "not filled in" stays queryable. Every
    encryption uses a fresh IV, so the database cannot compare or search values: the only
    lookups are ``isnull`` and ``exact`` with "". Pair the field with a ``BlindIndexField``.
    """

    _ALLOWED_LOOKUPS = {"isnull": IsNull, "exact": _EmptyOnlyExact}

    def get_lookup(self, lookup_name):
        if lookup_name in self._ALLOWED_LOOKUPS:
            return self._ALLOWED_LOOKUPS[lookup_name]
        raise FieldError(
            f"Lookup {lookup_name!r} is not supported on encrypted field {self.name!r}; "
            "filter on its blind index instead."
        )

    def get_transform(self, lookup_name):
        raise FieldError(f"Transform {lookup_name!r} is not supported on encrypted field {self.name!r}.")

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)


class BlindIndexField(models.CharField):
    """Holds ``crypto.blind_index()`` of a sibling encrypted field: 64 hex characters, indexed."""

    _DEFAULTS = {"max_length": 64, "db_index": True, "editable": False}

    def __init__(self, *args, **kwargs):
        for name, default in self._DEFAULTS.items():
            kwargs.setdefault(name, default)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # Leave our defaults out of migrations, as Django does for its own fields' defaults.
        for key, default in self._DEFAULTS.items():
            value = getattr(self, key)
            if value == default:
                kwargs.pop(key, None)
            else:
                kwargs[key] = value
        return name, path, args, kwargs
