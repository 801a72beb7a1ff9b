"""The unit registry through the import pipeline: new, changed, unchanged, scope, and a round trip."""

import pytest

from dangjian.spreadsheets import imports
from dangjian.spreadsheets.models import ImportJob
from dangjian.spreadsheets.writer import write_rows
from dangjian.units.models import Unit
from dangjian.units.services import save_unit
from dangjian.units.sheets import UNIT_SHEET, unit_rows
from tests.spreadsheets.files import TITLE, Text, xlsx
from tests.world import make_uscc

pytestmark = pytest.mark.django_db

HEADER = [
    "单位名称",
    "统一社会信用代码",
    "单位类型",
    "行业",
    "总公司（上级单位）",
    "属地街道（镇）",
    "社区",
    "经营状态",
    "网点数量",
    "服务平台",
]


def preview(user, *rows, header=HEADER):
    return imports.preview(
        user=user, kind="units", file_name="单位.xlsx", data=xlsx([[TITLE], header, *rows])
    )


def commit(job):
    imports.enqueue_commit(user=job.user, job=job)
    job = ImportJob.objects.get(pk=job.pk)
    imports.commit(job)
    job.refresh_from_db()
    return job


def test_a_head_company_and_its_outlet_new_in_one_file(world):
    uscc = make_uscc()
    job = preview(
        world.users["street_a"],
        ["乙快递中山站", "", "网点", "快递", "乙快递公司", "中山街道", "博爱社区", "在营", "", "顺丰"],
        ["乙快递公司", Text(uscc), "总公司", "快递", "", "中山街道", "", "存续", 12, ""],
    )
    assert (job.new_rows, job.rejected_rows) == (2, 0), job.problems
    job = commit(job)
    assert job.status == ImportJob.Status.DONE, job.error
    head = Unit.objects.get(uscc=uscc)
    outlet = Unit.objects.get(name="乙快递中山站")
    assert outlet.parent == head and outlet.path.startswith(head.path)
    assert outlet.community.name == "博爱社区" and outlet.platforms == "顺丰"
    assert head.reported_outlet_count == 12 and head.operating_status == "operating"
    # The operations part records who last changed it, as an edit on the page would.
    assert head.operations_updated_by == world.users["street_a"]


def test_exported_registry_imports_back_unchanged(world):
    """Export, then import the export: nothing changes (the round trip users rely on)."""
    user = world.users["district_admin"]
    data = write_rows(UNIT_SHEET, unit_rows(Unit.objects.all()), title=UNIT_SHEET.name)
    job = imports.preview(user=user, kind="units", file_name="export.xlsx", data=data)
    assert (job.new_rows, job.changed_rows, job.rejected_rows) == (0, 0, 0), job.problems
    assert job.unchanged_rows == Unit.objects.count()


def test_a_changed_row_updates_the_unit_found_by_credit_code(world):
    shop = world.units["shop_a"]
    job = commit(
        preview(
            world.users["street_a"],
            [shop.name, Text(shop.uscc), "总公司", "外卖", "", "中山街道", "", "停业", "", ""],
        )
    )
    assert (job.new_rows, job.changed_rows) == (0, 1)
    shop.refresh_from_db()
    assert shop.operating_status == Unit.OperatingStatus.SUSPENDED


def test_street_staff_import_only_their_street(world):
    job = preview(world.users["street_a"], ["越界店", "", "总公司", "外卖", "", "滨海街道", "", "", "", ""])
    assert job.rejected_rows == 1
    assert job.problems["rows"][0]["message"] == "只能导入本街道（镇）的单位"


def test_model_checks_reject_the_row_not_the_file(world):
    good = make_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # a wrong check character
    job = preview(
        world.users["district_admin"],
        ["错码公司", Text(bad), "总公司", "外卖", "", "中山街道", "", "", "", ""],
        ["无此街道公司", "", "总公司", "外卖", "", "不存在街道", "", "", "", ""],
        ["好公司", "", "总公司", "外卖", "", "中山街道", "", "", "", ""],
    )
    assert (job.new_rows, job.rejected_rows) == (1, 2)
    columns = [p["column"] for p in job.problems["rows"]]
    assert columns == ["统一社会信用代码", "属地街道（镇）"]


def test_coordinates_and_chinese_punctuation_survive_preview_and_commit(world):
    shop = world.units["shop_a"]
    header = ["单位名称", "统一社会信用代码", "行业", "属地街道（镇）", "经度", "纬度", "经营范围"]
    data = xlsx(
        [
            header,
            [
                shop.name,
                Text(shop.uscc),
                "外卖",
                "中山街道",
                110.343684,
                "20.042271",
                "外卖配送；跑腿（同城）",
            ],
        ]
    )
    job = commit(imports.preview(user=world.users["street_a"], kind="units", file_name="u.xlsx", data=data))
    assert (job.status, job.changed_rows) == (ImportJob.Status.DONE, 1), job.error
    shop.refresh_from_db()
    assert (str(shop.longitude), str(shop.latitude)) == ("110.343684", "20.042271")
    assert shop.business_scope == "外卖配送；跑腿（同城）"
    again = imports.preview(user=world.users["street_a"], kind="units", file_name="u.xlsx", data=data)
    assert (again.changed_rows, again.unchanged_rows) == (0, 1)


def test_an_outlet_under_a_branch_company_imports_back_unchanged(world):
    branch = save_unit(
        actor=None,
        unit=Unit(
            name="甲外卖中山分公司",
            kind=Unit.Kind.BRANCH,
            parent=world.units["hq_a"],
            street=world.street_a,
            industry="food_delivery",
        ),
    )
    outlet = world.units["outlet_a"]
    outlet.parent = branch
    save_unit(actor=None, unit=outlet)
    data = write_rows(UNIT_SHEET, unit_rows(Unit.objects.filter(pk=outlet.pk)), title=UNIT_SHEET.name)
    job = imports.preview(user=world.users["street_a"], kind="units", file_name="e.xlsx", data=data)
    assert (job.changed_rows, job.unchanged_rows) == (0, 1), job.problems
