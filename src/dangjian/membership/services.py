"""Writes of the development pipeline (发展党员): applications and dated steps.

Each write checks the step against the pipeline's order and the rule table
(``membership.rules``) as it applies to the developing organization, then records it with
``save_tracked`` in one transaction. A step that breaks an active rule is refused
(``StepRefused``, with the rule's name and the dates); a district administrator may record it all
the same with a reason, which is kept on the step and in the audit trail.

The branch general meeting's vote admits a probationary member: it uses one unit of the
development quota (``membership.quotas.use_quota``) in the same transaction, so no quota, no
admission. Admission and full membership update the person's political status and organization.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can_see, scope_of, sees_party_member_names
from dangjian.core.audit import record_event, save_tracked
from dangjian.core.validators import birth_date_from_id_number
from dangjian.membership import rules
from dangjian.membership.models import (
    DevelopmentRecord,
    DevelopmentRule,
    DevelopmentRuleOverride,
    DevelopmentStep,
)
from dangjian.organizations.models import Organization
from dangjian.people.models import Person

Kind = DevelopmentStep.Kind
Stage = DevelopmentRecord.Stage

# The organizations that develop members: those in the units, not the leading bodies.
DEVELOPING_KINDS = (
    Organization.Kind.BRANCH,
    Organization.Kind.GENERAL_BRANCH,
    Organization.Kind.COMMITTEE,
)


class StepRefused(ValidationError):
    """A step refused. ``problems``: the pipeline's order (never overridden); ``violations``: the
    rule table's rules broken (a district administrator may override them with a reason);
    ``overridable``: whether the actor may do so."""

    def __init__(self, *, problems=(), violations=(), overridable: bool = False):
        self.problems = tuple(problems)
        self.violations = tuple(violations)
        self.overridable = overridable and not self.problems and bool(self.violations)
        super().__init__([*self.problems, *(v.message for v in self.violations)])


# --- who may do what ------------------------------------------------------------------------------


def may_manage(user, organization: Organization) -> bool:
    """Party-work roles answering for the organization record its members' development: the
    district, the street of the organization, committee staff and secretaries of its tree."""
    if not sees_party_member_names(user):
        return False
    scope = scope_of(user)
    if scope.everything:
        return True
    if organization.street_id is not None and organization.street_id in scope.street_ids:
        return True
    return any(organization.path.startswith(path) for path in scope.organization_paths)


def may_manage_record(user, record: DevelopmentRecord) -> bool:
    # Nobody records their own development.
    return (
        may_manage(user, record.organization)
        and record.person_id not in scope_of(user).person_ids
        and (record.person.user_id is None or record.person.user_id != user.pk)
    )


def may_override(user) -> bool:
    """Only a district administrator may record a step that breaks a rule of the table."""
    return scope_of(user).everything


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied(_("You may not record the development of this person."))


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


# --- the rules as they apply to one organization ------------------------------------------------


def _path_ids(organization: Organization) -> list[int]:
    return [int(part) for part in organization.path.strip("/").split("/") if part]


def rules_for(organization: Organization) -> list[rules.RuleSpec]:
    """The development rules active for ``organization``: the district's table, each rule
    replaced by the override of the nearest organization at or above it that has one."""
    return rules_for_many([organization])[organization.pk]


def rules_for_many(organizations) -> dict[int, list[rules.RuleSpec]]:
    """{organization id: its active rules} for many organizations, in two queries."""
    table = list(DevelopmentRule.objects.all())
    paths = {o.pk: _path_ids(o) for o in organizations}
    overrides: dict[int, dict[int, DevelopmentRuleOverride]] = {}  # organization -> rule -> override
    wanted = {pk for ids in paths.values() for pk in ids}
    for override in DevelopmentRuleOverride.objects.filter(organization_id__in=wanted):
        overrides.setdefault(override.organization_id, {})[override.rule_id] = override
    result = {}
    for pk, ids in paths.items():
        nearest: dict[int, DevelopmentRuleOverride] = {}
        for org_id in ids:  # root first: deeper organizations overwrite
            nearest.update(overrides.get(org_id, {}))
        result[pk] = [spec for rule in table if (spec := _spec(rule, nearest.get(rule.pk))) is not None]
    return result


def _spec(rule: DevelopmentRule, override: DevelopmentRuleOverride | None) -> rules.RuleSpec | None:
    enabled, low, high = rule.enabled, rule.min_value, rule.max_value
    if override is not None:
        enabled = override.enabled
        low = override.min_value if override.min_value is not None else low
        high = override.max_value if override.max_value is not None else high
    if not enabled:
        return None
    return rules.RuleSpec(
        key=rule.key,
        name=rule.name,
        kind=rule.kind,
        from_step=rule.from_step,
        to_step=rule.to_step,
        min_value=low,
        max_value=high,
        unit=rule.unit,
        source=rule.source,
    )


def birth_date_of(person: Person) -> datetime.date | None:
    if not person.id_number:
        return None
    try:
        return birth_date_from_id_number(person.id_number)
    except ValidationError:
        return None


def candidate_of(record: DevelopmentRecord) -> rules.Candidate:
    steps = tuple(
        rules.PastStep(kind=kind, on=on, months=months)
        for kind, on, months in record.steps.values_list("kind", "on", "months")
    )
    return rules.Candidate(
        person_pk=record.person_id,
        stage=record.stage,
        stage_since=record.stage_since,
        birth_date=birth_date_of(record.person),
        steps=steps,
    )


def _members(people) -> tuple[rules.Member, ...]:
    return tuple(rules.Member(pk=p.pk, name=p.name, political_status=p.political_status) for p in people)


def _decide(decision: rules.Decision, *, actor, override_reason: str) -> list[dict]:
    """The rules overridden (empty when none was broken), or StepRefused."""
    if decision.problems:
        raise StepRefused(problems=decision.problems)
    if not decision.violations:
        return []
    if not may_override(actor):
        raise StepRefused(violations=decision.violations)
    if not (override_reason or "").strip():
        raise StepRefused(violations=decision.violations, overridable=True)
    return [{"rule": v.rule, "message": v.message} for v in decision.violations]


def _save_step(
    step: DevelopmentStep, *, actor, overridden: list[dict], override_reason: str, people=()
) -> None:
    step.recorded_by = _user(actor)
    if overridden:
        step.overridden_rules = overridden
        step.override_reason = override_reason.strip()
        step.overridden_by = _user(actor)
    save_tracked(step, actor=actor)
    if people:
        step.people.set(people)
        record_event(
            actor=actor,
            action="updated",
            obj=step,
            changes={"people": ["", "、".join(p.name for p in people)]},
        )
    if overridden:
        # The override on the record's own timeline too: who set which rule aside, and why.
        record_event(
            actor=actor,
            action="development_rule_overridden",
            obj=step.record,
            changes={
                "overridden_rules": ["", "；".join(item["message"] for item in overridden)],
                "override_reason": ["", step.override_reason],
            },
        )


def _set_political_status(person: Person, status: str, organization: Organization | None, *, actor) -> None:
    person.political_status = status
    person.party_organization = organization
    if _user(actor) is not None:
        person._history_user = actor
    save_tracked(person, actor=actor)


# --- writes ----------------------------------------------------------------------------------------


def find_applicant(*, actor, id_number: str, name: str) -> Person:
    """The one record of the person with this ID number, created when there is none.

    An existing record is never renamed from here: if its name differs, the number or the name
    was mistyped (the message does not say whose number it is)."""
    from dangjian.core.validators import validate_id_number
    from dangjian.people.services import find_or_create_person, find_person

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the person's name.")})
    try:
        id_number = validate_id_number(id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    person = find_person(id_number)
    if person is None:
        return find_or_create_person(actor=actor, id_number=id_number, name=name)
    if person.name != name:
        raise ValidationError(
            {"name": _("This ID number is on record under another name. Check the name and the number.")}
        )
    return person


def start_application(
    *,
    actor,
    organization: Organization,
    person: Person,
    applied_on: datetime.date,
    notes: str = "",
    override_reason: str = "",
    today: datetime.date | None = None,
) -> DevelopmentRecord:
    """Record an application for membership (入党申请): opens the person's development record."""
    _require(actor is None or may_manage(actor, organization))
    if actor is not None and person.pk in scope_of(actor).person_ids:
        _require(False)
    if organization.kind not in DEVELOPING_KINDS:
        raise ValidationError(
            _("Members are developed by branches, general branches and committees in the units.")
        )
    today = today or timezone.localdate()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if (
            DevelopmentRecord.objects.filter(person=person)
            .exclude(stage__in=[Stage.CANCELLED, Stage.WITHDRAWN])
            .exists()
        ):
            raise StepRefused(problems=[_("This person already has a development record.")])
        decision = rules.check_application(
            birth_date=birth_date_of(person),
            applied_on=applied_on,
            political_status=person.political_status,
            rules=rules_for(organization),
            today=today,
            person_pk=person.pk,
        )
        overridden = _decide(decision, actor=actor, override_reason=override_reason)
        record = DevelopmentRecord(
            person=person,
            organization=organization,
            stage=Stage.APPLICANT,
            stage_since=applied_on,
            applied_on=applied_on,
        )
        if _user(actor) is not None:
            record._history_user = actor
        try:
            with transaction.atomic():
                save_tracked(record, actor=actor)
        except IntegrityError:  # a second application at the same moment
            raise StepRefused(problems=[_("This person already has a development record.")]) from None
        step = DevelopmentStep(
            record=record, kind=Kind.APPLICATION, on=applied_on, notes=(notes or "").strip()
        )
        _save_step(step, actor=actor, overridden=overridden, override_reason=override_reason)
    return record


