import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.core.validators import id_number_check_char, uscc_check_char, validate_id_number
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec
from dangjian.spreadsheets.normalize import (
    LOST_DIGITS,
    cell_text,
    converter_for,
    normalize_header,
    parse_boolean,
    parse_date,
    parse_id_number,
    parse_integer,
    parse_mobile,
    parse_uscc,
)
from dangjian.spreadsheets.reader import CellError, read_grid, read_sheet
from tests.spreadsheets import files
from tests.spreadsheets.files import NOTE, TITLE, DateCell, Formula, Merge, Number, Text

SPEC = SheetSpec(
    name="入职登记",
    columns=(
        Column("name", "姓名", required=True, aliases=("名字",), max_length=20),
        Column(
            "id_number",
            "身份证号码",
            Kind.ID_NUMBER,
            required=True,
            aliases=("身份证号", "公民身份号码", "身份证"),
        ),
        Column("mobile", "手机号码", Kind.MOBILE, aliases=("手机", "联系电话")),
        Column(
            "post",
            "岗位类型",
            Kind.CHOICE,
            choices=(("rider", "外卖骑手"), ("courier", "快递员"), ("driver", "网约车司机")),
        ),
        Column("joined_on", "入职日期", Kind.DATE, required=True),
        Column("is_member", "是否党员", Kind.BOOLEAN),
    ),
)

