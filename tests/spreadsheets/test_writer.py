import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from dangjian.spreadsheets.columns import Column, Kind, SheetSpec
from dangjian.spreadsheets.writer import (
    ERROR_COLUMN,
    neutralize,
    write_csv,
    write_error_report,
    write_rows,
    write_template,
)

JOB_CHOICES = (
    ("rider", "外卖骑手"),
    ("courier", "快递员"),
    ("ride_hailing_driver", "网约车司机"),
    ("truck_driver", "货车司机"),
    ("livestreamer", "主播"),
    ("other", "其他"),
)

SPEC = SheetSpec(
    name="入职登记",
    columns=(
        Column("name", "姓名", required=True, aliases=("名字",), note="与身份证一致", max_length=50),
        Column("id_number", "身份证号码", Kind.ID_NUMBER, required=True, aliases=("身份证号",)),
        Column("mobile", "手机号码", Kind.MOBILE, aliases=("联系电话",)),
        Column("job_type", "岗位类型", Kind.CHOICE, choices=JOB_CHOICES),
        Column("joined_on", "入职日期", Kind.DATE, required=True),
        Column("is_member", "是否党员", Kind.BOOLEAN),
        Column("employer_uscc", "单位统一社会信用代码", Kind.USCC),
    ),
)
LABELS = [c.label for c in SPEC.columns]
TEMPLATE_HEADERS = [
    "姓名*",
    "身份证号码*",
    "手机号码",
    "岗位类型",
    "入职日期*",
    "是否党员",
    "单位统一社会信用代码",
]

INJECTIONS = ["=1+1", "+86 138", "-2+3", "@SUM(A1)", "\t=1", " =cmd|' /C calc'!A0", "\r=1", "\n-1"]


