"""Turning one spreadsheet cell into a Python value, per ``Column.kind``.

Cells arrive as whatever the file held: ``str`` (always, for CSV), ``float`` (spreadsheets store
every number as a float, so 12 arrives as 12.0), ``bool``, ``datetime.date``/``datetime.datetime``
for cells formatted as dates, or ``datetime.time``/``timedelta`` for times and durations. Formula
cells arrive as the value last computed by the spreadsheet program; nothing here ever evaluates a
formula, and a CSV cell that starts with "=" is plain text.

``converter_for(column)`` builds, once per column, a function taking a non-blank cell and
returning its value, or raising ``ValidationError`` with a Chinese message saying what is wrong
and what is expected (and a ``code``). Blank cells and required-column checks are the reader's job.
"""

import datetime
import functools
import math
import re
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError

from dangjian.core.validators import (
    normalize_identifier,
    normalize_text,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

from .columns import Column, Kind

Converter = Callable[[object], object]

REQUIRED_EMPTY = "必填项为空"
LOST_DIGITS = "身份证号码已被表格软件转为数字，后几位已丢失，请将该列设为文本格式后重新填写"
USCC_LOST_DIGITS = "统一社会信用代码已被表格软件转为数字，后几位已丢失，请将该列设为文本格式后重新填写"

# A float holds every integer up to 2**53 exactly; an 18-digit number stored as a float has lost digits.
_EXACT_FLOAT_LIMIT = 2**53
# "4.60106E+17", "4.60106199001011E+17": how a spreadsheet shows a long number, copied as text.
_SCIENTIFIC_RE = re.compile(r"[0-9](?:\.[0-9]*)?E\+?[0-9]+")

# Characters normalize_text changes (full-width ASCII, the ideographic space): most cells have none,
# and a regex search for them is much cheaper than str.translate.
_FULL_WIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")


def fast_normalize_text(value: str) -> str:
    """``normalize_text``, skipping the translation when there is nothing to translate."""
    if _FULL_WIDTH_RE.search(value) is None:
        return value.strip()
    return normalize_text(value)


# --- headers ------------------------------------------------------------------------------------

_REQUIRED_MARKERS = ("(必填)", "必填", "*")
_TRAILING_NOTE_RE = re.compile(r"\([^()]*\)$")


def normalize_header(value: object) -> str:
    """A header cell reduced for matching: no whitespace at all, half-width, no required markers,
    case-folded. ``"身份证号码\\n（必填）"`` and ``" *身份证号码 "`` both give ``"身份证号码"``."""
    text = "".join(normalize_text(cell_text(value)).split())
    changed = True
    while changed:
        changed = False
        for marker in _REQUIRED_MARKERS:
            if text.endswith(marker) and len(text) > len(marker):
                text = text[: -len(marker)]
                changed = True
    text = text.lstrip("*")
    return text.casefold()


def strip_trailing_note(normalized: str) -> str:
    """``"入职日期(格式:2024-03-05)"`` -> ``"入职日期"``: a hint in brackets after the header name."""
    return _TRAILING_NOTE_RE.sub("", normalized)


# --- cell text ----------------------------------------------------------------------------------


def _number_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def cell_text(value: object) -> str:
    """A cell as the text a person sees: 12.0 -> "12", TRUE -> "TRUE", dates in ISO form."""
    if value is None:
        return ""
    cls = value.__class__
    if cls is str:
        return value  # type: ignore[return-value]
    if cls is bool:
        return "TRUE" if value else "FALSE"
    if cls is float:
        return _number_text(value)  # type: ignore[arg-type]
    if cls is int:
        return str(value)
    if cls is datetime.datetime:
        if value.time() == datetime.time(0):  # type: ignore[attr-defined]
            return value.date().isoformat()  # type: ignore[attr-defined]
        return value.isoformat(sep=" ")  # type: ignore[attr-defined]
    if cls in (datetime.date, datetime.time):
        return value.isoformat()  # type: ignore[attr-defined]
    return str(value)


def is_blank(value: object) -> bool:
    return value is None or value == "" or (value.__class__ is str and not value.strip())  # type: ignore[attr-defined]


def _shown(value: object, limit: int = 30) -> str:
    text = cell_text(value).strip()
    return text if len(text) <= limit else text[:limit] + "…"


# --- TEXT ---------------------------------------------------------------------------------------


def make_text_converter(max_length: int | None) -> Converter:
    def convert(value: object) -> str:
        # Free text is kept as typed (Chinese punctuation such as ；（） is content, not noise),
        # only trimmed; full-width forms are normalized in codes, numbers and dates only.
        text = value.strip() if value.__class__ is str else cell_text(value)  # type: ignore[attr-defined]
        if max_length is not None and len(text) > max_length:
            raise ValidationError(
                f"内容过长：最多 {max_length} 个字，当前 {len(text)} 个字",
                code="max_length",
            )
        return text

    return convert


# --- ID number ----------------------------------------------------------------------------------

_ID_MESSAGES = {
    "length": "身份证号码长度应为18位，当前为{length}位",
    "chars": "身份证号码含有非法字符：应为17位数字加最后1位数字或X",
    "birth_date": "身份证号码中的出生日期（第7至14位）无效",
    "check_char": "身份证号码校验位不正确（最后一位与前17位不符），请检查是否输错",
}


def _id_error(error: ValidationError, text: str) -> ValidationError:
    code = error.code or "invalid"
    template = _ID_MESSAGES.get(code, "身份证号码无效")
    return ValidationError(template.format(length=len(normalize_identifier(text))), code=f"id_number_{code}")


_WELL_FORMED_ID_RE = re.compile(r"[0-9]{17}[0-9X]")


def parse_id_number(value: object) -> str:
    """A resident ID number, normalized (full-width digits, spaces, lowercase x all accepted).

    A number the spreadsheet program turned into a float has lost its last digits (a float keeps
    about 15 of them), and so has text like "4.60106E+17": both get a message saying so, since
    the digits cannot be recovered and must be typed again into a cell formatted as text.
    """
    cls = value.__class__
    if cls is bool:
        raise ValidationError(_ID_MESSAGES["chars"], code="id_number_chars")
    if cls is float:
        number: float = value  # type: ignore[assignment]
        if abs(number) >= _EXACT_FLOAT_LIMIT:
            raise ValidationError(LOST_DIGITS, code="id_number_lost_digits")
        text = _number_text(number)
    elif cls is int:
        text = str(value)
        try:
            return validate_id_number(text)
        except ValidationError as error:
            if len(text) > 15:
                raise ValidationError(LOST_DIGITS, code="id_number_lost_digits") from None
            raise _id_error(error, text) from None
    elif cls is str and _WELL_FORMED_ID_RE.fullmatch(value):  # type: ignore[arg-type]
        text = value  # type: ignore[assignment]  # most rows: nothing to normalize
    else:
        text = cell_text(value).strip().lstrip("'")  # a leading ' is how people force a text cell in Excel
        if _SCIENTIFIC_RE.fullmatch(normalize_identifier(text)):
            raise ValidationError(LOST_DIGITS, code="id_number_lost_digits")
    try:
        return validate_id_number(text)
    except ValidationError as error:
        raise _id_error(error, text) from None


# --- mobile -------------------------------------------------------------------------------------


_MOBILE_FAST_RE = re.compile(r"1[3-9][0-9]{9}")


def parse_mobile(value: object) -> str:
    """An 11-digit mainland mobile number; 13812345678.0 from a number cell is fine."""
    text = cell_text(value)
    if _MOBILE_FAST_RE.fullmatch(text) is not None:
        return text
    try:
        return validate_mobile(text)
    except ValidationError:
        raise ValidationError(
            f"手机号码“{_shown(value)}”格式不正确：应为11位数字，以13至19开头",
            code="mobile_invalid",
        ) from None


# --- USCC ---------------------------------------------------------------------------------------

_USCC_MESSAGES = {
    "length": "统一社会信用代码长度应为18位，当前为{length}位",
    "chars": "统一社会信用代码含有非法字符：只能是数字和大写字母（不含 I、O、S、V、Z）",
    "check_char": "统一社会信用代码校验位不正确（最后一位与前17位不符），请检查是否输错",
}


def parse_uscc(value: object) -> str:
    """A unified social credit code, normalized to uppercase."""
    cls = value.__class__
    if cls is float and abs(value) >= _EXACT_FLOAT_LIMIT:  # type: ignore[arg-type]
        raise ValidationError(USCC_LOST_DIGITS, code="uscc_lost_digits")
    return _parse_uscc_text(cell_text(value))


# Many rows of a ledger name the same employer: remember the codes already checked.
@functools.lru_cache(maxsize=4096)
def _parse_uscc_text(text: str) -> str:
    if _SCIENTIFIC_RE.fullmatch(normalize_identifier(text)):
        raise ValidationError(USCC_LOST_DIGITS, code="uscc_lost_digits")
    try:
        return validate_uscc(text)
    except ValidationError as error:
        code = error.code or "invalid"
        template = _USCC_MESSAGES.get(code, "统一社会信用代码无效")
        raise ValidationError(
            template.format(length=len(normalize_identifier(text))), code=f"uscc_{code}"
        ) from None


# --- DATE ---------------------------------------------------------------------------------------

_TIME = r"(?:[\sT]+[0-9]{1,2}:[0-9]{1,2}(?::[0-9]{1,2}(?:\.[0-9]+)?)?)?"
_DATE_RES = (
    # 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日 (or 号), with an optional time after it
    re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*[日号]?" + _TIME),
    # 20240305
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})" + _TIME),
)
# Excel's 1900 date system: serial 1 is 1900-01-01, and serial 60 is 1900-02-29, a day that never
# was (kept for Lotus 1-2-3 compatibility), so from serial 61 on day 0 is 1899-12-30.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31