ENTRY = datetime.date(2024, 3, 5)
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def make_id(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def make_id_ending_in_x() -> str:
    for seq in range(1000):
        first17 = f"44030019900101{seq:03d}"
        if id_number_check_char(first17) == "X":
            return first17 + "X"
    raise AssertionError("unreachable")


ID_A = make_id("44030019900101123")
ID_B = make_id("46010619900101123")
ID_X = make_id_ending_in_x()
HEADER = ["姓名", "身份证号码", "手机号码", "岗位类型", "入职日期", "是否党员"]


def rows_by_number(result):
    return {row.row: row for row in result.rows}


# --- a messy real-world workbook ------------------------------------------------------------------


def messy_workbook() -> bytes:
    return files.xlsx(
        [
            [Merge(TITLE, across=8)],  # row 1: title merged across the top
            [Merge(NOTE, across=8)],  # row 2: a note
            [
                "序号",
                "*姓名",
                "身份证号",
                "联系电话",
                "岗位类型",
                "入职日期\n（必填）",
                "是否党员",
                "备注",
            ],  # 3
            [1, "张三", Text(ID_A), Number(13812345678), "外卖骑手", DateCell(ENTRY), "是", ""],  # 4
            [
                2,
                "李四",
                Text(ID_B.translate(FULL_WIDTH)),
                Text("１３８ １２３４ ５６７８"),
                "快递员",
                45356,
                "否",
            ],  # 5
            [],  # 6: blank row in the middle
            [3, "王五", Number(4.60106199001011e17), "", "courier", "2024年3月5日", "N"],  # 7
            [4, "赵六", Text(ID_X.lower()), "", "", "2024.3.5", "√"],  # 8
            [5, Formula('="钱"&"七"', "钱七"), Text(ID_A), "", "", "20240305", ""],  # 9
            [
                6,
                "孙八",
                Text(ID_A[:-1] + "9" if ID_A[-1] != "9" else ID_A[:-1] + "8"),
                "12345",
                "厨师",
                "2024-02-30",
                "也许",
            ],  # 10
            [7, "", Text(ID_A), "", "", Text("2024/3/5 8:30"), ""],  # 11: required 姓名 empty
            [8],  # 12: only the prefilled 序号: blank as far as the ledger goes
            [9, " ", "", "", "", "", ""],  # 13: whitespace only
        ],
        sheet_name="入职登记",
    )


def test_messy_workbook_header_is_found_below_title_and_note():
    result = read_sheet("登记表.XLSX", messy_workbook(), SPEC)

    assert result.file_errors == []
    assert result.sheet_name == "入职登记"
    assert result.header_row == 3
    assert result.ignored_headers == ["序号", "备注"]
    assert [row.row for row in result.rows] == [4, 5, 7, 8, 9, 10, 11]


def test_messy_workbook_values_are_converted():
    rows = rows_by_number(read_sheet("登记表.xlsx", messy_workbook(), SPEC))

    assert rows[4].values == {
        "name": "张三",
        "id_number": ID_A,
        "mobile": "13812345678",
        "post": "rider",
        "joined_on": ENTRY,
        "is_member": True,
    }
    assert rows[4].errors == []
    # full-width digits in the ID number and mobile, an Excel serial number as the date
    assert rows[5].values["id_number"] == ID_B
    assert rows[5].values["mobile"] == "13812345678"
    assert rows[5].values["joined_on"] == ENTRY
    assert rows[5].values["is_member"] is False
    # a lowercase x, a "2024.3.5" date, a tick for yes
    assert rows[8].values["id_number"] == ID_X
    assert rows[8].values["joined_on"] == ENTRY
    assert rows[8].values["is_member"] is True
    assert rows[8].values["mobile"] is None
    # a formula cell gives its cached value; "20240305" is a date
    assert rows[9].values["name"] == "钱七"
    assert rows[9].values["joined_on"] == ENTRY
    assert rows[9].errors == []


def test_id_number_stored_as_number_reports_lost_digits_on_its_row():
    rows = rows_by_number(read_sheet("登记表.xlsx", messy_workbook(), SPEC))

    assert rows[7].errors == [CellError(7, "身份证号", LOST_DIGITS)]
    assert rows[7].values["id_number"] is None
    # the rest of the row is still read
    assert rows[7].values["post"] == "courier"
    assert rows[7].values["joined_on"] == ENTRY
    assert rows[7].values["is_member"] is False


def test_cell_errors_name_the_header_as_written_and_say_what_is_expected():
    rows = rows_by_number(read_sheet("登记表.xlsx", messy_workbook(), SPEC))

    errors = {error.column: error.message for error in rows[10].errors}
    assert all(error.row == 10 for error in rows[10].errors)
    assert set(errors) == {"身份证号", "联系电话", "岗位类型", "入职日期 （必填）", "是否党员"}
    assert "校验位不正确" in errors["身份证号"]
    assert errors["联系电话"] == "手机号码“12345”格式不正确：应为11位数字，以13至19开头"
    assert errors["岗位类型"] == "“厨师”不是可选项，可选：外卖骑手、快递员、网约车司机"
    assert "日期不存在：“2024-02-30”" in errors["入职日期 （必填）"]
    assert errors["是否党员"] == "应填写“是”或“否”：“也许”"


def test_required_empty_is_reported_and_blank_rows_are_skipped():
    result = read_sheet("登记表.xlsx", messy_workbook(), SPEC)
    rows = rows_by_number(result)

    assert rows[11].errors == [CellError(11, "*姓名", "必填项为空")]
    assert rows[11].values["joined_on"] == ENTRY  # the time part is ignored
    assert 6 not in rows and 12 not in rows and 13 not in rows
    assert [row.row for row in result.valid_rows] == [4, 5, 8, 9]
    assert [row.row for row in result.rejected_rows] == [7, 10, 11]


def test_leading_empty_rows_and_columns_keep_excel_row_numbers():
    data = files.xlsx(
        [
            [],
            [],
            ["", TITLE],
            ["", *HEADER],
            ["", "张三", Text(ID_A), "", "", "2024-03-05", ""],
        ]
    )
    result = read_sheet("a.xlsx", data, SPEC)

    assert result.header_row == 4
    assert result.rows[0].row == 5
    assert result.rows[0].values["id_number"] == ID_A


# --- headers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "id_header", "mobile_header"),
    [
        ("姓名", "身份证号码", "手机号码"),
        ("名字", "身份证号", "手机"),
        ("姓 名", "公民身份号码", "联系电话"),
        ("姓名*", "身份证（必填）", "手机号码(必填)"),
        ("＊姓名", "身份证号码（18位）", " 手机号码 "),
    ],
)
def test_alias_headers(name, id_header, mobile_header):
    data = files.xlsx(
        [[name, id_header, mobile_header, "入职日期"], ["张三", Text(ID_A), Text("13812345678"), "2024-3-5"]]
    )
    result = read_sheet("a.xlsx", data, SPEC)

    assert result.file_errors == []
    assert result.rows[0].values["id_number"] == ID_A
    assert result.rows[0].values["mobile"] == "13812345678"
    assert result.rows[0].values["post"] is None  # absent optional columns are None