def record_step(
    *,
    actor,
    record: DevelopmentRecord,
    kind: str,
    on: datetime.date,
    hours: int | None = None,
    days: int | None = None,
    months: int | None = None,
    people=(),
    notes: str = "",
    override_reason: str = "",
    today: datetime.date | None = None,
) -> DevelopmentStep:
    """Record one dated step of a development record, moving it to the next stage where the
    step does so. The vote uses a unit of the quota; admission, full membership and cancellation
    update the person's political status and organization."""
    if actor is not None:
        _require(may_manage_record(actor, record))
    if kind == Kind.APPLICATION:
        raise ValidationError(_("An application opens a new record."))
    if kind == Kind.PROBATION_START:
        raise ValidationError(_("The probation starts with the branch general meeting's vote."))
    today = today or timezone.localdate()
    people = list(people)
    with transaction.atomic():
        record = (
            DevelopmentRecord.objects.select_for_update()
            .select_related("person", "organization")
            .get(pk=record.pk)
        )
        proposal = rules.Proposal(
            kind=kind, on=on, hours=hours, days=days, months=months, people=_members(people)
        )
        decision = rules.check_step(
            candidate_of(record), proposal, rules_for(record.organization), today=today
        )
        overridden = _decide(decision, actor=actor, override_reason=override_reason)

        step = DevelopmentStep(
            record=record,
            kind=kind,
            on=on,
            hours=hours,
            days=days,
            months=months,
            notes=(notes or "").strip(),
        )
        _save_step(step, actor=actor, overridden=overridden, override_reason=override_reason, people=people)

        person = Person.objects.select_for_update().get(pk=record.person_id)
        if kind == Kind.VOTE:
            _admit(record, person, on=on, actor=actor)
        elif kind == Kind.FULL_MEMBERSHIP:
            _set_political_status(
                person, Person.PoliticalStatus.FULL_MEMBER, record.organization, actor=actor
            )
        elif kind == Kind.CANCELLATION:
            restored = record.status_before_admission or Person.PoliticalStatus.MASSES
            organization = (
                person.party_organization if person.party_organization_id != record.organization_id else None
            )
            _set_political_status(person, restored, organization, actor=actor)

        stage = rules.next_stage(record.stage, kind)
        if stage != record.stage:
            record.stage = stage
            record.stage_since = on
            if _user(actor) is not None:
                record._history_user = actor
            save_tracked(record, actor=actor)
    return step


