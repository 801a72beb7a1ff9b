"""The import pipeline, end to end on the entry-registration sheet: preview, commit, idempotence,
rollback, scope, and the downloadable error report."""

import datetime

import pytest
from django.utils import timezone

from dangjian.core import bulk
from dangjian.core.models import AuditEvent
from dangjian.people.models import Employment, Person
from dangjian.people.sheets import REGISTRATION_SHEET
from dangjian.spreadsheets import imports
from dangjian.spreadsheets.models import ImportJob
from dangjian.spreadsheets.reader import read_grid, read_sheet
from tests.spreadsheets.files import NOTE, TITLE, Number, Text, csv_bytes, xlsx
from tests.spreadsheets.test_writer import first_sheet
from tests.world import make_id_number, make_mobile

HEADER = [
    "姓名",
    "身份证号码",
    "联系电话",
    "单位名称",
    "岗位类型",
    "用工形式",
    "入职日期",
    "离职日期",
    "政治面貌",
]

pytestmark = pytest.mark.django_db


def sheet(*rows, header=HEADER):
    return xlsx([[TITLE], [NOTE], header, *rows])


def row(
    name,
    id_number,
    unit="中山便民配送店",
    *,
    mobile=None,
    job="外卖骑手",
    form="全职",
    start="2025-06-01",
    end="",
    status="",
):
    return [name, Text(id_number), Text(mobile or make_mobile()), unit, job, form, start, end, status]


def run(user, data, *, file_name="登记表.xlsx", context=None):
    job = imports.preview(user=user, kind="registration", file_name=file_name, data=data, context=context)
    return job


def commit(job):
    job.refresh_from_db()
    imports.enqueue_commit(user=job.user, job=job)
    job = ImportJob.objects.get(pk=job.pk)
    imports.commit(job)  # what the worker runs; inline here so the test sees it finish
    job.refresh_from_db()
    return job


def test_preview_counts_and_writes_nothing(world):
    before = Person.objects.count()
    data = sheet(
        row("新骑手一", make_id_number()),
        row("新骑手二", make_id_number(), job="快递员", form="兼职"),
        row("坏号码", "460106199001011235"),  # wrong check character
        row("查无此店", make_id_number(), unit="不存在的店"),
    )
    job = run(world.users["street_a"], data)
    assert job.status == ImportJob.Status.PREVIEWED
    assert (job.total_rows, job.new_rows, job.changed_rows, job.unchanged_rows, job.rejected_rows) == (
        4,
        2,
        0,
        0,
        2,
    )
    problems = {(p["row"], p["column"]) for p in job.problems["rows"]}
    assert problems == {(6, "身份证号码"), (7, "单位名称")}
    assert "没有“不存在的店”" in job.problems["rows"][1]["message"]
    assert Person.objects.count() == before
    assert imports.can_commit(job)
    # The checked rows are kept encrypted: no ID number in clear in the database.
    assert b"460106" not in bytes(job.payload)


def test_commit_creates_people_and_employments_with_history(world):
    id_number = make_id_number("19950312")
    job = commit(
        run(world.users["street_a"], sheet(row("新骑手", id_number, form="兼职", status="中共党员")))
    )
    assert job.status == ImportJob.Status.DONE, job.error
    person = Person.objects.get(name="新骑手")
    assert person.id_number == id_number
    assert person.gender == ("male" if int(id_number[16]) % 2 else "female")
    assert person.political_status == Person.PoliticalStatus.FULL_MEMBER
    employment = person.employments.get()
    assert (employment.unit, employment.full_time, employment.start_date) == (
        world.units["shop_a"],
        False,
        datetime.date(2025, 6, 1),
    )
    # Recorded dynamically: the rows have history, by whom, and the import has an audit event.
    assert employment.history.get().history_user == world.users["street_a"]
    # Written in bulk, read back by simple-history like any other history row.
    record = person.history.get()
    assert (record.history_type, record.history_change_reason, record.name, record.gender) == (
        "+",
        f"import:{job.pk}",
        "新骑手",
        person.gender,
    )
    assert Person.history.as_of(timezone.now()).get(pk=person.pk).political_status == "full_member"
    assert employment.history.as_of(timezone.now()).start_date == datetime.date(2025, 6, 1)
    assert AuditEvent.objects.filter(action="imported", object_id=job.pk).exists()


def test_the_same_file_twice_changes_nothing(world):
    data = sheet(row("甲", make_id_number()), row("乙", make_id_number()))
    commit(run(world.users["street_a"], data))
    history_rows = Person.history.count() + Employment.history.count()
    again = run(world.users["street_a"], data)
    assert (again.new_rows, again.changed_rows, again.unchanged_rows) == (0, 0, 2)
    assert not imports.can_commit(again)
    imports.commit(again)  # even forced, nothing is written
    assert Person.history.count() + Employment.history.count() == history_rows


