"""Messy spreadsheets built in memory, the way real government ledgers look.

Each builder returns the file's bytes. Workbook builders take rows as lists of cells starting
at column A; a cell may be a plain value (written with XlsxWriter's type detection, so numbers
become number cells) or one of the wrappers below to control how it is stored.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

import xlsxwriter

TITLE = "龙华区新就业群体入职登记表"
NOTE = "填表说明：带*号的为必填项，身份证号码请设置为文本格式"


@dataclass(frozen=True)
class Text:
    """A string cell, even if it looks like a number."""

    value: str


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Formula:
    formula: str
    cached: object  # the value the spreadsheet program computed and saved


@dataclass(frozen=True)
class DateCell:
    value: datetime.date


@dataclass(frozen=True)
class Merge:
    """A merged range starting here, ``across`` columns wide and ``down`` rows high."""

    value: object
    across: int = 1
    down: int = 1


def xlsx(rows: list[list[object]], *, sheet_name: str = "Sheet1", sheets_before: int = 0) -> bytes:
    """An .xlsx file with ``rows`` on one sheet (after ``sheets_before`` unrelated sheets)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for number in range(sheets_before):
        other = workbook.add_worksheet(f"说明{number + 1}")
        other.write(0, 0, "本工作簿第一张表是说明，不是数据")
        other.write(1, 0, "联系人")
    sheet = workbook.add_worksheet(sheet_name)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            _write_xlsx_cell(workbook, sheet, date_format, r, c, cell)
    workbook.close()
    return buffer.getvalue()


def _write_xlsx_cell(workbook, sheet, date_format, r: int, c: int, cell: object) -> None:
    if cell is None or cell == "":
        return
    if isinstance(cell, Merge):
        last_row, last_col = r + cell.down - 1, c + cell.across - 1
        if (last_row, last_col) == (r, c):
            _write_xlsx_cell(workbook, sheet, date_format, r, c, cell.value)
        else:
            sheet.merge_range(r, c, last_row, last_col, cell.value)
    elif isinstance(cell, Text):
        sheet.write_string(r, c, cell.value)
    elif isinstance(cell, Number):
        sheet.write_number(r, c, cell.value)
    elif isinstance(cell, Formula):
        sheet.write_formula(r, c, cell.formula, None, cell.cached)
    elif isinstance(cell, DateCell):
        sheet.write_datetime(r, c, cell.value, date_format)
    else:
        sheet.write(r, c, cell)


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    import csv

    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


# --- a minimal OpenDocument spreadsheet, written by hand -----------------------------------------

_ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="{name}">{rows}</table:table>\
</office:spreadsheet></office:body></office:document-content>"""

_ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" \
manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def _ods_cell(cell: object) -> str:
    if cell is None or cell == "":
        return "<table:table-cell/>"
    if isinstance(cell, DateCell):
        iso = cell.value.isoformat()
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{iso}"><text:p>{iso}</text:p>'
            "</table:table-cell>"
        )
    if isinstance(cell, Number | int | float) and not isinstance(cell, bool):
        number = cell.value if isinstance(cell, Number) else cell
        return (
            f'<table:table-cell office:value-type="float" office:value="{number!r}"><text:p>{number}</text:p>'
            "</table:table-cell>"
        )
    text = cell.value if isinstance(cell, Text) else str(cell)
    return f'<table:table-cell office:value-type="string"><text:p>{escape(text)}</text:p></table:table-cell>'


def ods(rows: list[list[object]], *, sheet_name: str = "Sheet1") -> bytes:
    """An .ods file: just mimetype, content.xml and the manifest, which is all a reader needs."""
    body = "".join(
        "<table:table-row>" + "".join(_ods_cell(c) for c in row) + "</table:table-row>" for row in rows
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(
            "content.xml",
            _ODS_CONTENT.format(name=escape(sheet_name), rows=body),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


def xls(rows: list[list[object]], *, sheet_name: str = "Sheet1") -> bytes:
    """A legacy .xls file; needs xlwt (callers skip when it is not installed)."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet(sheet_name)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is None or cell == "":
                continue
            if isinstance(cell, DateCell):
                sheet.write(r, c, cell.value, date_style)
            elif isinstance(cell, Text | Number):
                sheet.write(r, c, cell.value)
            else:
                sheet.write(r, c, cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def big_xlsx(rows: int, columns: list[str], make_row) -> bytes:
    """A large .xlsx written row by row in XlsxWriter's constant-memory mode (for timing)."""
    buffer = io.BytesIO()
    # No "in_memory" here: it would override constant_memory, which streams rows via temp files.
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = workbook.add_worksheet("入职登记")
    sheet.write(0, 0, TITLE)
    sheet.write_row(1, 0, columns)
    for r in range(rows):
        sheet.write_row(r + 2, 0, make_row(r))
    workbook.close()
    return buffer.getvalue()