def _date_unrecognized(value: object) -> ValidationError:
    return ValidationError(
        f"日期无法识别：“{_shown(value)}”，请使用 2024-03-05 格式",
        code="date_invalid",
    )


def _make_date(value: object, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            f"日期不存在：“{_shown(value)}”，请检查年月日，格式如 2024-03-05",
            code="date_nonexistent",
        ) from None


def date_from_excel_serial(serial: float) -> datetime.date:
    """The date of an Excel serial number (1900 date system); any time of day is dropped."""
    days = int(serial)
    if days < 1 or days > _EXCEL_MAX_SERIAL or days == 60:
        raise ValueError(serial)
    if days < 60:
        return datetime.date(1899, 12, 31) + datetime.timedelta(days=days)
    return _EXCEL_EPOCH + datetime.timedelta(days=days)


def parse_date(value: object) -> datetime.date:
    """A date from a date cell, an Excel serial number, or text such as "2024年3月5日"."""
    cls = value.__class__
    if cls is datetime.date:
        return value  # type: ignore[return-value]
    if cls is datetime.datetime:
        return value.date()  # type: ignore[attr-defined]
    if cls is float or cls is int:
        number: float = value  # type: ignore[assignment]
        if not math.isfinite(number):
            raise _date_unrecognized(value)
        if number == int(number) and 10000101 <= number <= 99991231:
            # 20240305 typed into a number cell
            digits = str(int(number))
            return _make_date(value, int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        try:
            return date_from_excel_serial(number)
        except (ValueError, OverflowError):
            raise _date_unrecognized(value) from None
    if cls is not str:
        raise _date_unrecognized(value)
    return _parse_date_text(value)  # type: ignore[arg-type]


# Dates repeat a lot down a ledger (everyone who joined on the same day).
@functools.lru_cache(maxsize=4096)
def _parse_date_text(value: str) -> datetime.date:
    text = fast_normalize_text(value)
    for pattern in _DATE_RES:
        match = pattern.fullmatch(text)
        if match:
            return _make_date(value, int(match[1]), int(match[2]), int(match[3]))
    raise _date_unrecognized(value)


# --- INTEGER ------------------------------------------------------------------------------------

_INTEGER_RE = re.compile(r"[+-]?[0-9]+(?:\.0*)?")


def parse_integer(value: object) -> int:
    cls = value.__class__
    if cls is int:
        return value  # type: ignore[return-value]
    if cls is float and value.is_integer():  # type: ignore[attr-defined]
        return int(value)  # type: ignore[arg-type]
    if cls is str:
        text = normalize_text(value).replace(",", "").replace(" ", "")  # type: ignore[arg-type]
        if _INTEGER_RE.fullmatch(text):
            return int(text.split(".")[0])
    raise ValidationError(f"应为整数：“{_shown(value)}”", code="integer_invalid")


_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def parse_decimal(value: object) -> Decimal:
    """A number as written (a float cell via its shortest repr, so 110.312 stays 110.312);
    "30%" means 30, as in a share column."""
    if value.__class__ in (int, float) and math.isfinite(value):  # type: ignore[arg-type]
        return Decimal(repr(value))
    if value.__class__ is str:
        text = normalize_text(value).replace(",", "").replace(" ", "").removesuffix("%")  # type: ignore[arg-type]
        if _DECIMAL_RE.fullmatch(text):
            return Decimal(text)
    raise ValidationError(f"应为数字：“{_shown(value)}”", code="decimal_invalid")


# --- CHOICE -------------------------------------------------------------------------------------


def make_choice_converter(
    choices: tuple[tuple[str, str], ...], aliases: tuple[tuple[str, str], ...] = ()
) -> Converter:
    """``aliases`` are other words sheets use for a choice, as (value, word): accepted, not listed."""
    lookup: dict[str, str] = {}
    for value, label in (*choices, *aliases):
        lookup.setdefault(normalize_header(label), value)
    for value, _label in choices:
        lookup.setdefault(normalize_header(value), value)
    allowed = "、".join(label for _value, label in choices)
    exact: dict[str, str] = {}
    for value, label in (*choices, *aliases):
        exact.setdefault(label, value)
    for value, _label in choices:
        exact.setdefault(value, value)

    def convert(value: object) -> str:
        found = exact.get(value) if value.__class__ is str else None  # type: ignore[call-overload]
        if found is not None:
            return found
        found = lookup.get(normalize_header(value))
        if found is None:
            raise ValidationError(f"“{_shown(value)}”不是可选项，可选：{allowed}", code="choice_invalid")
        return found

    return convert


# --- BOOLEAN ------------------------------------------------------------------------------------

_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "对"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "✗", "✘", "不是"})


