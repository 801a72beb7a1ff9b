"""The rows of the import benchmark: distinct, valid, realistic entry registrations, as an .xlsx.

Deterministic (seeded), so every run imports the same workbook. The columns are those of
``REGISTRATION_SHEET`` under their Chinese labels; cells hold what an HR sheet holds: ID numbers and
mobiles as text, dates as real dates, choices as the words people write (labels and the common
aliases: 骑手, 众包, 中共党员 ...). Every row is valid: the benchmark measures the work of importing,
not of refusing.
"""

import datetime
import random
from dataclasses import dataclass

UNIT_NAME = "龙华即时配送服务有限公司"
UNIT_USCC_FIRST17 = "91460106MA5TBENCH"  # completed with its check character by the fixtures

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董符潘袁蔡蒋余于杜叶程魏苏吕"
    "丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲芬燕彬斌辉鹏飞海龙建国志文家豪"
    "轩浩然宇航欣怡涵思远晨阳俊"
)
# Where Haikou's riders and couriers come from: local districts first, then the usual provinces.
AREA_CODES = (
    ("460106", 30),
    ("460105", 12),
    ("460107", 10),
    ("460108", 8),
    ("469005", 6),
    ("460200", 4),
    ("430421", 5),
    ("440883", 5),
    ("452122", 4),
    ("511304", 4),
    ("411624", 4),
    ("362132", 4),
    ("350583", 2),
    ("421126", 2),
)
HOMETOWNS = {
    "46": ("海南省海口市", "海南省儋州市", "海南省文昌市", "海南省三亚市"),
    "43": ("湖南省衡阳市",),
    "44": ("广东省湛江市",),
    "45": ("广西壮族自治区南宁市",),
    "51": ("四川省南充市",),
    "41": ("河南省周口市",),
    "36": ("江西省赣州市",),
    "35": ("福建省泉州市",),
    "42": ("湖北省黄冈市",),
}
ROADS = (
    "滨海大道",
    "龙昆南路",
    "金贸东路",
    "国贸大道",
    "海秀中路",
    "大同路",
    "城西路",
    "金盘路",
    "南沙路",
    "丘海大道",
)
ETHNICITIES = (("汉族", 85), ("黎族", 8), ("苗族", 2), ("壮族", 2), ("回族", 1), ("土家族", 1), ("", 1))
EDUCATIONS = (("初中", 25), ("高中", 25), ("中专", 15), ("大专", 20), ("本科", 11), ("小学", 2), ("", 2))
# (what the cell says, weight); the words are labels of the sheet's choices or their aliases.
JOB_TYPES = (
    ("外卖骑手", 40),
    ("骑手", 5),
    ("快递员", 22),
    ("快递小哥", 3),
    ("网约车司机", 12),
    ("货车司机", 8),
    ("网络主播", 5),
    ("其他", 5),
)
EMPLOYMENT_FORMS = (("全职", 55), ("兼职", 30), ("众包", 8), ("专送", 2), ("", 5))
# About 3% party members, who disclose (each creates a follow-up); most cells say 群众 or nothing.
POLITICAL_STATUSES = (
    ("群众", 600),
    ("", 220),
    ("共青团员", 120),
    ("未说明", 27),
    ("中共党员", 15),
    ("正式党员", 10),
    ("预备党员", 5),
    ("民主党派成员", 3),
)
MEMBER_WORDS = frozenset({"中共党员", "正式党员", "预备党员"})
END_DATE_SHARE = 0.15
EARLIEST_START = datetime.date(2016, 1, 1)


@dataclass(frozen=True)
class Mix:
    rows: int
    members: int  # rows disclosing party membership (a follow-up each)
    with_end_date: int


def _weighted(rng: random.Random, table):
    words, weights = zip(*table, strict=True)
    return rng.choices(words, weights=weights, k=1)[0]


def _check_char(first17: str) -> str:
    from dangjian.core.validators import id_number_check_char

    return id_number_check_char(first17)


def generate(n: int, *, seed: int = 20260301, today: datetime.date | None = None) -> list[list]:
    """``n`` rows, one distinct person each, in the order of ``REGISTRATION_SHEET.columns``."""
    rng = random.Random(seed)
    today = today or datetime.date.today()
    last_start = today - datetime.timedelta(days=1)
    uscc = unit_uscc()
    ids: set[str] = set()
    mobiles: set[str] = set()
    rows = []
    areas, area_weights = zip(*AREA_CODES, strict=True)
    while len(rows) < n:
        birth = datetime.date(1966, 1, 1) + datetime.timedelta(days=rng.randrange(40 * 365))
        adult = datetime.date(birth.year + 18, birth.month, min(birth.day, 28))
        first_start = max(EARLIEST_START, adult)
        if first_start >= last_start:
            continue
        area = rng.choices(areas, weights=area_weights, k=1)[0]
        first17 = f"{area}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        id_number = first17 + _check_char(first17)
        if id_number in ids:
            continue
        mobile = f"1{rng.choice('3456789')}{rng.randrange(10)}{rng.randrange(10**8):08d}"
        if mobile in mobiles:
            continue
        ids.add(id_number)
        mobiles.add(mobile)
        start = first_start + datetime.timedelta(days=rng.randrange((last_start - first_start).days + 1))
        end = None
        if rng.random() < END_DATE_SHARE and (last_start - start).days > 30:
            end = start + datetime.timedelta(days=rng.randrange(30, (last_start - start).days + 1))
        hometown = rng.choice(HOMETOWNS[area[:2]])
        residence = f"海南省海口市龙华区{rng.choice(ROADS)}{rng.randrange(1, 400)}号"
        if rng.random() < 0.6:
            residence += f"{rng.randrange(1, 30)}栋{rng.randrange(1, 30)}{rng.randrange(1, 9):02d}室"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        rows.append(
            [
                name,
                id_number,
                mobile,
                _weighted(rng, ETHNICITIES),
                _weighted(rng, EDUCATIONS),
                hometown,
                residence,
                UNIT_NAME,
                uscc,
                _weighted(rng, JOB_TYPES),
                _weighted(rng, EMPLOYMENT_FORMS),
                start,
                end,
                _weighted(rng, POLITICAL_STATUSES),
            ]
        )
    return rows


def unit_uscc() -> str:
    from dangjian.core.validators import uscc_check_char

    return UNIT_USCC_FIRST17 + uscc_check_char(UNIT_USCC_FIRST17)


def mix_of(rows: list[list]) -> Mix:
    return Mix(
        rows=len(rows),
        members=sum(1 for row in rows if row[13] in MEMBER_WORDS),
        with_end_date=sum(1 for row in rows if row[12] is not None),
    )


def write_workbook(path, headers: list[str], rows: list[list], *, sheet_name: str) -> None:
    """The rows under one header row (row 1, as django-import-export expects it), typed as an HR
    sheet types them: codes as text cells, dates as dates."""
    from xlsxwriter import Workbook

    workbook = Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = workbook.add_worksheet(sheet_name)
    text = workbook.add_format({"num_format": "@"})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    header = workbook.add_format({"bold": True})
    for col, label in enumerate(headers):
        ws.write_string(0, col, label, header)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, datetime.date):
                ws.write_datetime(r, col, value, date)
            elif col in (1, 2, 8):
                ws.write_string(r, col, value, text)
            else:
                ws.write_string(r, col, value)
    workbook.close()