def _admit(record: DevelopmentRecord, person: Person, *, on: datetime.date, actor) -> None:
    """The branch general meeting admits a probationary member: one unit of the quota (raises
    when none is left, undoing the whole step), the probation's start, the person's status."""
    from dangjian.membership.quotas import use_quota

    use_quota(organization=record.organization, year=on.year, person=person, actor=actor, used_on=on)
    start = DevelopmentStep(
        record=record,
        kind=Kind.PROBATION_START,
        on=on,
        notes=_("The probation runs from the day of the branch general meeting's vote."),
    )
    _save_step(start, actor=actor, overridden=[], override_reason="")
    record.status_before_admission = person.political_status
    _set_political_status(
        person, Person.PoliticalStatus.PROBATIONARY_MEMBER, record.organization, actor=actor
    )


def developing_organizations(user):
    """The organizations the user may open applications for."""
    from dangjian.accounts.scope import visible_to

    organizations = visible_to(user, Organization.objects.filter(kind__in=DEVELOPING_KINDS)).exclude(
        status=Organization.Status.DISSOLVED
    )
    return [o for o in organizations.order_by("path") if may_manage(user, o)]


def can_open(user, organization: Organization) -> bool:
    return (
        organization.kind in DEVELOPING_KINDS
        and can_see(user, organization)
        and may_manage(user, organization)
    )