_EXACT_BOOLEANS = {"是": True, "否": False}


def parse_boolean(value: object) -> bool:
    cls = value.__class__
    if cls is bool:
        return value  # type: ignore[return-value]
    if cls is str and value in _EXACT_BOOLEANS:
        return _EXACT_BOOLEANS[value]  # type: ignore[index]
    if (cls is float or cls is int) and value in (0, 1):
        return bool(value)
    if cls is str:
        text = normalize_header(value)
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValidationError(f"应填写“是”或“否”：“{_shown(value)}”", code="boolean_invalid")


# --- per column ---------------------------------------------------------------------------------


def converter_for(column: Column) -> Converter:
    """The function converting a non-blank cell of ``column``; build it once, call it per row."""
    kind = column.kind
    if kind == Kind.TEXT:
        return make_text_converter(column.max_length)
    if kind == Kind.ID_NUMBER:
        return parse_id_number
    if kind == Kind.MOBILE:
        return parse_mobile
    if kind == Kind.USCC:
        return parse_uscc
    if kind == Kind.DATE:
        return parse_date
    if kind == Kind.INTEGER:
        return parse_integer
    if kind == Kind.DECIMAL:
        return parse_decimal
    if kind == Kind.CHOICE:
        return make_choice_converter(column.labelled_choices(), column.choice_aliases)
    if kind == Kind.BOOLEAN:
        return parse_boolean
    raise ValueError(f"no converter for column kind {kind!r}")
