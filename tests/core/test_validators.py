import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.validators import (
    ID_CHECK_CHARS,
    ID_WEIGHTS,
    USCC_ALPHABET,
    USCC_WEIGHTS,
    birth_date_from_id_number,
    id_number_check_char,
    normalize_identifier,
    normalize_text,
    uscc_check_char,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

DIGITS = "0123456789"
VALID_ID = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"
# Leave a margin so "today" in Asia/Shanghai vs the machine's zone cannot make a date future.
LATEST_BIRTH = datetime.date.today() - datetime.timedelta(days=2)


def error_code(validator, value) -> str:
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value.code


def to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# --- Strategies ------------------------------------------------------------------------------


def digit_strings(size: int):
    return st.text(alphabet=DIGITS, min_size=size, max_size=size)


@st.composite
def id_numbers(draw) -> str:
    region = draw(digit_strings(6))
    born = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=LATEST_BIRTH))
    sequence = draw(digit_strings(3))
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    return first17 + id_number_check_char(first17)


@st.composite
def usccs(draw) -> str:
    first17 = draw(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
    return first17 + uscc_check_char(first17)


# --- Normalization ---------------------------------------------------------------------------


def test_normalize_text_converts_full_width_and_strips():
    assert normalize_text("\u3000ＡＢＣ　１２３！ ") == "ABC 123!"


def test_normalize_identifier_removes_spaces_and_dashes_and_uppercases():
    assert normalize_identifier(" 1101-0519 4912\t31002ｘ ") == VALID_ID


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E)))
def test_full_width_ascii_normalizes_to_ascii(text):
    assert normalize_text(to_full_width(text)) == text.strip()


# --- Resident ID number ----------------------------------------------------------------------


def test_weights_are_powers_of_two_mod_11():
    # Independent derivation of the GB 11643-1999 table, to catch a typo in the constants.
    assert tuple(pow(2, 17 - i, 11) for i in range(17)) == ID_WEIGHTS


def test_known_valid_id_number():
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167; 167 % 11 = 2 -> "X"
    assert id_number_check_char(VALID_ID[:17]) == "X"
    assert validate_id_number(VALID_ID) == VALID_ID


def test_lowercase_x_is_accepted_and_uppercased():
    assert validate_id_number(VALID_ID.lower()) == VALID_ID


def test_full_width_id_number_normalizes():
    assert validate_id_number(to_full_width(VALID_ID)) == VALID_ID


def test_birth_date_from_id_number():
    assert birth_date_from_id_number(VALID_ID) == datetime.date(1949, 12, 31)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "length"),
        ("11010519491231002", "length"),
        ("110105194912310", "length"),  # old 15-digit numbers are not accepted
        ("4.60106E+17", "length"),  # Excel's scientific notation
        ("4.60106199001E+17", "length"),
        ("4601061990010112.0", "chars"),
        ("X10105194912310021", "chars"),
        ("11010519491231002Y", "chars"),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "chars"),  # Arabic-Indic digits are digits to str.isdigit, not to us
        ("11010519491231002A", "chars"),
        ("110105194902300021", "birth_date"),  # 30 February
        ("110105189912310021", "birth_date"),  # before 1900
        ("110105194912310021", "check_char"),
    ],
)
def test_invalid_id_numbers(value, code):
    assert error_code(validate_id_number, value) == code


def test_future_birth_date_is_rejected():
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    first17 = f"110105{tomorrow:%Y%m%d}001"
    assert error_code(validate_id_number, first17 + id_number_check_char(first17)) == "birth_date"


def test_impossible_birth_date_with_right_check_char_is_rejected():
    first17 = "11010519491331001"  # month 13
    assert error_code(validate_id_number, first17 + id_number_check_char(first17)) == "birth_date"


@given(id_numbers())
def test_generated_id_numbers_validate(number):
    assert validate_id_number(number) == number
    assert validate_id_number(f" {number[:6]}-{number[6:14]} {number[14:]} ") == number


