"""Entry registration (入职登记) as a spreadsheet: the liaison's upload, its template and export.

The columns are what enterprises' HR sheets hold today. Gender and date of birth are not asked:
both are in the ID number.
"""

from dangjian.core.choices import JobType
from dangjian.people.models import Investor, Person
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec

EMPLOYMENT_FORMS = (("full_time", "全职"), ("part_time", "兼职"))

REGISTRATION_SHEET = SheetSpec(
    name="入职登记",
    columns=(
        Column("name", "姓名", required=True, aliases=("名字", "职工姓名", "员工姓名"), max_length=40),
        Column(
            "id_number",
            "身份证号",
            Kind.ID_NUMBER,
            required=True,
            aliases=("身份证号码", "公民身份号码", "身份证", "证件号码"),
            note="18位居民身份证号码；请将本列设为文本格式，避免后几位变成0",
        ),
        Column("mobile", "手机号码", Kind.MOBILE, aliases=("手机", "手机号", "联系电话", "联系方式", "电话")),
        Column("ethnicity", "民族", max_length=20),
        Column("education", "学历", aliases=("文化程度",), max_length=20),
        Column("household_registration", "户籍地", aliases=("户籍所在地", "籍贯"), max_length=120),
        Column("residence", "现居住地址", aliases=("居住地址", "现住址", "住址"), max_length=200),
        Column(
            "unit_name", "单位名称", aliases=("所在单位", "企业名称", "网点名称", "站点名称"), max_length=120
        ),
        Column(
            "unit_uscc",
            "统一社会信用代码",
            Kind.USCC,
            aliases=("信用代码", "社会信用代码"),
            note="单位名称与统一社会信用代码至少填一项；网点无独立代码的填名称",
        ),
        Column(
            "job_type",
            "岗位类型",
            Kind.CHOICE,
            required=True,
            aliases=("岗位", "职业类型", "从业类型"),
            choices=tuple((c.value, c.label) for c in JobType),
            choice_aliases=(
                ("rider", "骑手"),
                ("rider", "外卖员"),
                ("rider", "送餐员"),
                ("courier", "快递小哥"),
                ("courier", "快递业务员"),
                ("ride_hailing_driver", "网约车驾驶员"),
                ("truck_driver", "货运司机"),
                ("truck_driver", "货车驾驶员"),
                ("livestreamer", "主播"),
            ),
        ),
        Column(
            "employment_form",
            "用工形式",
            Kind.CHOICE,
            aliases=("全职/兼职",),
            choices=EMPLOYMENT_FORMS,
            # Platforms' own words: 专送 riders are full-time, 众包 (crowd-sourced) riders part-time.
            choice_aliases=(
                ("full_time", "全日制"),
                ("full_time", "专送"),
                ("part_time", "非全日制"),
                ("part_time", "众包"),
            ),
        ),
        Column("start_date", "入职日期", Kind.DATE, required=True, aliases=("入职时间", "到岗日期")),
        Column("end_date", "离职日期", Kind.DATE, aliases=("离职时间",), note="离职时填写；在职留空"),
        Column(
            "political_status",
            "政治面貌",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in Person.PoliticalStatus),
            # How party and league membership is written on Chinese forms.
            choice_aliases=(
                ("full_member", "中共党员"),
                ("full_member", "党员"),
                ("probationary_member", "中共预备党员"),
                ("league_member", "团员"),
                ("league_member", "共青团员"),
                ("other_party", "民主党派"),
            ),
            note="自愿填写；党员可亮明身份，以便党组织联系",
        ),
    ),
)


# The people list as exported: ID numbers and mobiles masked (an export only, never re-imported);
# political status only for party-work roles (``accounts.scope.sees_party_member_names``).
PEOPLE_SHEET = SheetSpec(
    name="人员名册",
    columns=(
        Column("name", "姓名"),
        Column("masked_id_number", "身份证号（部分隐藏）"),
        Column("masked_mobile", "手机号码（部分隐藏）"),
        Column("gender", "性别", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Person.Gender)),
        Column(
            "political_status",
            "政治面貌",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in Person.PoliticalStatus),
        ),
        Column("current_unit", "所在单位"),
        Column(
            "current_job_type", "岗位类型", Kind.CHOICE, choices=tuple((c.value, c.label) for c in JobType)
        ),
        Column("current_since", "入职日期", Kind.DATE),
    ),
)
PEOPLE_SHEET_WITHOUT_STATUS = SheetSpec(
    name=PEOPLE_SHEET.name, columns=tuple(c for c in PEOPLE_SHEET.columns if c.key != "political_status")
)


def people_rows(people):
    """Rows for PEOPLE_SHEET from ``queries.person_list``: one query; the numbers are decrypted
    only to be masked, row by row, and never leave this function whole."""
    fields = ("name", "id_number", "mobile", "gender", "political_status")
    for person in people.only(*fields).iterator(chunk_size=2000):
        yield {
            "name": person.name,
            "masked_id_number": person.masked_id_number,
            "masked_mobile": person.masked_mobile,
            "gender": person.gender,
            "political_status": person.political_status,
            "current_unit": person.current_unit,
            "current_job_type": person.current_job_type,
            "current_since": person.current_since,
        }


# The five-clears ledger's investors (出资人): who owns or finances each unit.
INVESTOR_SHEET = SheetSpec(
    name="出资人",
    columns=(
        Column("unit_name", "单位名称", aliases=("企业名称", "所在单位"), max_length=120),
        Column("unit_uscc", "统一社会信用代码", Kind.USCC, aliases=("信用代码", "社会信用代码")),
        Column("name", "出资人姓名", required=True, aliases=("姓名", "出资人", "股东姓名"), max_length=40),
        Column(
            "id_number",
            "身份证号",
            Kind.ID_NUMBER,
            required=True,
            aliases=("身份证号码", "公民身份号码", "证件号码"),
            note="18位居民身份证号码；请将本列设为文本格式",
        ),
        Column("mobile", "手机号码", Kind.MOBILE, aliases=("手机", "联系电话")),
        Column(
            "role",
            "出资人类型",
            Kind.CHOICE,
            required=True,
            aliases=("类型", "身份"),
            choices=tuple((c.value, c.label) for c in Investor.Role),
            choice_aliases=(
                ("legal_representative", "法人"),
                ("legal_representative", "法定代表人"),
                ("shareholder", "股东"),
            ),
        ),
        Column("share_percent", "出资比例（%）", Kind.DECIMAL, aliases=("持股比例", "出资比例")),
        Column(
            "political_status",
            "政治面貌",
            Kind.CHOICE,
            choices=REGISTRATION_SHEET.column("political_status").choices,
            choice_aliases=REGISTRATION_SHEET.column("political_status").choice_aliases,
        ),
        Column(
            "representative_roles",
            "代表人士身份",
            aliases=("代表委员身份", "社会职务"),
            note="如：区人大代表、区政协委员、工商联执委",
            max_length=200,
        ),
    ),
)
