"""Writing ledgers out: import templates, exports, error reports and CSV.

Every file written here carries the headers declared by a :class:`SheetSpec`, so that what is
exported (or sent back as an error report) can be edited and imported again.

Values are written by kind with XlsxWriter's typed methods (never ``write()``, which would turn a
string starting with ``=`` into a formula), and every string goes through :func:`neutralize`
because the files are also opened and re-saved as CSV by other programs (OWASP "CSV injection").
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from xlsxwriter import Workbook
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from .columns import Column, Kind, SheetSpec

__all__ = [
    "ERROR_COLUMN",
    "TEMPLATE_ROWS",
    "format_hint",
    "header_text",
    "neutralize",
    "write_csv",
    "write_error_report",
    "write_rows",
    "write_template",
]

ERROR_COLUMN = "错误说明"
TEMPLATE_ROWS = 10_000  # rows of a template given drop-downs
TEMPLATE_SUFFIX = "（导入模板）"
INSTRUCTIONS_SHEET = "说明"
CHOICES_SHEET = "选项"  # hidden; holds drop-down lists too long to write inline
YES, NO = "是", "否"

_DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
_LIST_LIMIT = 255  # Excel's limit on an inline data-validation list ("a,b,c"), in UTF-16 units
_TEXT_KINDS = (Kind.ID_NUMBER, Kind.MOBILE, Kind.USCC)
_MIN_WIDTH = {
    Kind.ID_NUMBER: 22,
    Kind.USCC: 22,
    Kind.MOBILE: 14,
    Kind.DATE: 12,
    Kind.INTEGER: 8,
    Kind.BOOLEAN: 8,
}
_MAX_WIDTH = 50
_ERROR_KEY = "\x00errors"  # the error report's extra value; cannot clash with a column key


def neutralize(value: Any) -> Any:
    """Defuse a string a spreadsheet program could read as a formula.

    A string starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (also after
    leading whitespace) gets a leading apostrophe. Anything that is not a string (numbers, negative
    ones too, dates, ``None``) is returned unchanged.
    """
    if isinstance(value, str) and value:
        if value[0] in _DANGEROUS_FIRST:
            return "'" + value
        stripped = value.lstrip()
        if stripped and stripped[0] in "=+-@":
            return "'" + value
    return value


def header_text(column: Column, *, mark_required: bool = False) -> str:
    """The header written for ``column``: its label, with ``*`` when required and marked."""
    return column.label + "*" if mark_required and column.required else column.label


_FORMAT_HINTS = {
    Kind.ID_NUMBER: "18位，末位可为X；请保持文本格式",
    Kind.MOBILE: "11位手机号；请保持文本格式",
    Kind.USCC: "18位统一社会信用代码；请保持文本格式",
    Kind.DATE: "格式 2024-03-05",
    Kind.INTEGER: "整数",
    Kind.DECIMAL: "数字",
    Kind.CHOICE: "从下拉列表中选择",
    Kind.BOOLEAN: "填写“是”或“否”",
}


def format_hint(column: Column) -> str:
    """What a cell of ``column`` must look like, in words (for comments and the 说明 sheet)."""
    if column.kind in _FORMAT_HINTS:
        return _FORMAT_HINTS[column.kind]
    if column.max_length:
        return f"文本，不超过{column.max_length}个字"
    return "文本"


# --------------------------------------------------------------------------- helpers


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_width(column: Column, header: str) -> int:
    width = max(_display_width(header) + 2, _MIN_WIDTH.get(column.kind, 10))
    if column.kind == Kind.CHOICE and column.choices:
        width = max(width, max(_display_width(label) for _, label in column.labelled_choices()) + 4)
    return min(width, _MAX_WIDTH)


def _sheet_title(name: str) -> str:
    """A valid worksheet name: no ``[]:*?/\\``, at most 31 characters, not a reserved one."""
    title = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "Sheet1"
    title = title[:31]
    if title in (INSTRUCTIONS_SHEET, CHOICES_SHEET):
        title += "数据"
    return title


def _choice_labels(column: Column) -> list[str]:
    return [label for _, label in column.labelled_choices()]


def _fits_inline(labels: list[str]) -> bool:
    """Whether a drop-down list can be written inline: Excel allows 255 characters, no commas."""
    if any("," in label or '"' in label for label in labels):
        return False
    joined = ",".join(labels)
    return len(joined.encode("utf-16-le", "surrogatepass")) // 2 <= _LIST_LIMIT


def _local_naive(value: datetime) -> datetime:
    if timezone.is_aware(value):
        value = timezone.make_naive(value)
    return value


def _code_text(value: Any) -> str:
    """An ID number, mobile or USCC as text, also when it was handed over as a number."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


CellWriter = Callable[[int, int, Any], object]


