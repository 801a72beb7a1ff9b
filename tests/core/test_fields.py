import pytest
from django.core.exceptions import FieldError
from django.db import connection, models
from django.db.models.lookups import IsNull
from django.test import override_settings
from django.test.utils import isolate_apps

from dangjian.core import crypto
from dangjian.core.fields import BlindIndexField, EncryptedTextField

KEY = crypto.generate_data_key()


@pytest.fixture(autouse=True, scope="module")
def fixed_key():
    with override_settings(DATA_KEY=KEY, DATA_KEY_PREVIOUS=[]):
        yield


@pytest.fixture
def field():
    field = EncryptedTextField(blank=True)
    field.set_attributes_from_name("id_number")
    return field


def test_prep_value_encrypts_text(field):
    stored = field.get_prep_value("460106199001011234")
    assert stored != "460106199001011234"
    assert crypto.decrypt(stored) == "460106199001011234"


@pytest.mark.parametrize("empty", ["", None])
def test_empty_values_are_stored_as_they_are(field, empty):
    assert field.get_prep_value(empty) == empty
    assert field.from_db_value(empty, None, connection) == empty


def test_from_db_value_decrypts(field):
    stored = field.get_db_prep_save("13812345678", connection)
    assert field.from_db_value(stored, None, connection) == "13812345678"


def test_to_python_returns_text(field):
    assert field.to_python(13812345678) == "13812345678"
    assert field.to_python("abc") == "abc"


@pytest.mark.parametrize("lookup", ["icontains", "contains", "startswith", "in", "iexact", "gt", "regex"])
def test_lookups_other_than_isnull_are_refused(field, lookup):
    with pytest.raises(FieldError, match="blind index"):
        field.get_lookup(lookup)


def test_transforms_are_refused(field):
    with pytest.raises(FieldError):
        field.get_transform("lower")


def test_isnull_is_allowed(field):
    assert field.get_lookup("isnull") is IsNull


@isolate_apps("django.contrib.contenttypes")
def test_querysets_allow_only_empty_checks():
    class Secret(models.Model):
        value = EncryptedTextField(blank=True, null=True)

        class Meta:
            app_label = "contenttypes"

        def __str__(self):
            return f"secret {self.pk}"

    # Building SQL needs no table, so these run without database access.
    assert "IS NULL" in str(Secret.objects.filter(value__isnull=True).query)
    assert "IS NULL" in str(Secret.objects.filter(value=None).query)
    str(Secret.objects.filter(value="").query)
    with pytest.raises(FieldError):
        Secret.objects.filter(value="460106199001011234")
    with pytest.raises(FieldError):
        Secret.objects.filter(value__icontains="4601")
    with pytest.raises(FieldError):
        Secret.objects.filter(value__lower="x")
    with pytest.raises(FieldError):
        Secret.objects.filter(value=models.F("id"))


def test_encrypted_field_deconstructs():
    name, path, args, kwargs = EncryptedTextField(blank=True).deconstruct()
    assert path == "dangjian.core.fields.EncryptedTextField"
    assert kwargs == {"blank": True}


def test_blind_index_field_defaults():
    field = BlindIndexField(unique=True, null=True, blank=True)
    assert (field.max_length, field.db_index, field.editable) == (64, True, False)
    _, path, args, kwargs = field.deconstruct()
    assert path == "dangjian.core.fields.BlindIndexField"
    assert kwargs == {"unique": True, "null": True, "blank": True}
    rebuilt = BlindIndexField(*args, **kwargs)
    assert (rebuilt.max_length, rebuilt.db_index, rebuilt.editable, rebuilt.unique) == (64, True, False, True)


def test_blind_index_field_keeps_explicit_overrides():
    _, _, _, kwargs = BlindIndexField(db_index=False, max_length=128).deconstruct()
    assert kwargs == {"db_index": False, "max_length": 128}
    assert BlindIndexField(**kwargs).db_index is False