def test_header_normalization():
    assert normalize_header(" 身份证\n号码 *") == "身份证号码"
    assert normalize_header("ＩＤ　Ｎｏ（必填）") == "idno"
    assert normalize_header("*入职日期(必填)") == "入职日期"


def test_two_row_header_with_cells_merged_down_and_a_group_above_sub_headers():
    data = files.xlsx(
        [
            [Merge(TITLE, across=6)],
            [
                Merge("姓名", down=2),
                Merge("身份证号码", down=2),
                Merge("联系方式", across=2),
                "",
                Merge("入职日期", down=2),
            ],
            ["", "", "手机号码", "办公电话", ""],
            ["张三", Text(ID_A), "13812345678", "0755-1234567", "2024-03-05"],
        ]
    )
    result = read_sheet("a.xlsx", data, SPEC)

    assert result.file_errors == []
    assert result.header_row == 3
    assert result.ignored_headers == ["办公电话"]
    assert [row.row for row in result.rows] == [4]
    assert result.rows[0].values["mobile"] == "13812345678"
    assert result.rows[0].values["joined_on"] == ENTRY


def test_two_row_header_with_group_titles_above():
    data = files.xlsx(
        [
            [Merge("基本信息", across=3), "", "", Merge("工作信息", across=2)],
            ["名字", "公民身份号码", "手机", "岗位类型", "入职日期"],
            ["张三", Text(ID_A), "13812345678", "网约车司机", "2024-03-05"],
        ]
    )
    result = read_sheet("a.xlsx", data, SPEC)

    assert result.header_row == 2
    assert result.ignored_headers == []
    assert result.rows[0].values["post"] == "driver"


def test_column_number_row_under_the_header_is_skipped():
    data = files.xlsx([HEADER, [1, 2, 3, 4, 5, 6], ["张三", Text(ID_A), "", "", "2024-03-05", ""]])
    result = read_sheet("a.xlsx", data, SPEC)

    assert [row.row for row in result.rows] == [3]
    assert result.rows[0].errors == []


def test_required_column_missing_is_a_file_error():
    data = files.xlsx([[TITLE], ["姓名", "手机号码", "岗位类型"], ["张三", "13812345678", "快递员"]])
    result = read_sheet("a.xlsx", data, SPEC)

    assert result.file_errors == ["缺少必填列：身份证号码、入职日期"]
    assert result.rows == []
    assert result.header_row == 2


def test_no_header_is_a_file_error():
    data = files.xlsx([[TITLE], ["甲", "乙"], ["1", "2"]])
    result = read_sheet("a.xlsx", data, SPEC)

    assert result.file_errors == [
        "未能识别表头：前10行中没有找到“姓名”、“身份证号码”、“手机号码”等列名，请使用模板的表头"
    ]
    assert result.header_row == 0


def test_header_below_the_first_ten_rows_is_not_found():
    data = files.xlsx([[f"说明{i}"] for i in range(10)] + [HEADER])
    assert read_sheet("a.xlsx", data, SPEC).file_errors[0].startswith("未能识别表头")


def test_first_sheet_with_a_matching_header_is_read():
    data = files.xlsx(
        [HEADER, ["张三", Text(ID_A), "", "", "2024-03-05", ""]], sheet_name="数据", sheets_before=2
    )
    result = read_sheet("a.xlsx", data, SPEC)

    assert result.sheet_name == "数据"
    assert result.rows[0].values["name"] == "张三"


# --- file formats -----------------------------------------------------------------------------------


def test_unsupported_extension():
    result = read_sheet("x.pdf", b"%PDF-1.4", SPEC)
    assert result.file_errors == ["无法读取文件“x.pdf”：仅支持 .xlsx、.xls、.ods、.csv 格式"]
    assert not result.ok


