"""Reading a ledger spreadsheet as uploaded: find its header, match columns, convert each row.

``read_sheet(file_name, data, spec)`` reads .xlsx/.xlsm/.xls/.ods (with python-calamine) and
.csv (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030, which covers GBK; delimiter
comma, tab or semicolon), and returns a ``ReadResult``: every non-blank data row with its
converted values and the problems found in its cells, or file-level errors when the file
cannot be used at all (unreadable, no header, required columns missing).

Real sheets are messy: a title row merged across the top, a note row, a header spread over
two rows (a group title above, or cells merged down across both), headers with "*" or
"（必填）", "1 2 3 …" column-number rows. The header is the row among the first
``HEADER_SCAN_ROWS`` matching the most column headers (labels or aliases, compared after
``normalize_header``), merged with the row above or below it when that adds columns.

Formulas are never evaluated: a workbook's formula cell gives the value the spreadsheet program
last computed and saved, and a CSV cell starting with "=" is taken as literal text.

Row numbers are the 1-based numbers a person sees in Excel (for CSV, the record number, which is
the row Excel shows when it opens the file).
"""

import codecs
import csv
import io
import operator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError

from .columns import Column, Kind, SheetSpec
from .normalize import (
    REQUIRED_EMPTY,
    cell_text,
    converter_for,
    is_blank,
    normalize_header,
    strip_trailing_note,
)

HEADER_SCAN_ROWS = 10
WORKBOOK_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"})
CSV_EXTENSIONS = frozenset({".csv"})
SUPPORTED_FORMATS = ".xlsx、.xls、.ods、.csv"


@dataclass(frozen=True)
class CellError:
    row: int  # 1-based, as the spreadsheet program shows it
    column: str  # the header text as written in the file
    message: str  # Chinese: what is wrong and what is expected


@dataclass
class ParsedRow:
    row: int
    values: dict[str, object]  # Column.key -> converted value; None when blank or invalid
    errors: list[CellError] = field(default_factory=list)
    # The cells as read, kept only for rows the reader refuses: the error report gives them back
    # to the user unchanged, so a fix is one cell, not retyping the row.
    raw: dict[str, object] | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class ReadResult:
    rows: list[ParsedRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    header_row: int = 0  # 1-based number of the (last) header row; 0 when none was found
    sheet_name: str = ""
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def valid_rows(self) -> list[ParsedRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def rejected_rows(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.errors]

    @property
    def errors(self) -> list[CellError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        """The file could be read; rows may still have errors."""
        return not self.file_errors


class _FileError(Exception):
    pass


# --- entry point --------------------------------------------------------------------------------


def read_sheet(file_name: str, data: bytes, spec: SheetSpec) -> ReadResult:
    """Read the uploaded file ``file_name`` (its bytes ``data``) as a sheet of ``spec``."""
    suffix = PurePath(file_name).suffix.lower()
    try:
        if suffix in WORKBOOK_EXTENSIONS:
            sheet_name, grid = _read_workbook(file_name, data, spec)
        elif suffix in CSV_EXTENSIONS:
            sheet_name, grid = PurePath(file_name).stem, _read_csv(file_name, data)
        else:
            raise _FileError(f"无法读取文件“{file_name}”：仅支持 {SUPPORTED_FORMATS} 格式")
    except _FileError as error:
        return ReadResult(file_errors=[str(error)])
    return read_grid(grid, spec, sheet_name=sheet_name)


def read_grid(grid: list[list[object]], spec: SheetSpec, sheet_name: str = "") -> ReadResult:
    """Read rows of cells already loaded (row 0 is the sheet's first row) as a sheet of ``spec``."""
    result = ReadResult(sheet_name=sheet_name)
    if all(is_blank(value) for row in grid for value in row):
        result.file_errors.append("文件中没有任何内容，请填写后重新上传")
        return result
    header = _find_header(grid, spec)
    if header is None:
        labels = "、".join(f"“{c.label}”" for c in spec.columns[:3])
        result.file_errors.append(
            f"未能识别表头：前{HEADER_SCAN_ROWS}行中没有找到{labels}等列名，请使用模板的表头"
        )
        return result
    result.header_row = header.last_row + 1
    result.ignored_headers = header.ignored
    missing = [c.label for c in spec.columns if c.required and c.key not in header.positions]
    if missing:
        result.file_errors.append("缺少必填列：" + "、".join(missing))
        return result
    result.rows = _convert_rows(grid, header.last_row + 1, spec, header)
    return result


# --- loading ------------------------------------------------------------------------------------


def _read_workbook(file_name: str, data: bytes, spec: SheetSpec) -> tuple[str, list[list[object]]]:
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

    broken = f"无法读取文件“{file_name}”：文件已损坏或不是有效的表格文件，仅支持 {SUPPORTED_FORMATS} 格式"
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise _FileError(f"无法读取文件“{file_name}”：文件设有密码，请取消密码后重新上传") from None
    except Exception:  # calamine raises assorted errors (zip, xml, format detection) on broken files
        raise _FileError(broken) from None

    sheets = {}

    def load(name: str, nrows: int | None = None) -> list[list[object]]:
        # Getting a sheet parses all of it: keep it, so the sheet chosen is not parsed twice.
        try:
            if name not in sheets:
                sheets[name] = workbook.get_sheet_by_name(name)
            return sheets[name].to_python(skip_empty_area=False, nrows=nrows)
        except Exception:
            raise _FileError(broken) from None

    try:
        sheet_types = (SheetTypeEnum.WorkSheet, SheetTypeEnum.DialogSheet)
        names = [meta.name for meta in workbook.sheets_metadata if meta.typ in sheet_types]
        names = names or list(workbook.sheet_names)
        if not names:
            raise _FileError(f"无法读取文件“{file_name}”：文件中没有工作表")
        # The first sheet whose header has every required column; else the best-matching one.
        chosen, best = names[0], -1
        for name in names:
            found = _find_header(load(name, HEADER_SCAN_ROWS), spec)
            if found is not None:
                if all(c.key in found.positions for c in spec.columns if c.required):
                    chosen = name
                    break
                if len(found.positions) > best:
                    chosen, best = name, len(found.positions)
            for other in [n for n in sheets if n != chosen]:
                del sheets[other]  # parsed sheets are big: keep only the candidate
        return chosen, load(chosen)
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")  # Excel's "Unicode text" export
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")  # a superset of GBK and GB2312, what Chinese Excel writes


def _sniff_delimiter(text: str) -> str:
    """The delimiter among comma, tab and semicolon giving the widest rows near the top."""
    sample = text[:16384]
    best, best_width = ",", 0
    for delimiter in (",", "\t", ";"):
        rows = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        width = 0
        for index, row in enumerate(rows):
            if index >= HEADER_SCAN_ROWS + 5:
                break
            width = max(width, len(row))
        if width > best_width:
            best, best_width = delimiter, width
    return best


def _read_csv(file_name: str, data: bytes) -> list[list[object]]:
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        raise _FileError(
            f"无法读取文件“{file_name}”：无法识别文件编码，请另存为 UTF-8 编码的 CSV 或 .xlsx 文件"
        ) from None
    if "\x00" in text:
        raise _FileError(f"无法读取文件“{file_name}”：不是有效的 CSV 文本文件")
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text)))
    except csv.Error:
        raise _FileError(f"无法读取文件“{file_name}”：CSV 格式有误") from None