def test_a_changed_row_updates_the_one_record(world):
    worker = world.people["worker"]  # works at outlet_a since 2025-03-01
    new_mobile = make_mobile()
    data = sheet(
        row(
            worker.name,
            worker.id_number,
            unit="甲外卖中山站",
            mobile=new_mobile,
            start="2025-03-01",
            end="2026-10-31",
        )
    )
    job = commit(run(world.users["street_a"], data))
    assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (0, 1, 0)
    worker.refresh_from_db()
    assert worker.mobile == new_mobile
    assert Person.objects.filter(name=worker.name).count() == 1  # one person, one record
    assert worker.employments.get().end_date == datetime.date(2026, 10, 31)


def test_a_failure_part_way_leaves_the_database_as_it_was(world, monkeypatch):
    data = sheet(*(row(f"工人{i}", make_id_number()) for i in range(5)))
    job = run(world.users["street_a"], data)
    people, history = Person.objects.count(), Person.history.count()
    real = bulk.insert_new

    def fail_on_employments(model, objs, **kwargs):
        if model is Employment:
            raise RuntimeError("disk full")
        return real(model, objs, **kwargs)

    monkeypatch.setattr("dangjian.people.imports.insert_new", fail_on_employments)
    job = commit(job)
    assert job.status == ImportJob.Status.FAILED
    assert (Person.objects.count(), Person.history.count()) == (
        people,
        history,
    )  # the people were rolled back too
    assert not AuditEvent.objects.filter(action="imported").exists()


def test_rows_outside_the_users_scope_are_refused(world):
    # 滨海直播工作室 is in street B: street A's staff cannot register workers there.
    job = run(world.users["street_a"], sheet(row("越界", make_id_number(), unit="滨海直播工作室")))
    assert (job.new_rows, job.rejected_rows) == (0, 1)
    assert "您管辖的单位中没有" in job.problems["rows"][0]["message"]


def test_a_liaisons_sheet_may_leave_out_its_own_unit(world, client):
    liaison = world.users["liaison"]
    header = [h for h in HEADER if h != "单位名称"]
    data = sheet(
        ["自家骑手", Text(make_id_number()), Text(make_mobile()), "外卖骑手", "全职", "2025-06-01", "", ""],
        header=header,
    )
    client.force_login(liaison)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/imports/new/?kind=registration", {"file": SimpleUploadedFile("x.xlsx", data)})
    job = ImportJob.objects.get(user=liaison)
    assert response.status_code == 302 and job.new_rows == 1, job.problems
    commit(job)
    assert Person.objects.get(name="自家骑手").employments.get().unit == world.units["hq_a"]


def test_a_person_outside_the_scope_keeps_their_details(world):
    # 陈快递 works in street B; street A registers them at a street-A unit with another mobile.
    courier = world.people["courier_b"]
    old_mobile = courier.mobile
    data = sheet(row("陈快递", courier.id_number, mobile=make_mobile(), start="2026-01-05"))
    job = commit(run(world.users["street_a"], data))
    assert job.new_rows == 1
    courier.refresh_from_db()
    assert courier.mobile == old_mobile  # not rewritten by someone who could not see the record
    assert set(courier.employments.values_list("unit__name", flat=True)) == {"中山便民配送店", "滨海快递网点"}


def test_duplicates_and_impossible_dates_in_one_file(world):
    id_number = make_id_number()
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    job = run(
        world.users["street_a"],
        sheet(
            row("重复", id_number),
            row("重复", id_number),
            row("改名", id_number, start="2025-07-01"),
            row("未来", make_id_number(), start=future),
            row("倒序", make_id_number(), start="2025-06-01", end="2025-05-01"),
        ),
    )
    messages = [(p["row"], p["message"]) for p in job.problems["rows"]]
    assert messages[0] == (5, "与第 4 行重复（同一人、同一单位、同一入职日期）")
    assert messages[1][0] == 6 and "第 4 行的姓名是“重复”" in messages[1][1]
    assert messages[2][0] == 7 and "晚于今天" in messages[2][1]
    assert messages[3] == (8, "离职日期早于入职日期")
    assert job.new_rows == 1


def test_messy_government_sheet(world):
    """GBK CSV with full-width digits, Chinese dates, a mangled ID number and blank rows."""
    good = make_id_number()
    full_width = good.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    rows = [
        [TITLE],
        ["名字", "公民身份号码", "手机", "所在单位", "岗位", "入职时间", "政治面貌"],
        ["全角", full_width, "１３９１２３４５６７８", "中山便民配送店", "外卖骑手", "2024年3月5日", "群众"],
        [],
        ["丢位", "4.60106E+17", "13912345679", "中山便民配送店", "快递员", "2024.3.5", ""],
    ]
    job = run(world.users["street_a"], csv_bytes(rows, encoding="gbk"), file_name="登记.csv")
    assert (job.new_rows, job.rejected_rows) == (1, 1)
    assert "后几位已丢失" in job.problems["rows"][0]["message"]
    commit(job)
    person = Person.objects.get(name="全角")
    assert person.id_number == good and person.mobile == "13912345678"
    assert person.employments.get().start_date == datetime.date(2024, 3, 5)