def test_corrupt_workbook():
    result = read_sheet("坏的.xlsx", b"this is not a zip file", SPEC)
    assert len(result.file_errors) == 1
    assert result.file_errors[0].startswith("无法读取文件“坏的.xlsx”：")


CSV_ROWS = [
    [TITLE, "", "", "", "", ""],
    HEADER,
    ["张三", ID_A, "13812345678", "外卖骑手", "2024年3月5日", "是"],
    ["", "", "", "", "", ""],
    ["=1+1", "4.60106E+17", "", "", "2024/3/5", "否"],
]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("utf-8", ","), ("gbk", ","), ("gb18030", "\t"), ("utf-8", ";"), ("utf-16", "\t")],
)
def test_csv_encodings_and_delimiters(encoding, delimiter):
    data = files.csv_bytes(CSV_ROWS, encoding=encoding, delimiter=delimiter)
    result = read_sheet("名单.csv", data, SPEC)

    assert result.file_errors == []
    assert result.header_row == 2
    first, second = result.rows
    assert first.row == 3
    assert first.values == {
        "name": "张三",
        "id_number": ID_A,
        "mobile": "13812345678",
        "post": "rider",
        "joined_on": ENTRY,
        "is_member": True,
    }
    # a formula in a CSV is literal text; scientific notation means lost digits
    assert second.row == 5
    assert second.values["name"] == "=1+1"
    assert second.errors == [CellError(5, "身份证号码", LOST_DIGITS)]


def test_gbk_csv_really_is_not_utf8():
    data = files.csv_bytes(CSV_ROWS, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_sheet("名单.CSV", data, SPEC).rows[0].values["name"] == "张三"


def test_ods():
    data = files.ods(
        [
            [TITLE],
            HEADER,
            ["张三", Text(ID_A), Number(13812345678), "快递员", DateCell(ENTRY), "是"],
            [],
            ["李四", Number(4.60106199001011e17), "", "", 45356, ""],
        ],
        sheet_name="登记",
    )
    result = read_sheet("a.ods", data, SPEC)

    assert result.file_errors == []
    assert result.sheet_name == "登记"
    assert result.header_row == 2
    assert result.rows[0].values == {
        "name": "张三",
        "id_number": ID_A,
        "mobile": "13812345678",
        "post": "courier",
        "joined_on": ENTRY,
        "is_member": True,
    }
    assert result.rows[1].row == 5
    assert result.rows[1].errors == [CellError(5, "身份证号码", LOST_DIGITS)]
    assert result.rows[1].values["joined_on"] == ENTRY


def test_xls():
    pytest.importorskip("xlwt")
    data = files.xls(
        [
            [TITLE],
            HEADER,
            ["张三", Text(ID_A), Number(13812345678), "快递员", DateCell(ENTRY), "是"],
            ["李四", Number(4.60106199001011e17), "", "", "2024-03-05", ""],
        ]
    )
    result = read_sheet("a.xls", data, SPEC)

    assert result.file_errors == []
    assert result.rows[0].values["id_number"] == ID_A
    assert result.rows[0].values["mobile"] == "13812345678"
    assert result.rows[0].values["joined_on"] == ENTRY
    assert result.rows[1].errors == [CellError(4, "身份证号码", LOST_DIGITS)]


def test_many_rows_from_constant_memory_workbook():
    columns = HEADER

    def make_row(r):
        return [f"姓名{r}", ID_A, 13800000000 + r, "快递员", 45356 + r % 30, "是" if r % 2 else "否"]

    result = read_sheet("big.xlsx", files.big_xlsx(2000, columns, make_row), SPEC)

    assert result.header_row == 2
    assert len(result.valid_rows) == 2000
    assert result.rows[-1].row == 2002
    assert result.rows[-1].values["mobile"] == "13800001999"


def test_read_grid_accepts_preloaded_rows():
    result = read_grid([HEADER, ["张三", ID_A, "", "", "2024-03-05", ""]], SPEC)
    assert result.rows[0].values["name"] == "张三"


# --- converters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        ENTRY,
        datetime.datetime(2024, 3, 5, 14, 30),
        45356,
        45356.75,
        20240305,
        20240305.0,
        "2024年3月5日",
        "2024年03月05号",
        "2024.3.5",
        "2024/3/5",
        "2024-03-05",
        "20240305",
        "２０２４－０３－０５",
        "２０２４年３月５日",
        " 2024-03-05 00:00:00 ",
        "2024/3/5 8:30",
        "2024-03-05T08:30:00",
    ],
)
def test_parse_date(value):
    assert parse_date(value) == ENTRY


