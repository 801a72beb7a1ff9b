"""Validators for Chinese identifiers: resident ID numbers, unified social credit codes, mobiles.

Each ``validate_*`` function returns the normalized value (so services can store exactly what
was checked) and raises ``ValidationError`` with a ``code`` telling what is wrong. They also
work as Django field validators: Django ignores the return value.

Data often arrives from spreadsheets typed with a Chinese input method, so full-width
characters, stray spaces and dashes are cleaned up before checking.
"""

import datetime
import functools
import operator
import re
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Full-width ASCII (U+FF01..U+FF5E) sits at a fixed offset from ASCII; U+3000 is the ideographic space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

DIGITS = "0123456789"

# GB 11643-1999: weights are 2**(17-i) mod 11; the sum mod 11 indexes the check character.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

# GB 32100-2015: a 31-character alphabet (no I, O, Z, S, V); weights are 3**i mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# [0-9] rather than \d: \d would also accept Arabic-Indic and other Unicode digits.
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")


def normalize_text(value: str) -> str:
    """Full-width ASCII and spaces to half-width, then strip the ends."""
    return value.translate(_FULL_WIDTH).strip()


def normalize_identifier(value: str) -> str:
    """``normalize_text``, then drop all whitespace and dashes and uppercase (for codes and numbers)."""
    text = "".join(normalize_text(value).split())
    return text.replace("-", "").upper()


def _as_text(value) -> str:
    return "" if value is None else str(value)


# --- Resident ID number (GB 11643-1999) ---------------------------------------------------


_ID_RE = re.compile(r"[0-9]{17}[0-9X]")
_DIGITS17_RE = re.compile(r"[0-9]{17}")
_ID_WEIGHTS_X48 = 48 * sum(ID_WEIGHTS)


def id_number_check_char(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    if not _DIGITS17_RE.fullmatch(first17):
        raise ValueError("17 ASCII digits expected")
    # The weighted sum over the ASCII codes (digit + 48), with the 48s taken off afterwards:
    # this runs once per row of a 100,000-row import.
    total = sum(map(operator.mul, first17.encode("ascii"), ID_WEIGHTS)) - _ID_WEIGHTS_X48
    return ID_CHECK_CHARS[total % 11]


@functools.lru_cache(maxsize=1)
def _today_in_hour(_hour: int) -> datetime.date:
    # localdate() needs an aware "now", which only exists with USE_TZ.
    return timezone.localdate() if settings.USE_TZ else datetime.date.today()


def _today() -> datetime.date:
    # Looked up once an hour, not once per ID number: a stale "today" is only ever earlier, so
    # at worst a number born within the last hour is refused until the next lookup.
    return _today_in_hour(int(time.time()) // 3600)


def _parse_birth_date(number: str) -> datetime.date | None:
    """The birth date in digits 7-14 (YYYYMMDD), or None when it is not a plausible date."""
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if born.year < 1900 or born > _today():
        return None
    return born


def validate_id_number(value) -> str:
    """Check an 18-character resident ID number; return it normalized (uppercase X)."""
    # Well-formed ASCII (most rows of an import) needs no normalizing.
    clean = value.__class__ is str and _ID_RE.fullmatch(value)
    number = value if clean else normalize_identifier(_as_text(value))
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(length)d."),
            code="length",
            params={"length": len(number)},
        )
    if not clean and not _ID_RE.fullmatch(number):
        raise ValidationError(_("An ID number is 17 digits followed by a digit or X."), code="chars")
    if _parse_birth_date(number) is None:
        raise ValidationError(
            _("The birth date in this ID number (characters 7 to 14) is not a valid date."),
            code="birth_date",
        )
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("This ID number is not valid: its last character does not match. Please check for typos."),
            code="check_char",
        )
    return number


def birth_date_from_id_number(value) -> datetime.date:
    """The birth date encoded in a valid ID number (raises ValidationError if it is not valid)."""
    number = validate_id_number(value)
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from_id_number(value) -> str:
    """ "male" or "female" from a valid ID number: the 17th character is odd for men, even for
    women (GB 11643-1999). Raises ValidationError if the number is not valid."""
    number = validate_id_number(value)
    return "male" if int(number[16]) % 2 else "female"


# --- Unified social credit code (GB 32100-2015) -------------------------------------------


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a unified social credit code."""
    total = sum(USCC_ALPHABET.index(c) * weight for c, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value) -> str:
    """Check an 18-character unified social credit code; return it normalized (uppercase)."""
    code = normalize_identifier(_as_text(value))
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="length",
            params={"length": len(code)},
        )
    if any(c not in USCC_ALPHABET for c in code):
        raise ValidationError(
            _("A unified social credit code uses only digits and capital letters except I, O, S, V and Z."),
            code="chars",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "This unified social credit code is not valid: its last character does not match. "
                "Please check for typos."
            ),
            code="check_char",
        )
    return code


# --- Mainland mobile number ---------------------------------------------------------------


def validate_mobile(value) -> str:
    """Check a mainland mobile number (``+86``/``86`` prefix, spaces and dashes allowed); return 11 digits."""
    number = normalize_identifier(_as_text(value))
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("86") and len(number) == 13:
        number = number[2:]
    if not MOBILE_RE.fullmatch(number):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number starting with 13 to 19."),
            code="invalid",
        )
    return number