# --- header -------------------------------------------------------------------------------------


@dataclass
class _Header:
    positions: dict[str, tuple[int, str]]  # Column.key -> (cell index, header text in the file)
    ignored: list[str]
    last_row: int  # 0-based index of the last header row


def _header_lookup(spec: SheetSpec) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in spec.columns:
        for header in column.headers:
            lookup.setdefault(normalize_header(header), column)
    return lookup


def _match(value: object, lookup: dict[str, Column]) -> Column | None:
    if is_blank(value) or not isinstance(value, str):
        return None
    key = normalize_header(value)
    column = lookup.get(key)
    if column is None:
        column = lookup.get(strip_trailing_note(key))
    return column


def _row_matches(row: list[object], lookup: dict[str, Column]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for index, value in enumerate(row):
        column = _match(value, lookup)
        if column is not None and column.key not in found:
            found[column.key] = (index, " ".join(cell_text(value).split()))
    return found


def _combine(
    grid: list[list[object]], primary: int, other: int, lookup: dict[str, Column]
) -> tuple[dict[str, tuple[int, str]], list[str]]:
    """Match columns over two header rows: per cell, the primary row's header if it names a column,
    else the other row's (a cell merged down across both rows has its value in the top one)."""
    rows = (grid[primary], grid[other]) if other >= 0 else (grid[primary],)
    width = max(len(r) for r in rows)
    positions: dict[str, tuple[int, str]] = {}
    ignored: list[str] = []
    lower = grid[max(primary, other)]
    for index in range(width):
        cells = [r[index] if index < len(r) else "" for r in rows]
        matched = False
        for value in cells:
            column = _match(value, lookup)
            if column is not None:
                if column.key not in positions:
                    positions[column.key] = (index, " ".join(cell_text(value).split()))
                    matched = True
                break
        if not matched:
            # An unmatched cell: report the most specific text (the lower row's, when it has one).
            below = lower[index] if index < len(lower) else ""
            text = below if not is_blank(below) else next((v for v in cells if not is_blank(v)), "")
            if not is_blank(text):
                ignored.append(" ".join(cell_text(text).split()))
    return positions, ignored


def _find_header(grid: list[list[object]], spec: SheetSpec) -> _Header | None:
    lookup = _header_lookup(spec)
    scan = min(len(grid), HEADER_SCAN_ROWS)
    best_index, best_count = -1, 0
    for index in range(scan):
        count = len(_row_matches(grid[index], lookup))
        if count > best_count:
            best_index, best_count = index, count
    if best_index < 0:
        return None
    positions, ignored = _combine(grid, best_index, -1, lookup)
    last_row = best_index
    # A two-row header: the row above (group titles, cells merged down) or below (sub-headers).
    for other in (best_index - 1, best_index + 1):
        if other < 0 or other >= scan:
            continue
        two_positions, two_ignored = _combine(grid, best_index, other, lookup)
        if len(two_positions) > len(positions):
            positions, ignored = two_positions, two_ignored
            last_row = max(best_index, other)
            break
    return _Header(positions=positions, ignored=ignored, last_row=last_row)


# --- rows ---------------------------------------------------------------------------------------


def _is_column_number_row(row: list[object], positions: list[int]) -> bool:
    """A "1 2 3 …" row under the header numbering the columns, as many government forms have."""
    numbers = []
    for index in positions:
        value = row[index] if index < len(row) else ""
        if is_blank(value):
            continue
        text = cell_text(value).strip()
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return (
        len(numbers) >= 3
        and all(b > a for a, b in zip(numbers, numbers[1:], strict=False))
        and numbers[-1] < 100
    )


_UNIQUE_KINDS = frozenset({Kind.ID_NUMBER, Kind.MOBILE})
_UNSEEN = object()


@dataclass(frozen=True)
class _Refused:
    message: str


def _convert_rows(grid: list[list[object]], start: int, spec: SheetSpec, header: _Header) -> list[ParsedRow]:
    # Everything per column is decided once here; the loop below only fetches and converts.
    columns = [column for column in spec.columns if column.key in header.positions]
    positions = [header.positions[column.key][0] for column in columns]
    plan = [
        (
            column.key,
            converter_for(column),
            column.required,
            header.positions[column.key][1],
            # Most columns repeat a few values down the sheet (unit, job type, dates, status):
            # each distinct text is converted once. Unique identifiers are not worth remembering.
            {} if column.kind not in _UNIQUE_KINDS else None,
        )
        for column in columns
    ]
    absent = {column.key: None for column in spec.columns if column.key not in header.positions}
    if start < len(grid) and _is_column_number_row(grid[start], positions):
        start += 1
    fetch = operator.itemgetter(*positions)
    if len(positions) == 1:
        single = fetch

        def fetch(raw):
            return (single(raw),)

    def fetch_short(raw: list[object]) -> tuple[object, ...]:
        width = len(raw)
        return tuple(raw[p] if p < width else "" for p in positions)

    parsed: list[ParsedRow] = []
    append = parsed.append
    for index in range(start, len(grid)):
        raw = grid[index]
        try:
            cells = fetch(raw)
        except IndexError:  # a short CSV record
            cells = fetch_short(raw)
        values: dict[str, object] = dict(absent)
        errors: list[CellError] = []
        blank = True
        for (key, convert, required, header_text, memo), value in zip(plan, cells, strict=True):
            if value.__class__ is str:
                if not value or value.isspace():
                    values[key] = None
                    if required:
                        errors.append(CellError(index + 1, header_text, REQUIRED_EMPTY))
                    continue
                if memo is not None:
                    # Keyed on text only: 1, 1.0 and True are equal as dict keys, texts are not.
                    known = memo.get(value, _UNSEEN)
                    if known is not _UNSEEN:
                        blank = False
                        if known.__class__ is _Refused:
                            values[key] = None
                            errors.append(CellError(index + 1, header_text, known.message))
                        else:
                            values[key] = known
                        continue
            elif value is None:
                values[key] = None
                if required:
                    errors.append(CellError(index + 1, header_text, REQUIRED_EMPTY))
                continue
            blank = False
            try:
                values[key] = converted = convert(value)
            except ValidationError as error:
                values[key] = None
                errors.append(CellError(index + 1, header_text, error.messages[0]))
                converted = _Refused(error.messages[0])
            if memo is not None and value.__class__ is str:
                memo[value] = converted
        if not blank:
            raw = dict(zip((key for key, *_ in plan), cells, strict=True)) if errors else None
            append(ParsedRow(index + 1, values, errors, raw))
    return parsed