def test_excel_serial_around_the_1900_leap_year_bug():
    assert parse_date(1) == datetime.date(1900, 1, 1)
    assert parse_date(59) == datetime.date(1900, 2, 28)
    assert parse_date(61) == datetime.date(1900, 3, 1)
    with pytest.raises(ValidationError):
        parse_date(60)  # 1900-02-29 never was


@pytest.mark.parametrize(
    "value", ["明天", "2024-13-01x", "3/5/2024", "", "2024", 0, -5, 1e12, float("nan"), datetime.time(8, 0)]
)
def test_parse_date_rejects(value):
    with pytest.raises(ValidationError) as caught:
        parse_date(value)
    assert caught.value.code in {"date_invalid", "date_nonexistent"}
    assert "2024-03-05" in caught.value.messages[0]


def test_unrecognized_date_message():
    with pytest.raises(ValidationError) as caught:
        parse_date("明天")
    assert caught.value.messages == ["日期无法识别：“明天”，请使用 2024-03-05 格式"]


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        ("1234567", "id_number_length", "长度应为18位，当前为7位"),
        ("44030019900101123A", "id_number_chars", "含有非法字符"),
        ("440300" + "19901301" + "1234", "id_number_birth_date", "出生日期"),
        (ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1"), "id_number_check_char", "校验位不正确"),
        (4.60106199001011e17, "id_number_lost_digits", "后几位已丢失"),
        ("4.60106E+17", "id_number_lost_digits", "后几位已丢失"),
        ("4.60106199001011E+17", "id_number_lost_digits", "后几位已丢失"),
        (460106199001011000, "id_number_lost_digits", "后几位已丢失"),
        (123456789012345.0, "id_number_length", "当前为15位"),
    ],
)
def test_parse_id_number_errors(value, code, fragment):
    with pytest.raises(ValidationError) as caught:
        parse_id_number(value)
    assert caught.value.code == code
    assert fragment in caught.value.messages[0]


def test_id_number_as_exact_int_is_accepted():
    assert parse_id_number(int(ID_A)) == ID_A


def test_parse_mobile():
    assert parse_mobile(13812345678.0) == "13812345678"
    assert parse_mobile("+86 138-1234-5678") == "13812345678"
    with pytest.raises(ValidationError) as caught:
        parse_mobile("0755-1234567")
    assert caught.value.code == "mobile_invalid"


def test_parse_uscc():
    code = "91440300MA5F" + "00001"
    valid = code + uscc_check_char(code)
    assert parse_uscc(valid.lower()) == valid
    with pytest.raises(ValidationError, match="校验位不正确"):
        parse_uscc(code + ("0" if uscc_check_char(code) != "0" else "1"))
    with pytest.raises(ValidationError, match="长度应为18位"):
        parse_uscc("9144")
    with pytest.raises(ValidationError, match="非法字符"):
        parse_uscc("91440300MA5F0000I1")
    with pytest.raises(ValidationError, match="已被表格软件转为数字"):
        parse_uscc(9.14403001e17)


@pytest.mark.parametrize(
    ("value", "expected"), [(3, 3), (3.0, 3), ("１２", 12), ("1,200", 1200), ("-4", -4), ("7.0", 7)]
)
def test_parse_integer(value, expected):
    assert parse_integer(value) == expected


@pytest.mark.parametrize("value", [3.5, "三", "1e3", True])
def test_parse_integer_rejects(value):
    with pytest.raises(ValidationError, match="应为整数"):
        parse_integer(value)