def test_single_digit_change_always_changes_the_id_checksum():
    # 11 is prime and every weight is non-zero mod 11, so weight * delta (delta 1..9) is never
    # 0 mod 11: a single substitution always moves the sum, and the check table is a bijection.
    assert all((weight * delta) % 11 for weight in ID_WEIGHTS for delta in range(1, 10))
    assert sorted(ID_CHECK_CHARS) == sorted("0123456789X")


@given(id_numbers(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_substitution_invalidates_an_id_number(number, position, data):
    allowed = DIGITS + "X" if position == 17 else DIGITS
    replacement = data.draw(st.sampled_from([c for c in allowed if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    # A changed birth date may fail as a date first; otherwise the checksum catches it.
    assert error_code(validate_id_number, changed) in {"birth_date", "check_char"}


# --- Unified social credit code --------------------------------------------------------------


def test_uscc_weights_are_powers_of_three_mod_31():
    assert tuple(pow(3, i, 31) for i in range(17)) == USCC_WEIGHTS
    assert len(USCC_ALPHABET) == 31
    assert not set(USCC_ALPHABET) & set("IOZSV")


def test_known_valid_uscc():
    # 9*1+1*3+3*9+5*27+0+1*26+0+0+21*20+0+0+0+1*8+0+0+30*30+4*28 = 1640; 1640 % 31 = 28; 31-28 = 3
    assert uscc_check_char(VALID_USCC[:17]) == "3"
    assert validate_uscc(VALID_USCC) == VALID_USCC


def test_uscc_is_normalized():
    assert validate_uscc(" 91350100m000100y43 ") == VALID_USCC
    assert validate_uscc(to_full_width(VALID_USCC)) == VALID_USCC


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "length"),
        ("91350100M000100Y4", "length"),
        ("9.13501E+17", "length"),
        ("91350100M000100I43", "chars"),  # I is not in the alphabet
        ("91350100M000100Y4O", "chars"),
        ("91350100M000100Y44", "check_char"),
    ],
)
def test_invalid_usccs(value, code):
    assert error_code(validate_uscc, value) == code


@given(usccs())
def test_generated_usccs_validate(code):
    assert validate_uscc(code) == code


def test_single_substitution_always_changes_the_uscc_checksum():
    # 31 is prime and no weight is 0 mod 31, so weight * delta (delta 1..30) is never 0 mod 31.
    assert all((weight * delta) % 31 for weight in USCC_WEIGHTS for delta in range(1, 31))


@given(usccs(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_substitution_invalidates_a_uscc(code, position, data):
    replacement = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    assert error_code(validate_uscc, changed) == "check_char"


# --- Mobile ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        " 138 1234 5678 ",
        "138-1234-5678",
        "+8613812345678",
        "+86 138 1234 5678",
        "86-138-1234-5678",
        "8613812345678",
        "１３８１２３４５６７８",
        "＋８６　１３８１２３４５６７８",
    ],
)
def test_valid_mobiles(value):
    assert validate_mobile(value) == "13812345678"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "138123456789",  # 12 digits
        "1381234567",  # 10 digits
        "12812345678",  # no 12x numbers
        "10812345678",
        "23812345678",
        "+85213812345678",
        "1.38123E+10",
        "138123456７a",
        "١٣٨١٢٣٤٥٦٧٨",
    ],
)
def test_invalid_mobiles(value):
    assert error_code(validate_mobile, value) == "invalid"


@given(st.sampled_from("3456789"), digit_strings(9))
def test_any_mainland_mobile_validates(second, rest):
    number = f"1{second}{rest}"
    assert validate_mobile(f"+86 {number[:3]} {number[3:7]} {number[7:]}") == number
    assert validate_mobile(to_full_width(number)) == number


def test_validators_work_as_field_validators():
    from django.db import models

    field = models.CharField(max_length=18, validators=[validate_uscc])
    field.run_validators(VALID_USCC)
    with pytest.raises(ValidationError):
        field.run_validators("91350100M000100Y44")
