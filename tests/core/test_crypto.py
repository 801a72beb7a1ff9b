import re
import runpy
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core import crypto

KEY = crypto.generate_data_key()
OLD_KEY = crypto.generate_data_key()


@pytest.fixture(autouse=True, scope="module")
def fixed_key():
    # Module scope keeps Hypothesis happy (it refuses function-scoped fixtures with @given)
    # and makes the tests independent of whatever key the environment provides.
    with override_settings(DATA_KEY=KEY, DATA_KEY_PREVIOUS=[]):
        yield


# --- Keys ------------------------------------------------------------------------------------


def test_generated_keys_are_32_bytes_and_distinct():
    key = crypto.generate_data_key()
    assert len(key) == 44
    assert len(crypto.check_data_key(key)) == 32
    assert key != crypto.generate_data_key()


@pytest.mark.parametrize(
    "bad",
    ["", "short", "x" * 44, "密钥" * 22, KEY[:-4], KEY + "AAAA"],
    # Named, not shown: the key is random per process, and parallel workers must agree on the ids.
    ids=["empty", "short", "not-base64-key", "chinese", "truncated", "too-long"],
)
def test_bad_keys_are_rejected_without_echoing_them(bad):
    with pytest.raises(ImproperlyConfigured) as info:
        crypto.check_data_key(bad)
    if bad:
        assert bad not in str(info.value)


def test_encrypt_needs_a_configured_key(settings):
    settings.DATA_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="DATA_KEY is empty"):
        crypto.encrypt("x")


def test_load_creates_a_private_key_file(tmp_path):
    path = tmp_path / "secrets" / "data.key"
    key = crypto.load_or_create_data_key(path, create=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == key
    assert len(crypto.check_data_key(key)) == 32
    # No temporary file is left behind.
    assert [p.name for p in path.parent.iterdir()] == ["data.key"]


def test_load_reads_an_existing_key_file(tmp_path):
    path = tmp_path / "data.key"
    path.write_text(f"  {KEY}\n")
    assert crypto.load_or_create_data_key(path, create=True) == KEY
    assert crypto.load_or_create_data_key(path, create=False) == KEY


def test_load_keeps_the_same_key_on_later_calls(tmp_path):
    path = tmp_path / "data.key"
    first = crypto.load_or_create_data_key(path, create=True)
    assert crypto.load_or_create_data_key(path, create=True) == first


def test_load_rejects_a_bad_key_file(tmp_path):
    path = tmp_path / "data.key"
    path.write_text("not-a-key\n")
    with pytest.raises(ImproperlyConfigured, match="not a valid data key"):
        crypto.load_or_create_data_key(path, create=True)


def test_load_without_create_explains_how_to_make_a_key(tmp_path):
    path = tmp_path / "missing.key"
    with pytest.raises(ImproperlyConfigured, match=re.escape("python -m dangjian.core.crypto >")):
        crypto.load_or_create_data_key(path, create=False)
    assert not path.exists()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # runpy warns: the module is already imported
def test_running_the_module_prints_a_new_key(capsys):
    runpy.run_module("dangjian.core.crypto", run_name="__main__")
    printed = capsys.readouterr().out.strip()
    assert len(crypto.check_data_key(printed)) == 32


# --- Encryption ------------------------------------------------------------------------------


@given(st.text())
def test_encrypt_decrypt_round_trip(text):
    token = crypto.encrypt(text)
    assert token.isascii()
    assert crypto.decrypt(token) == text


def test_ciphertext_hides_the_plaintext_and_is_never_repeated():
    plaintext = "460106199001011234"
    first, second = crypto.encrypt(plaintext), crypto.encrypt(plaintext)
    assert plaintext not in first
    assert first != second
    assert crypto.decrypt(first) == crypto.decrypt(second) == plaintext


def test_encrypt_rejects_non_text():
    with pytest.raises(TypeError):
        crypto.encrypt(b"bytes")


def test_wrong_key_fails_without_leaking(settings):
    plaintext = "460106199001011234"
    token = crypto.encrypt(plaintext)
    settings.DATA_KEY = crypto.generate_data_key()
    with pytest.raises(crypto.DecryptionError) as info:
        crypto.decrypt(token)
    assert plaintext not in str(info.value)
    assert token not in str(info.value)
    assert info.value.__cause__ is None


@pytest.mark.parametrize("garbage", ["", "gAAAAA", "not a token", "密文", "v2:", "v2:AAAA", "v2:!!"])
def test_garbage_tokens_fail_cleanly(garbage):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(garbage)


def test_rotation_keeps_old_data_readable(settings):
    settings.DATA_KEY = OLD_KEY
    token = crypto.encrypt("13812345678")

    settings.DATA_KEY = KEY
    settings.DATA_KEY_PREVIOUS = [OLD_KEY]
    assert crypto.decrypt(token) == "13812345678"

    # Re-encrypted data no longer needs the old key.
    rotated = crypto.reencrypt(token)
    settings.DATA_KEY_PREVIOUS = []
    assert crypto.decrypt(rotated) == "13812345678"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_values_written_by_the_first_version_stay_readable(settings):
    """Fernet tokens (before AES-GCM) decrypt, with the current or a previous key, and re-encrypt to v2."""
    settings.DATA_KEY = KEY
    old_token = crypto._fernet(KEY).encrypt(b"460106199001011234").decode()
    assert crypto.decrypt(old_token) == "460106199001011234"
    rotated = crypto.reencrypt(old_token)
    assert rotated.startswith("v2:") and crypto.decrypt(rotated) == "460106199001011234"
    settings.DATA_KEY, settings.DATA_KEY_PREVIOUS = OLD_KEY, [KEY]
    assert crypto.decrypt(old_token) == "460106199001011234"


def test_blobs_round_trip_and_refuse_tampering(settings):
    settings.DATA_KEY = KEY
    blob = crypto.encrypt_bytes("身份证号 460106199001011234".encode())
    assert b"460106" not in blob
    assert crypto.decrypt_bytes(blob).decode() == "身份证号 460106199001011234"
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(tampered)


# --- Blind index -----------------------------------------------------------------------------


def test_blind_index_is_deterministic_hex():
    index = crypto.blind_index("460106199001011234", "id_number")
    assert index == crypto.blind_index("460106199001011234", "id_number")
    assert re.fullmatch(r"[0-9a-f]{64}", index)


def test_blind_index_depends_on_kind_and_value():
    assert crypto.blind_index("13812345678", "mobile") != crypto.blind_index("13812345678", "id_number")
    assert crypto.blind_index("13812345678", "mobile") != crypto.blind_index("13812345679", "mobile")


def test_blind_index_depends_on_the_current_key_only(settings):
    before = crypto.blind_index("13812345678", "mobile")
    settings.DATA_KEY = OLD_KEY
    settings.DATA_KEY_PREVIOUS = [KEY]
    # After a rotation the index changes: stored indexes must be recomputed.
    assert crypto.blind_index("13812345678", "mobile") != before


def test_blind_index_needs_a_kind():
    with pytest.raises(ValueError):
        crypto.blind_index("13812345678", "")