@pytest.mark.parametrize("value", ["是", "Y", "yes", "TRUE", "1", 1.0, "√", True, "ｙｅｓ"])
def test_parse_boolean_true(value):
    assert parse_boolean(value) is True


@pytest.mark.parametrize("value", ["否", "n", "No", "false", "0", 0, "×", False])
def test_parse_boolean_false(value):
    assert parse_boolean(value) is False


def test_text_column():
    convert = converter_for(Column("note", "备注", max_length=12))
    assert convert(12.0) == "12"
    assert convert(3.25) == "3.25"
    assert convert("　ＡＢ１ ") == "ＡＢ１"  # trimmed, otherwise as typed
    # Chinese punctuation is content: an exported ledger imports back unchanged.
    assert convert("装卸；搬运（零担）") == "装卸；搬运（零担）"
    assert convert(ENTRY) == "2024-03-05"
    assert convert("=SUM(A1:A3)") == "=SUM(A1:A3)"
    with pytest.raises(ValidationError, match="最多 12 个字，当前 13 个字"):
        convert("一二三四五六七八九十一二三")


def test_choice_column_matches_label_or_value_case_insensitively():
    convert = converter_for(SPEC.column("post"))
    assert convert("快递员") == "courier"
    assert convert(" COURIER ") == "courier"
    assert convert("外卖 骑手") == "rider"


def test_cell_text():
    assert cell_text(12.0) == "12"
    assert cell_text(True) == "TRUE"
    assert cell_text(datetime.datetime(2024, 3, 5, 8, 30)) == "2024-03-05 08:30:00"


# --- properties -------------------------------------------------------------------------------------

FORMATS = (
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year:04d}{d.month:02d}{d.day:02d}",
    lambda d: f"{d.year}-{d.month:02d}-{d.day:02d} 00:00:00",
    lambda d: d.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),
)

dates = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31))


@given(date=dates, render=st.sampled_from(FORMATS))
def test_any_date_in_any_string_format_parses_back(date, render):
    assert parse_date(render(date)) == date


@given(date=st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 12, 31)))
def test_any_excel_serial_parses_back(date):
    serial = (date - datetime.date(1899, 12, 30)).days
    assert parse_date(serial) == date
    assert parse_date(serial + 0.5) == date


@st.composite
def id_numbers(draw):
    born = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)))
    region = draw(st.from_regex(r"[1-8][0-9]{5}", fullmatch=True))
    seq = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    return make_id(region + born.strftime("%Y%m%d") + seq)


@settings(max_examples=200)
@given(number=id_numbers(), data=st.data())
def test_any_full_width_rendering_of_an_id_number_parses_to_ascii(number, data):
    rendered = "".join(
        data.draw(st.sampled_from([ch, ch.translate(FULL_WIDTH), ch.lower()])) for ch in number
    )
    spaced = data.draw(
        st.sampled_from([rendered, f" {rendered} ", f"{rendered[:6]} {rendered[6:14]}　{rendered[14:]}"])
    )
    assert parse_id_number(spaced) == number


def _mutate(number: str, position: int, digit: str) -> str:
    return number[:position] + digit + number[position + 1 :]


@settings(max_examples=300)
@given(
    number=st.one_of(
        st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True),
        id_numbers(),
        st.builds(_mutate, id_numbers(), st.integers(0, 17), st.sampled_from("0123456789X")),
    )
)
def test_the_reader_agrees_with_the_validator(number):
    try:
        expected = validate_id_number(number)
    except ValidationError:
        with pytest.raises(ValidationError):
            parse_id_number(number)
    else:
        assert parse_id_number(number) == expected


@pytest.mark.parametrize(
    ("name", "data"), [("a.csv", b""), ("a.csv", b"\xef\xbb\xbf\r\n,,\r\n"), ("a.xlsx", files.xlsx([]))]
)
def test_empty_file(name, data):
    assert read_sheet(name, data, SPEC).file_errors == ["文件中没有任何内容，请填写后重新上传"]


def test_id_number_with_a_leading_apostrophe():
    assert parse_id_number(f"'{ID_A}") == ID_A