class _Formats:
    def __init__(self, workbook: Workbook):
        self.title = workbook.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        )
        header = {"bold": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#F2F2F2"}
        self.header = workbook.add_format(header)
        self.header_required = workbook.add_format({**header, "font_color": "#C00000"})
        self.text = workbook.add_format({"num_format": 49})  # Excel's built-in "@" (Text)
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.error = workbook.add_format({"font_color": "#C00000", "text_wrap": True})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    def for_header(self, column: Column, mark_required: bool) -> Any:
        return self.header_required if mark_required and column.required else self.header

    def for_column(self, column: Column) -> Any:
        if column.kind in _TEXT_KINDS:
            return self.text
        if column.kind == Kind.DATE:
            return self.date
        return None


def _cell_writer(ws: Worksheet, column: Column, formats: _Formats) -> CellWriter:
    """A function writing one value of ``column``, picked once per column (not per cell)."""
    # XlsxWriter's undecorated methods: the public ones only add A1-notation parsing, which costs
    # ~5% of an export's time with numeric row/column arguments. Fall back if they ever go away.
    write_string = getattr(ws, "_write_string", ws.write_string)
    write_number = getattr(ws, "_write_number", ws.write_number)
    write_datetime = getattr(ws, "_write_datetime", ws.write_datetime)
    date_fmt, datetime_fmt, text_fmt = formats.date, formats.datetime, formats.text

    def write_any(row: int, col: int, value: Any) -> object:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return write_string(row, col, neutralize(value))
        if isinstance(value, bool):
            return write_string(row, col, YES if value else NO)
        if isinstance(value, int | float):
            return write_number(row, col, value)
        if isinstance(value, Decimal):
            return write_number(row, col, float(value))
        if isinstance(value, datetime):
            return write_datetime(row, col, _local_naive(value), datetime_fmt)
        if isinstance(value, date):
            return write_datetime(row, col, value, date_fmt)
        return write_string(row, col, neutralize(str(value)))

    kind = column.kind
    if kind in _TEXT_KINDS:

        def write_code(row: int, col: int, value: Any) -> object:
            if value is None or value == "":
                return None
            return write_string(row, col, neutralize(_code_text(value)), text_fmt)

        return write_code

    if kind == Kind.DATE:

        def write_date(row: int, col: int, value: Any) -> object:
            if isinstance(value, datetime):
                return write_datetime(row, col, _local_naive(value).date(), date_fmt)
            if isinstance(value, date):
                return write_datetime(row, col, value, date_fmt)
            return write_any(row, col, value)

        return write_date

    if kind == Kind.CHOICE:
        labels = dict(column.labelled_choices())

        def write_choice(row: int, col: int, value: Any) -> object:
            try:
                label = labels.get(value)
            except TypeError:  # unhashable
                label = None
            if label is not None:
                return write_string(row, col, neutralize(label))
            return write_any(row, col, value)

        return write_choice

    if kind == Kind.BOOLEAN:

        def write_bool(row: int, col: int, value: Any) -> object:
            if value is True:
                return write_string(row, col, YES)
            if value is False:
                return write_string(row, col, NO)
            return write_any(row, col, value)

        return write_bool

    if kind in (Kind.INTEGER, Kind.DECIMAL):

        def write_integer(row: int, col: int, value: Any) -> object:
            if value.__class__ in (int, Decimal):
                return write_number(row, col, value)
            return write_any(row, col, value)

        return write_integer

    def write_text(row: int, col: int, value: Any) -> object:
        if value.__class__ is str:
            if value:
                return write_string(row, col, neutralize(value))
            return None
        return write_any(row, col, value)

    return write_text


def _write_title(ws: Worksheet, row: int, last_col: int, text: str, fmt: Any) -> None:
    ws.set_row(row, 28)
    if last_col > 0:
        ws.merge_range(row, 0, row, last_col, text, fmt)
    else:
        ws.write_string(row, 0, text, fmt)


def _workbook(buffer: io.BytesIO, *, constant_memory: bool = False) -> Workbook:
    options: dict[str, Any] = {
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    if constant_memory:
        options["constant_memory"] = True  # rows go to a temporary file as they are written
    else:
        options["in_memory"] = True
    return Workbook(buffer, options)


# --------------------------------------------------------------------------- template


def write_template(spec: SheetSpec) -> bytes:
    """An import template for ``spec`` (.xlsx bytes).

    Sheet 1: a merged title row, then the header row (required columns red with ``*``, each header
    commented with its note and the format expected), drop-downs for choice and yes/no columns,
    text format for ID numbers, mobiles and credit codes, date format for dates, frozen panes.
    Sheet 2 "说明": one row per column: whether required, format, allowed values, note.
    Drop-down lists too long for Excel's inline limit live in a hidden sheet "选项".
    """
    buffer = io.BytesIO()
    workbook = _workbook(buffer)
    formats = _Formats(workbook)
    columns = spec.columns
    last_col = max(len(columns) - 1, 0)

    ws = workbook.add_worksheet(_sheet_title(spec.name))
    notes_ws = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    ranged = [
        c for c in columns if c.kind == Kind.CHOICE and c.choices and not _fits_inline(_choice_labels(c))
    ]
    choices_ws = workbook.add_worksheet(CHOICES_SHEET) if ranged else None
    if choices_ws is not None:
        choices_ws.hide()

    title_row, header_row = 0, 1
    first_data, last_data = header_row + 1, header_row + TEMPLATE_ROWS
    _write_title(ws, title_row, last_col, spec.name + TEMPLATE_SUFFIX, formats.title)
    ws.set_row(header_row, 22)

    ranged_index = 0
    for col, column in enumerate(columns):
        header = header_text(column, mark_required=True)
        ws.set_column(col, col, _column_width(column, header), formats.for_column(column))
        ws.write_string(header_row, col, header, formats.for_header(column, True))
        hint = format_hint(column)
        if column.kind == Kind.CHOICE and len("、".join(_choice_labels(column))) <= 200:
            hint += "：" + "、".join(_choice_labels(column))
        comment = "\n".join(
            part for part in ("必填" if column.required else "选填", column.note, hint) if part
        )
        ws.write_comment(header_row, col, comment, {"x_scale": 1.6, "y_scale": 1.3, "author": ""})

        validation: dict[str, Any] | None = None
        if column.kind == Kind.CHOICE and column.choices:
            labels = _choice_labels(column)
            if column in ranged and choices_ws is not None:
                letter = xl_col_to_name(ranged_index)
                for i, label in enumerate(labels):
                    choices_ws.write_string(i, ranged_index, label)
                name = f"Choices_{ranged_index + 1}"
                workbook.define_name(name, f"='{CHOICES_SHEET}'!${letter}$1:${letter}${len(labels)}")
                source: Any = f"={name}"
                ranged_index += 1
            else:
                source = labels
            message = "请从下拉列表中选择：" + "、".join(labels)
            if len(message) > 250:
                message = "请从下拉列表中选择"
            validation = {"validate": "list", "source": source, "error_message": message}
        elif column.kind == Kind.BOOLEAN:
            validation = {"validate": "list", "source": [YES, NO], "error_message": "请填写“是”或“否”"}
        if validation is not None:
            validation["error_title"] = column.label
            ws.data_validation(first_data, col, last_data, col, validation)

    ws.freeze_panes(first_data, 0)
    ws.activate()

    _write_instructions(notes_ws, spec, formats)
    workbook.close()
    return buffer.getvalue()


def _write_instructions(ws: Worksheet, spec: SheetSpec, formats: _Formats) -> None:
    general = [
        f"{spec.name}导入说明",
        "1. 带 * 的列为必填项，表头请勿修改、删除或调换名称；",
        "2. 身份证号码、手机号码、统一社会信用代码请保持文本格式，勿转换为数字；",
        "3. 日期请按 2024-03-05 格式填写；下拉列请从列表中选择；",
        "4. 每行填写一条记录，请勿合并单元格。",
    ]
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 36)
    ws.set_column(3, 3, 40)
    ws.set_column(4, 4, 40)
    ws.write_string(0, 0, general[0], formats.title)
    for i, line in enumerate(general[1:], start=1):
        ws.write_string(i, 0, line)
    header_row = len(general) + 1
    for col, text in enumerate(("列名", "是否必填", "格式要求", "可选值", "说明")):
        ws.write_string(header_row, col, text, formats.header)
    for row, column in enumerate(spec.columns, start=header_row + 1):
        allowed = ""
        if column.kind == Kind.CHOICE:
            allowed = "、".join(_choice_labels(column))
        elif column.kind == Kind.BOOLEAN:
            allowed = f"{YES}、{NO}"
        ws.write_string(row, 0, column.label)
        ws.write_string(row, 1, "必填" if column.required else "选填")
        ws.write_string(row, 2, format_hint(column), formats.wrap)
        if allowed:
            ws.write_string(row, 3, allowed, formats.wrap)
        if column.note:
            ws.write_string(row, 4, neutralize(column.note), formats.wrap)


# --------------------------------------------------------------------------- exports


def _write_table(
    spec: SheetSpec,
    rows: Iterable[Mapping[str, Any]],
    *,
    title: str | None,
    extra_column: str | None,
    extra_key: str | None,
    mark_required: bool,
) -> bytes:
    buffer = io.BytesIO()
    workbook = _workbook(buffer, constant_memory=True)
    formats = _Formats(workbook)
    columns = spec.columns
    ws = workbook.add_worksheet(_sheet_title(spec.name))
    n = len(columns) + (1 if extra_column else 0)

    row = 0
    if title:
        _write_title(ws, row, max(n - 1, 0), title, formats.title)
        row += 1
    header_row = row
    for col, column in enumerate(columns):
        header = header_text(column, mark_required=mark_required)
        ws.set_column(col, col, _column_width(column, header), formats.for_column(column))
        ws.write_string(header_row, col, header, formats.for_header(column, mark_required))
    if extra_column:
        ws.set_column(len(columns), len(columns), 40, formats.error)
        ws.write_string(header_row, len(columns), extra_column, formats.header_required)
    ws.freeze_panes(header_row + 1, 0)

    plan = [(col, column.key, _cell_writer(ws, column, formats)) for col, column in enumerate(columns)]
    extra_col, key = len(columns), (extra_key or extra_column)
    write_string = getattr(ws, "_write_string", ws.write_string)
    error_fmt = formats.error

    for row, record in enumerate(rows, start=header_row + 1):
        get = record.get
        for col, column_key, write in plan:
            value = get(column_key)
            if value is not None:
                write(row, col, value)
        if extra_column:
            extra = get(key)
            if extra is not None and extra != "":
                write_string(row, extra_col, neutralize(str(extra)), error_fmt)

    workbook.close()
    return buffer.getvalue()


def write_rows(
    spec: SheetSpec,
    rows: Iterable[Mapping[str, Any]],
    *,
    title: str | None = None,
    extra_column: str | None = None,
    extra_key: str | None = None,
) -> bytes:
    """An export of ``rows`` (dicts keyed by column key) as .xlsx bytes.

    The header row carries the columns' labels, so the file can be edited and imported again; with
    ``title`` a merged title row comes first. Values are written by kind: dates as real dates
    (yyyy-mm-dd), integers as numbers, ID numbers, mobiles and credit codes always as text, choices
    as the label of the stored value, booleans as 是/否; every string goes through
    :func:`neutralize`. ``extra_column`` adds a trailing column with the header given, filled
    from ``row[extra_key]`` (``extra_key`` defaults to ``extra_column``).

    Written in XlsxWriter's constant-memory mode: rows stream to a temporary file, so a large
    export holds only one row in memory (``rows`` may be a generator / ``QuerySet.iterator()``).
    """
    return _write_table(
        spec, rows, title=title, extra_column=extra_column, extra_key=extra_key, mark_required=False
    )


def write_error_report(spec: SheetSpec, rejected: Iterable[tuple[Mapping[str, Any], list[str]]]) -> bytes:
    """The rejected rows of an import, as read, plus a trailing "错误说明" column (.xlsx bytes).

    ``rejected`` holds ``(row, messages)`` pairs, ``row`` keyed by column key (values as read,
    usually text; a row keyed by column label is accepted too). The header row is the template's
    (required columns marked ``*``), so the user can fix the rows and upload the file again.
    """

    def records() -> Iterable[dict[str, Any]]:
        for row, messages in rejected:
            record = {c.key: row.get(c.key, row.get(c.label)) for c in spec.columns}
            record[_ERROR_KEY] = "；".join(m for m in messages if m)
            yield record

    return _write_table(
        spec, records(), title=None, extra_column=ERROR_COLUMN, extra_key=_ERROR_KEY, mark_required=True
    )


# --------------------------------------------------------------------------- CSV


def _csv_converter(column: Column) -> Callable[[Any], str]:
    labels = dict(column.labelled_choices())

    def convert(value: Any) -> str:
        if value is None:
            return ""
        if column.kind in _TEXT_KINDS:
            return neutralize(_code_text(value))
        if column.kind == Kind.CHOICE:
            try:
                label = labels.get(value)
            except TypeError:
                label = None
            if label is not None:
                return neutralize(label)
        if isinstance(value, bool):
            return YES if value else NO
        if isinstance(value, datetime):
            value = _local_naive(value)
            return value.date().isoformat() if column.kind == Kind.DATE else value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, int | float | Decimal):
            return str(value)
        return neutralize(str(value))

    return convert


def write_csv(spec: SheetSpec, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """``rows`` as CSV bytes: UTF-8 with a BOM (so Excel on Chinese Windows reads it right), CRLF
    line ends, the columns' labels as header, values as in :func:`write_rows`, strings neutralized.

    CSV carries no types: Excel will still show an 18-digit ID number opened from CSV as a number;
    prefer the .xlsx export for editing.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.label for c in spec.columns])
    plan = [(c.key, _csv_converter(c)) for c in spec.columns]
    for record in rows:
        get = record.get
        writer.writerow([convert(get(key)) for key, convert in plan])
    return out.getvalue().encode("utf-8")