def sheets(data: bytes) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def first_sheet(data: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def sample_row(**overrides) -> dict:
    row = {
        "name": "张三",
        "id_number": "46010619900101123X",
        "mobile": "13800138000",
        "job_type": "rider",
        "joined_on": date(2024, 3, 5),
        "is_member": True,
        "employer_uscc": "91460100MA5T0XXX1Y",
    }
    row.update(overrides)
    return row


# --------------------------------------------------------------------------- neutralize


@pytest.mark.parametrize("text", INJECTIONS)
def test_neutralize_prefixes_formula_like_strings(text):
    assert neutralize(text) == "'" + text


@pytest.mark.parametrize("text", ["张三", "13800138000", "a=b", "1-2", "", "   ", "'=already", "100%"])
def test_neutralize_leaves_harmless_strings(text):
    assert neutralize(text) == text


@pytest.mark.parametrize("value", [-5, -2.5, 0, Decimal("-1.5"), None, date(2024, 3, 5), True])
def test_neutralize_leaves_non_strings(value):
    assert neutralize(value) is value


@given(st.text())
def test_neutralize_never_starts_with_a_formula_trigger(text):
    result = neutralize(text)
    assert not result.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert result.lstrip()[:1] not in ("=", "+", "-", "@") or result.startswith("'")
    assert result in (text, "'" + text)


@given(st.sampled_from("=+-@\t\r \n\u3000"), st.text())
def test_neutralize_catches_triggers_behind_whitespace(first, rest):
    text = first + rest
    stripped = text.lstrip()
    if text[0] in "=+-@\t\r" or stripped[:1] in ("=", "+", "-", "@"):
        assert neutralize(text).startswith("'")


# --------------------------------------------------------------------------- template


def test_template_title_and_headers():
    data = write_template(SPEC)
    book = sheets(data)
    assert list(book) == ["入职登记", "说明"]
    rows = book["入职登记"]
    assert rows[0][0] == "入职登记（导入模板）"
    assert rows[1] == TEMPLATE_HEADERS
    assert len(rows) == 2  # no data rows: formats and drop-downs add no cells
    assert '<mergeCell ref="A1:G1"/>' in xml(data, "xl/worksheets/sheet1.xml")


def test_template_headers_strip_to_labels():
    assert [h.rstrip("*") for h in first_sheet(write_template(SPEC))[1]] == LABELS


def test_template_required_headers_are_red():
    data = write_template(SPEC)
    sheet = xml(data, "xl/worksheets/sheet1.xml")
    styles = xml(data, "xl/styles.xml")
    assert 'rgb="FFC00000"' in styles
    header_styles = dict(re.findall(r'<c r="([A-G])2" s="(\d+)"', sheet))
    assert header_styles["A"] == header_styles["B"] == header_styles["E"]
    assert header_styles["C"] == header_styles["D"] != header_styles["A"]


def test_template_comments():
    data = write_template(SPEC)
    assert "xl/comments1.xml" in names(data)
    comments = xml(data, "xl/comments1.xml")
    for ref in ("A2", "B2", "C2", "D2", "E2", "F2", "G2"):
        assert f'<comment ref="{ref}"' in comments
    assert "与身份证一致" in comments
    assert "18位，末位可为X；请保持文本格式" in comments
    assert "11位手机号" in comments
    assert "格式 2024-03-05" in comments
    assert "外卖骑手、快递员" in comments
    assert "必填" in comments and "选填" in comments


def test_template_drop_downs():
    sheet = xml(write_template(SPEC), "xl/worksheets/sheet1.xml")
    validations = re.findall(r'<dataValidation [^>]*sqref="([A-Z]+)3:[A-Z]+10002"><formula1>([^<]*)<', sheet)
    assert dict(validations) == {
        "D": '"外卖骑手,快递员,网约车司机,货车司机,主播,其他"',
        "F": '"是,否"',
    }


def test_template_text_and_date_columns():
    data = write_template(SPEC)
    sheet = xml(data, "xl/worksheets/sheet1.xml")
    styles = xml(data, "xl/styles.xml")
    col_styles = {
        int(m): int(s) for m, s in re.findall(r'<col min="(\d+)" max="\d+"[^>]* style="(\d+)"', sheet)
    }
    # ID number (B), mobile (C), USCC (G) as text; date (E) as yyyy-mm-dd
    assert set(col_styles) == {2, 3, 5, 7}
    xfs = re.search(r"<cellXfs[^>]*>(.*)</cellXfs>", styles).group(1)
    xf_numfmt = [int(n) for n in re.findall(r'<xf numFmtId="(\d+)"', xfs)]
    assert xf_numfmt[col_styles[2]] == xf_numfmt[col_styles[3]] == xf_numfmt[col_styles[7]] == 49  # "@"
    date_fmt_id = xf_numfmt[col_styles[5]]
    assert f'<numFmt numFmtId="{date_fmt_id}" formatCode="yyyy-mm-dd"/>' in styles


def test_template_freezes_below_header_and_widths():
    sheet = xml(write_template(SPEC), "xl/worksheets/sheet1.xml")
    assert '<pane ySplit="2" topLeftCell="A3"' in sheet
    widths = [float(w) for w in re.findall(r'<col min="\d+" max="\d+" width="([\d.]+)"', sheet)]
    assert len(widths) == 7
    assert widths[1] >= 22  # ID number
    assert widths[6] >= 2 * len("单位统一社会信用代码")  # CJK counts double


def test_template_instructions_sheet():
    rows = sheets(write_template(SPEC))["说明"]
    table = {row[0]: row[1:] for row in rows if row and row[0] in LABELS}
    assert set(table) == set(LABELS)
    assert table["姓名"][0] == "必填"
    assert table["手机号码"][0] == "选填"
    assert table["岗位类型"][2] == "外卖骑手、快递员、网约车司机、货车司机、主播、其他"
    assert table["是否党员"][2] == "是、否"
    assert table["身份证号码"][1] == "18位，末位可为X；请保持文本格式"
    assert table["姓名"][3] == "与身份证一致"


def test_template_long_choice_list_goes_to_hidden_sheet():
    many = tuple((f"v{i}", f"某某街道第{i}社区网格党支部") for i in range(30))
    spec = SheetSpec(
        "党组织",
        (
            Column("name", "名称", required=True),
            Column("org", "所属支部", Kind.CHOICE, choices=many),
            Column(
                "kind", "类型", Kind.CHOICE, choices=(("a", "甲,乙"), ("b", "丙"))
            ),  # comma: must use a range
        ),
    )
    data = write_template(spec)
    workbook = xml(data, "xl/workbook.xml")
    assert '<sheet name="选项" sheetId="3" state="hidden"' in workbook
    assert "<definedName name=\"Choices_1\">'选项'!$A$1:$A$30</definedName>" in workbook
    assert "<definedName name=\"Choices_2\">'选项'!$B$1:$B$2</definedName>" in workbook
    sheet = xml(data, "xl/worksheets/sheet1.xml")
    assert "<formula1>Choices_1</formula1>" in sheet
    assert "<formula1>Choices_2</formula1>" in sheet
    hidden = sheets(data)["选项"]
    assert [row[0] for row in hidden] == [label for _, label in many]
    assert [row[1] for row in hidden[:2]] == ["甲,乙", "丙"]


def test_template_sheet_name_sanitized():
    spec = SheetSpec("新就业群体/入职登记[2024]:骑手快递员网约车司机货车司机", SPEC.columns)
    book = sheets(write_template(spec))
    title = next(iter(book))
    assert len(title) <= 31 and not set(title) & set("[]:*?/\\")
    assert book[title][0][0] == spec.name + "（导入模板）"


# --------------------------------------------------------------------------- exports


def test_export_headers_are_labels():
    rows = first_sheet(write_rows(SPEC, [sample_row()]))
    assert rows[0] == LABELS


def test_export_with_title():
    data = write_rows(SPEC, [sample_row()], title="入职登记（2024年3月）")
    rows = first_sheet(data)
    assert rows[0][0] == "入职登记（2024年3月）"
    assert rows[1] == LABELS
    assert '<pane ySplit="2" topLeftCell="A3"' in xml(data, "xl/worksheets/sheet1.xml")


def test_export_values_round_trip_by_kind():
    rows = [
        sample_row(),
        sample_row(
            id_number="460106199001011234",
            mobile=13800138000,  # handed over as a number: still written as text
            job_type="truck_driver",
            joined_on=datetime(2024, 3, 4, 18, 30, tzinfo=UTC),  # 02:30 on the 5th in Asia/Shanghai
            is_member=False,
        ),
        sample_row(
            mobile=None, job_type=None, is_member=None, employer_uscc="", joined_on=date(1999, 12, 31)
        ),
    ]
    read = first_sheet(write_rows(SPEC, rows))
    assert read[1] == [
        "张三",
        "46010619900101123X",
        "13800138000",
        "外卖骑手",
        date(2024, 3, 5),
        "是",
        "91460100MA5T0XXX1Y",
    ]
    assert read[2][1] == "460106199001011234"
    assert isinstance(read[2][1], str) and len(read[2][1]) == 18
    assert read[2][2] == "13800138000"
    assert read[2][3] == "货车司机"
    assert isinstance(read[2][4], date)
    assert read[2][5] == "否"
    assert read[3][2:4] == ["", ""]
    assert read[3][4] == date(1999, 12, 31)
    assert read[3][5:] == ["", ""]


def test_export_id_numbers_never_numbers():
    data = write_rows(
        SPEC, [sample_row(id_number="460106199001011234"), sample_row(id_number=460106199001011234)]
    )
    sheet = xml(data, "xl/worksheets/sheet1.xml")
    assert not re.search(r'<c r="B\d+"[^>]*><v>', sheet)  # no numeric cell in the ID column
    assert [row[1] for row in first_sheet(data)[1:]] == ["460106199001011234"] * 2


def test_export_dates_are_real_dates():
    data = write_rows(SPEC, [sample_row()])
    sheet = xml(data, "xl/worksheets/sheet1.xml")
    cell = re.search(r'<c r="E2" s="(\d+)"><v>([\d.]+)</v></c>', sheet)
    assert cell and float(cell.group(2)) == 45356  # 2024-03-05 as an Excel serial
    assert 'formatCode="yyyy-mm-dd"' in xml(data, "xl/styles.xml")


def test_export_integers_are_numbers():
    spec = SheetSpec("统计", (Column("name", "名称"), Column("count", "人数", Kind.INTEGER)))
    read = first_sheet(write_rows(spec, [{"name": "甲", "count": 12}, {"name": "乙", "count": -5}]))
    assert read[1:] == [["甲", 12], ["乙", -5]]
    assert isinstance(read[2][1], float | int)


def test_export_unknown_choice_value_written_as_is():
    read = first_sheet(write_rows(SPEC, [sample_row(job_type="快递员"), sample_row(job_type="=bad")]))
    assert [row[3] for row in read[1:]] == ["快递员", "'=bad"]


def test_export_neutralizes_formula_injection():
    rows = [sample_row(name=text, mobile=text) for text in INJECTIONS]
    spec = SheetSpec("x", (*SPEC.columns, Column("count", "人数", Kind.INTEGER)))
    rows.append(sample_row(name="负数", count=-5))
    data = write_rows(spec, rows)
    sheet = xml(data, "xl/worksheets/sheet1.xml")
    assert "<f>" not in sheet and "<f " not in sheet
    read = first_sheet(data)
    for row, text in zip(read[1:], INJECTIONS, strict=False):
        assert row[0] == "'" + text
        assert row[2] == "'" + text
    assert read[-1][0] == "负数" and read[-1][-1] == -5


def test_export_extra_column():
    rows = [sample_row(note="备注一"), sample_row(note=None)]
    read = first_sheet(write_rows(SPEC, rows, extra_column="备注", extra_key="note"))
    assert read[0] == [*LABELS, "备注"]
    assert [row[-1] for row in read[1:]] == ["备注一", ""]


def test_export_streams_a_generator():
    def rows():
        for i in range(3000):
            yield sample_row(name=f"工人{i}", id_number=f"46010619900101{i:04d}")

    read = first_sheet(write_rows(SPEC, rows()))
    assert len(read) == 3001
    assert read[-1][:2] == ["工人2999", "460106199001012999"]


def test_export_empty():
    assert first_sheet(write_rows(SPEC, [])) == [LABELS]


# --------------------------------------------------------------------------- error report


def test_error_report():
    rejected = [
        (
            {
                "name": "李四",
                "id_number": "46010619900101123",
                "mobile": "1380013800",
                "joined_on": "2024/13/05",
            },
            ["身份证号码应为18位", "手机号码应为11位", "入职日期无法识别"],
        ),
        (
            {"name": '=HYPERLINK("http://x")', "id_number": "46010619900101123X", "job_type": "厨师"},
            ["岗位类型无效"],
        ),
    ]
    data = write_error_report(SPEC, rejected)
    read = first_sheet(data)
    template_headers = first_sheet(write_template(SPEC))[1]
    assert read[0][:-1] == template_headers
    assert read[0][-1] == ERROR_COLUMN
    assert read[1] == [
        "李四",
        "46010619900101123",
        "1380013800",
        "",
        "2024/13/05",
        "",
        "",
        "身份证号码应为18位；手机号码应为11位；入职日期无法识别",
    ]
    assert read[2][0] == '\'=HYPERLINK("http://x")'
    assert read[2][3] == "厨师"
    assert read[2][-1] == "岗位类型无效"
    assert "<f>" not in xml(data, "xl/worksheets/sheet1.xml")


def test_error_report_accepts_rows_keyed_by_label():
    read = first_sheet(
        write_error_report(SPEC, [({"姓名": "王五", "身份证号码": "123"}, ["身份证号码应为18位"])])
    )
    assert read[1][:2] == ["王五", "123"]
    assert read[1][-1] == "身份证号码应为18位"


# --------------------------------------------------------------------------- CSV


def test_csv():
    rows = [
        sample_row(),
        sample_row(name="=1+1", mobile="+86 138", is_member=False, job_type="other", joined_on=None),
        sample_row(name="@SUM(A1)", id_number=460106199001011234),
    ]
    data = write_csv(SPEC, rows)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    read = list(csv.reader(io.StringIO(text)))
    assert read[0] == LABELS
    assert read[1] == [
        "张三",
        "46010619900101123X",
        "13800138000",
        "外卖骑手",
        "2024-03-05",
        "是",
        "91460100MA5T0XXX1Y",
    ]
    assert read[2][:6] == ["'=1+1", "46010619900101123X", "'+86 138", "其他", "", "否"]
    assert read[3][0] == "'@SUM(A1)"
    assert read[3][1] == "460106199001011234"


def test_csv_numbers_not_neutralized():
    spec = SheetSpec("统计", (Column("name", "名称"), Column("count", "人数", Kind.INTEGER)))
    read = list(csv.reader(io.StringIO(write_csv(spec, [{"name": "-2+3", "count": -5}]).decode("utf-8-sig"))))
    assert read[1] == ["'-2+3", "-5"]


def test_export_text_column_fallbacks():
    spec = SheetSpec("杂项", (Column("value", "值"),))
    values = [Decimal("1.5"), 7, date(2024, 3, 5), datetime(2024, 3, 5, 8, 0), False, "", None, "普通文本"]
    read = first_sheet(write_rows(spec, [{"value": v} for v in values]))
    assert [row[0] for row in read[1:]] == [
        1.5,
        7,
        date(2024, 3, 5),
        datetime(2024, 3, 5, 8, 0),
        "否",
        "",
        "",
        "普通文本",
    ]


def test_export_is_streamed_with_inline_strings():
    sheet = xml(write_rows(SPEC, [sample_row()]), "xl/worksheets/sheet1.xml")
    assert 't="inlineStr"' in sheet  # constant_memory mode: no shared-string table kept in memory
