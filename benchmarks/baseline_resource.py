"""The baseline: the same entry-registration import done the way django-import-export 4.x users do it.

A ``ModelResource`` over ``Employment`` (one row, one employment), its default (non-bulk) path:
``import_data(dataset, dry_run=False)``, one transaction, a savepoint per row, the instance loader
looking up each row's employment by its import id (person, unit, start date), diffs on,
``clean_model_instances`` on (``full_clean()`` of each employment, its unique constraint included).

The person is created or updated in ``before_import_row``, as the import-export documentation
shows for related objects: the ID number and mobile are checked with the project's validators and
set on the model, whose ``save()`` encrypts them and computes their blind indexes; a ``ForeignKey``
widget then finds the person by the ID number's blind index. The unit is found by a
``ForeignKeyWidget`` on its credit code; choice columns by label (or the usual aliases). A member
who discloses gets the follow-up, through the project's own service, in ``after_save_instance``.
"""

from django.utils import translation
from import_export import fields, resources, widgets

from dangjian.core.crypto import blind_index
from dangjian.core.validators import gender_from_id_number, validate_id_number, validate_mobile
from dangjian.people.models import Employment, Person
from dangjian.people.services import follow_up_for_disclosure
from dangjian.people.sheets import REGISTRATION_SHEET
from dangjian.units.models import Unit

MEMBER_STATUSES = (Person.PoliticalStatus.FULL_MEMBER, Person.PoliticalStatus.PROBATIONARY_MEMBER)
PERSON_COLUMNS = {
    "name": "姓名",
    "ethnicity": "民族",
    "education": "学历",
    "household_registration": "户籍地",
    "residence": "现居住地址",
}


def _words(key: str) -> dict[str, str]:
    """A choice column's words (labels and aliases, as written in sheets) -> stored value."""
    column = REGISTRATION_SHEET.column(key)
    with translation.override("zh-hans"):
        words = {label: value for value, label in column.labelled_choices()}
    words.update({word: value for value, word in column.choice_aliases})
    return words


class ChoiceWidget(widgets.Widget):
    def __init__(self, words: dict[str, str], default=None):
        super().__init__()
        self.words, self.default = words, default

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return self.default
        try:
            return self.words[str(value).strip()]
        except KeyError:
            raise ValueError(f"未知的选项：{value}") from None


class PersonWidget(widgets.ForeignKeyWidget):
    """The person whose ID number is in the cell, found by the number's blind index."""

    def __init__(self):
        super().__init__(Person)

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {"id_number_index": blind_index(validate_id_number(value), "id_number")}


class RegistrationResource(resources.ModelResource):
    person = fields.Field(attribute="person", column_name="身份证号", widget=PersonWidget())
    unit = fields.Field(
        attribute="unit", column_name="统一社会信用代码", widget=widgets.ForeignKeyWidget(Unit, field="uscc")
    )
    job_type = fields.Field(
        attribute="job_type", column_name="岗位类型", widget=ChoiceWidget(_words("job_type"))
    )
    full_time = fields.Field(
        attribute="full_time",
        column_name="用工形式",
        widget=ChoiceWidget({w: v == "full_time" for w, v in _words("employment_form").items()}, True),
    )
    start_date = fields.Field(attribute="start_date", column_name="入职日期", widget=widgets.DateWidget())
    end_date = fields.Field(attribute="end_date", column_name="离职日期", widget=widgets.DateWidget())

    statuses = _words("political_status")

    class Meta:
        model = Employment
        fields = ("person", "unit", "job_type", "full_time", "start_date", "end_date")
        import_id_fields = ("person", "unit", "start_date")
        clean_model_instances = True

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.disclosed: set[int] = set()

    def before_import_row(self, row, **kwargs):
        """Create the row's person, or update their details; what a registration does first."""
        id_number = validate_id_number(row["身份证号"])
        mobile = validate_mobile(row["手机号码"]) if row["手机号码"] else ""
        status = self.statuses.get(row["政治面貌"] or "", Person.PoliticalStatus.UNDISCLOSED)
        details = {field: row[column] or "" for field, column in PERSON_COLUMNS.items()}
        person, created = Person.objects.get_or_create(
            id_number_index=blind_index(id_number, "id_number"),
            defaults={
                "id_number": id_number,
                "mobile": mobile,
                "political_status": status,
                "gender": gender_from_id_number(id_number),
                **details,
            },
        )
        if not created:
            changed = {k: v for k, v in details.items() if v and getattr(person, k) != v}
            if mobile and person.mobile != mobile:
                changed["mobile"] = mobile
            if status != Person.PoliticalStatus.UNDISCLOSED and status != person.political_status:
                changed["political_status"] = status
            for name, value in changed.items():
                setattr(person, name, value)
            if changed:
                person.save()
        if person.political_status in MEMBER_STATUSES:
            self.disclosed.add(person.pk)

    def after_save_instance(self, instance, row, **kwargs):
        if instance.person_id in self.disclosed:
            follow_up_for_disclosure(person=instance.person, unit=instance.unit, actor=self.user)