def test_the_error_report_gives_back_the_rows_as_typed_and_can_be_reimported(world):
    bad_id = "460106199001011235"
    data = sheet(row("好", make_id_number()), row("坏", bad_id, start="2025年6月1日"))
    job = commit(run(world.users["street_a"], data))
    report = imports.error_report(job)
    read = read_sheet("errors.xlsx", report, REGISTRATION_SHEET)
    assert [r.row for r in read.rows] == [2]
    # The user fixes the one cell and uploads the report itself.
    assert read.rows[0].raw["id_number"] == bad_id
    grid = first_sheet(report)
    header = grid[0]
    assert header[-1] == "错误说明" and "身份证号" in grid[1][-1]
    assert grid[1][header.index("入职日期*")] == "2025年6月1日"  # as typed, not as converted
    fixed_id = make_id_number()
    grid[1][header.index("身份证号*")] = fixed_id
    fixed = read_grid([header, grid[1]], REGISTRATION_SHEET)
    assert fixed.ok and fixed.rows[0].values["id_number"] == fixed_id


def test_unparseable_file_is_refused_with_the_reason(world):
    job = run(world.users["street_a"], b"not a spreadsheet", file_name="x.xlsx")
    assert job.status == ImportJob.Status.FAILED
    assert job.problems["file"]
    assert not imports.can_commit(job)


def test_workers_and_secretaries_cannot_import(world):
    for name in ("worker", "branch_secretary"):
        with pytest.raises(PermissionError):
            run(world.users[name], sheet(row("x", make_id_number())))


def test_progress_is_reported_as_rows_are_written(world, monkeypatch):
    seen = []
    real = imports.set_progress
    monkeypatch.setattr(
        imports, "set_progress", lambda job, done, total: (seen.append((done, total)), real(job, done, total))
    )
    commit(run(world.users["street_a"], sheet(*(row(f"p{i}", make_id_number()) for i in range(3)))))
    assert seen[-1] == (6, 6)  # three people and three employments
    assert all(done <= total for done, total in seen)


def test_number_cells_are_not_id_numbers(world):
    """An ID number stored as a number cell lost its last digits: the row says so."""
    job = run(
        world.users["street_a"],
        sheet(
            [
                "数字",
                Number(4.60106199001011e17),
                Text(make_mobile()),
                "中山便民配送店",
                "外卖骑手",
                "全职",
                "2025-06-01",
                "",
                "",
            ]
        ),
    )
    assert job.rejected_rows == 1 and "后几位已丢失" in job.problems["rows"][0]["message"]


def test_uploads_are_not_kept_beyond_the_retention_rule(world):
    from dangjian.core.models import Rule

    stale = run(world.users["street_a"], sheet(row("旧", make_id_number())))
    ImportJob.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    run(world.users["street_a"], sheet(row("新", make_id_number())))  # any upload tidies up
    stale.refresh_from_db()
    assert (stale.status, bytes(stale.payload)) == (ImportJob.Status.DISCARDED, b"")
    Rule.objects.filter(key="import-upload-retention-days").update(value=30)
    fresh = run(world.users["street_a"], sheet(row("新二", make_id_number())))
    ImportJob.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    run(world.users["street_a"], sheet(row("新三", make_id_number())))
    fresh.refresh_from_db()
    assert fresh.status == ImportJob.Status.PREVIEWED and fresh.payload  # the district's 30 days apply


def test_members_who_disclose_in_a_sheet_get_one_follow_up_each(world):
    from dangjian.people.models import DisclosureFollowUp

    data = sheet(
        row("党员甲", make_id_number(), status="中共党员"),
        row("党员乙", make_id_number(), unit="甲外卖中山站", status="中共预备党员"),
        row("群众丙", make_id_number(), status="群众"),
    )
    commit(run(world.users["street_a"], data))
    follow_ups = {
        f.person.name: f for f in DisclosureFollowUp.objects.filter(person__name__startswith="党员")
    }
    assert set(follow_ups) == {"党员甲", "党员乙"}
    # 中山便民配送店 and 甲外卖中山站 are both covered by the joint branch: it answers for them.
    assert {f.organization for f in follow_ups.values()} == {world.organizations["branch_a"]}
    assert all(f.due_on == timezone.localdate() + datetime.timedelta(days=30) for f in follow_ups.values())
    assert follow_ups["党员甲"].history.get().history_user == world.users["street_a"]
    commit(run(world.users["street_a"], data))  # the same sheet again opens nothing new
    assert DisclosureFollowUp.objects.filter(person__name__startswith="党员").count() == 2
