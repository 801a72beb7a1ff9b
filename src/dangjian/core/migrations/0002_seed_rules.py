"""National defaults for the rules this release enforces (design/rules.md); districts edit values."""

from django.db import migrations

RULES = [
    (
        "branch-term-years",
        "党支部（党总支）委员会任期",
        3,
        "年",
        "《中国共产党支部工作条例（试行）》（2018）：党支部委员会每届任期一般为3年。",
    ),
    (
        "committee-term-years",
        "基层党委及工作机构任期",
        5,
        "年",
        "《中国共产党章程》《中国共产党支部工作条例（试行）》：基层委员会每届任期3年至5年。",
    ),
    (
        "organization-reelection-notice-days",
        "换届提前提醒天数",
        90,
        "天",
        "地方做法：任期届满前提前提醒做好换届准备（非国家规定，可调整或关闭）。",
    ),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, name, value, unit, source in RULES:
        Rule.objects.update_or_create(
            key=key, defaults={"name": name, "value": value, "national_default": value, "unit": unit, "source": source}
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
