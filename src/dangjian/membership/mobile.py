"""Mobile party members (流动党员): one affiliation, organizational life in several.

* The affiliation (隶属) is the person's ``party_organization``; a member whose relation is outside
  the district has none here and ``MobileMember.outside_affiliation`` names it.
* ``Participation``: the organizations whose life the member takes part in meanwhile. A holder of
  the mobile member certificate (流动党员活动证) takes part and pays dues there but does not vote or
  stand for election there (shown wherever participations are listed).
* Flags, from rule-table values (``core/rules.py``, national defaults 6 months, 党员教育管理工作条例
  2019): at a fixed place for the transfer period or longer -> "transfer the relation"; no
  contact with the affiliated organization for the contact period or longer -> "out of contact".
  The last contact is ``last_contact_on``, or the day they went away if none is recorded.
* A worker who disclosed membership at entry registration (people.DisclosureFollowUp) is matched
  to their record by person: ``bring_in`` closes the follow-up and records the participation (or
  the affiliation) in one transaction; a follow-up closed the plain way records the participation
  of a known mobile member too (``on_follow_up_closed``, run by the people app's signal).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import sees_party_member_names, visible_to
from dangjian.core.audit import save_tracked
from dangjian.core.rules import rule_value
from dangjian.membership.models import MobileMember, Participation
from dangjian.people.models import DisclosureFollowUp, Person

TRANSFER_RULE = "mobile-member-transfer-months"
CONTACT_RULE = "mobile-member-out-of-contact-months"
MEMBER_STATUSES = (Person.PoliticalStatus.FULL_MEMBER, Person.PoliticalStatus.PROBATIONARY_MEMBER)

TRANSFER = "transfer"
OUT_OF_CONTACT = "out_of_contact"
FLAG_LABELS = {
    TRANSFER: gettext_lazy("Away %(months)s+ months at a fixed place: transfer the organization relation"),
    OUT_OF_CONTACT: gettext_lazy("Out of contact for %(months)s+ months"),
}


# --- the rules (pure) -----------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole calendar months (negative: back), clamped to the month's end:
    31 August minus 6 months is 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Thresholds:
    """The rule table's months; None: that rule is switched off (no flag)."""

    transfer_months: int | None
    contact_months: int | None

    @classmethod
    def current(cls) -> "Thresholds":
        return cls(rule_value(TRANSFER_RULE), rule_value(CONTACT_RULE))


def last_contact(member) -> datetime.date | None:
    return member.last_contact_on or member.away_since


def transfer_due(member, *, today: datetime.date, months: int | None) -> bool:
    """At a fixed place for ``months`` or longer (and still mobile): transfer the relation."""
    if months is None or member.ended_on is not None:
        return False
    if not (member.stay_place or "").strip() or member.stay_since is None:
        return False
    return member.stay_since <= add_months(today, -months)


def out_of_contact(member, *, today: datetime.date, months: int | None) -> bool:
    """No contact with the affiliated organization for ``months`` or longer (and still mobile)."""
    if months is None or member.ended_on is not None:
        return False
    contact = last_contact(member)
    return contact is not None and contact <= add_months(today, -months)


def flags_for(member, *, today: datetime.date, thresholds: Thresholds) -> list[str]:
    flags = []
    if transfer_due(member, today=today, months=thresholds.transfer_months):
        flags.append(TRANSFER)
    if out_of_contact(member, today=today, months=thresholds.contact_months):
        flags.append(OUT_OF_CONTACT)
    return flags


def flag_text(flag: str, thresholds: Thresholds) -> str:
    months = thresholds.transfer_months if flag == TRANSFER else thresholds.contact_months
    return str(FLAG_LABELS[flag]) % {"months": months}


def flag_conditions(*, today: datetime.date, thresholds: Thresholds) -> dict[str, Q]:
    """The same rules as conditions on MobileMember rows, for lists filtered and counted in SQL."""
    still_mobile = Q(ended_on__isnull=True)
    conditions = {TRANSFER: Q(pk__in=[]), OUT_OF_CONTACT: Q(pk__in=[])}
    if thresholds.transfer_months is not None:
        conditions[TRANSFER] = (
            still_mobile
            & ~Q(stay_place="")
            & Q(stay_since__lte=add_months(today, -thresholds.transfer_months))
        )
    if thresholds.contact_months is not None:
        conditions[OUT_OF_CONTACT] = still_mobile & Q(
            contact_on__lte=add_months(today, -thresholds.contact_months)
        )
    return conditions


def with_contact(members):
    return members.annotate(contact_on=Coalesce("last_contact_on", "away_since"))


def rights_label(member) -> str:
    """What a member may do in an organization they take part in but do not belong to: never vote
    or stand there; a certificate holder pays dues there too."""
    if (member.certificate_number or "").strip():
        return _(
            "Certificate holder: takes part and pays dues here; does not vote or stand for election here."
        )
    return _("Takes part in organizational life here; does not vote or stand for election here.")


# --- who may change records -----------------------------------------------------------------------


def may_manage(user) -> bool:
    """Mobile members are party work: district, street/town and organization staff."""
    return sees_party_member_names(user)


def _require(user):
    if user is not None and not may_manage(user):
        raise PermissionDenied(_("Only party-work staff manage mobile party members."))


# --- writes ---------------------------------------------------------------------------------------

MOBILE_FIELDS = (
    "outside_affiliation",
    "certificate_number",
    "away_since",
    "stay_place",
    "stay_since",
    "last_contact_on",
    "note",
)


def save_mobile_member(
    *, actor, person: Person, member: MobileMember | None = None, **fields
) -> MobileMember:
    """Create or update the mobile-member record of ``person`` (a full or probationary member)."""
    unknown = set(fields) - set(MOBILE_FIELDS) - {"ended_on", "end_reason"}
    if unknown:
        raise TypeError(f"not mobile-member fields: {sorted(unknown)}")
    _require(actor)
    if person.political_status not in MEMBER_STATUSES:
        raise ValidationError(_("Only full and probationary party members are recorded as mobile members."))
    today = timezone.localdate()
    for name in ("away_since", "stay_since", "last_contact_on", "ended_on"):
        if fields.get(name) and fields[name] > today:
            raise ValidationError({name: _("The date cannot be later than today.")})
    with transaction.atomic():
        if member is None:
            member = MobileMember.objects.select_for_update().filter(person=person).first() or MobileMember(
                person=person
            )
        for name, value in fields.items():
            setattr(member, name, value.strip() if isinstance(value, str) else value)
        if person.party_organization_id and member.outside_affiliation:
            raise ValidationError(
                {
                    "outside_affiliation": _(
                        "The member already belongs to %(organization)s in the district."
                    )
                    % {"organization": person.party_organization}
                }
            )
        if actor is not None and actor.is_authenticated:
            member._history_user = actor
        save_tracked(member, actor=actor)
    return member


def record_contact(*, actor, member: MobileMember, day: datetime.date) -> MobileMember:
    """The affiliated organization reached the member on ``day``."""
    if day > timezone.localdate():
        raise ValidationError({"last_contact_on": _("The date cannot be later than today.")})
    if member.last_contact_on and day <= member.last_contact_on:
        return member
    return save_mobile_member(actor=actor, person=member.person, member=member, last_contact_on=day)


def add_participation(
    *,
    actor,
    member: MobileMember,
    organization,
    start_date: datetime.date,
    follow_up: DisclosureFollowUp | None = None,
) -> Participation:
    """Record that the member takes part in ``organization``'s life from ``start_date``."""
    _require(actor)
    if start_date > timezone.localdate():
        raise ValidationError({"start_date": _("The date cannot be later than today.")})
    with transaction.atomic():
        running = Participation.objects.select_for_update().filter(
            mobile_member=member, organization=organization, end_date__isnull=True
        )
        if running.exists():
            raise ValidationError(_("The member already takes part in this organization's life."))
        participation = Participation(
            mobile_member=member, organization=organization, start_date=start_date, follow_up=follow_up
        )
        if actor is not None and actor.is_authenticated:
            participation._history_user = actor
        save_tracked(participation, actor=actor)
    return participation


def end_participation(*, actor, participation: Participation, end_date: datetime.date) -> Participation:
    _require(actor)
    if participation.end_date is not None:
        raise ValidationError(_("This participation has already ended."))
    if end_date < participation.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    if end_date > timezone.localdate():
        raise ValidationError({"end_date": _("The date cannot be later than today.")})
    participation.end_date = end_date
    if actor is not None and actor.is_authenticated:
        participation._history_user = actor
    save_tracked(participation, actor=actor)
    return participation


# --- matching a disclosure at entry registration ---------------------------------------------------

BRING_IN_PARTICIPATION = "participation"
BRING_IN_AFFILIATION = "affiliation"


def bring_in(
    *,
    actor,
    follow_up: DisclosureFollowUp,
    organization,
    how: str,
    note: str,
    away_since: datetime.date | None = None,
    outside_affiliation: str = "",
    certificate_number: str = "",
) -> DisclosureFollowUp:
    """Bring a worker who disclosed membership into ``organization``'s life and close the
    follow-up, all or nothing:

    * ``participation``: the member keeps their affiliation (elsewhere in or outside the district)
      and takes part here: matched to their mobile-member record (created if there is none);
    * ``affiliation``: the organization relation was transferred here: ``party_organization`` is
      set, and a mobile-member record of theirs ends (the relation followed them).
    """
    from dangjian.people.services import close_follow_up

    _require(actor)
    person = follow_up.person
    today = timezone.localdate()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.political_status not in MEMBER_STATUSES:
            raise ValidationError(
                _("Only full and probationary party members are brought into organizational life.")
            )
        member = MobileMember.objects.select_for_update().filter(person=person).first()
        if how == BRING_IN_AFFILIATION:
            if person.party_organization_id and person.party_organization_id != organization.pk:
                raise ValidationError(
                    _(
                        "%(name)s already belongs to %(organization)s: record a participation, or "
                        "transfer the relation there first."
                    )
                    % {"name": person.name, "organization": person.party_organization}
                )
            person.party_organization = organization
            if actor is not None and actor.is_authenticated:
                person._history_user = actor
            save_tracked(person, actor=actor)
            if member is not None and member.ended_on is None:
                save_mobile_member(
                    actor=actor,
                    person=person,
                    member=member,
                    outside_affiliation="",
                    ended_on=max(today, member.away_since),
                    end_reason=MobileMember.EndReason.TRANSFERRED,
                )
        elif how == BRING_IN_PARTICIPATION:
            if person.party_organization_id == organization.pk:
                raise ValidationError(
                    _("%(name)s already belongs to this organization.") % {"name": person.name}
                )
            if member is None:
                member = save_mobile_member(
                    actor=actor,
                    person=person,
                    away_since=away_since or follow_up.created_at.date(),
                    outside_affiliation="" if person.party_organization_id else outside_affiliation,
                    certificate_number=certificate_number,
                    last_contact_on=today,
                )
            else:
                changes = {"last_contact_on": today}
                if certificate_number:
                    changes["certificate_number"] = certificate_number
                member = save_mobile_member(actor=actor, person=person, member=member, **changes)
            if not Participation.objects.filter(
                mobile_member=member, organization=organization, end_date__isnull=True
            ).exists():
                add_participation(
                    actor=actor,
                    member=member,
                    organization=organization,
                    start_date=today,
                    follow_up=follow_up,
                )
        else:
            raise ValueError(f"unknown way of bringing in: {how!r}")
        follow_up = close_follow_up(actor=actor, follow_up=follow_up, note=note)
    return follow_up


def on_follow_up_closed(*, follow_up: DisclosureFollowUp, actor, **kwargs) -> Participation | None:
    """A follow-up was closed (inside its transaction): a known mobile member now takes part in
    the responsible organization's life. Nothing for people with no mobile-member record (whether
    they are mobile is for the organization to say, through ``bring_in``), for follow-ups answered
    by a street, or when the organization is their own or they already take part there."""
    if follow_up.organization_id is None:
        return None
    member = (
        MobileMember.objects.filter(person_id=follow_up.person_id, ended_on__isnull=True)
        .select_related("person")
        .first()
    )
    if member is None or member.person.party_organization_id == follow_up.organization_id:
        return None
    if Participation.objects.filter(
        mobile_member=member, organization_id=follow_up.organization_id, end_date__isnull=True
    ).exists():
        return None
    participation = Participation(
        mobile_member=member,
        organization_id=follow_up.organization_id,
        start_date=timezone.localdate(),
        follow_up=follow_up,
    )
    if actor is not None and actor.is_authenticated:
        participation._history_user = actor
    save_tracked(participation, actor=actor)
    return participation


def _on_follow_up_closed(sender, **kwargs):
    on_follow_up_closed(**kwargs)


# --- reads ----------------------------------------------------------------------------------------


def visible_mobile_members(user):
    return visible_to(user, MobileMember.objects.all())


def mobile_member_list(user, *, today: datetime.date, text: str = "", flag: str = "", state: str = "active"):
    """The mobile members the user may see, each with ``contact_on`` and the two flags as
    booleans (``flag_transfer``, ``flag_out_of_contact``), computed in SQL."""
    from django.db.models import BooleanField, Case, Value, When

    thresholds = Thresholds.current()
    conditions = flag_conditions(today=today, thresholds=thresholds)
    members = with_contact(visible_mobile_members(user)).select_related(
        "person", "person__party_organization"
    )
    members = members.annotate(
        flag_transfer=Case(
            When(conditions[TRANSFER], then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        flag_out_of_contact=Case(
            When(conditions[OUT_OF_CONTACT], then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        open_follow_up=Exists(
            DisclosureFollowUp.objects.filter(
                person_id=OuterRef("person_id"), status=DisclosureFollowUp.Status.OPEN
            )
        ),
    )
    if state == "active":
        members = members.filter(ended_on__isnull=True)
    elif state == "ended":
        members = members.filter(ended_on__isnull=False)
    if text:
        members = members.filter(Q(person__name__icontains=text) | Q(stay_place__icontains=text))
    if flag in conditions:
        members = members.filter(conditions[flag])
    elif flag == "any":
        members = members.filter(conditions[TRANSFER] | conditions[OUT_OF_CONTACT])
    return members.order_by("person__name", "pk")


def flag_counts(user, *, today: datetime.date) -> dict:
    from django.db.models import Count

    conditions = flag_conditions(today=today, thresholds=Thresholds.current())
    return with_contact(visible_mobile_members(user)).aggregate(
        active=Count("pk", filter=Q(ended_on__isnull=True)),
        transfer=Count("pk", filter=conditions[TRANSFER]),
        out_of_contact=Count("pk", filter=conditions[OUT_OF_CONTACT]),
    )


def mobile_member_detail(user, pk: int) -> MobileMember:
    return get_object_or_404(
        visible_mobile_members(user).select_related("person", "person__party_organization"), pk=pk
    )


def participations_of(user, member: MobileMember):
    return visible_to(user, Participation.objects.filter(mobile_member=member)).select_related(
        "organization", "follow_up"
    )


def participation_detail(user, pk: int) -> Participation:
    return get_object_or_404(
        visible_to(user, Participation.objects.select_related("mobile_member__person", "organization")), pk=pk
    )


def organizations_for_participation(user):
    """Organizations the user may see and record participations in: active ones that hold
    organizational life (branches, general branches, committees, groups)."""
    from dangjian.organizations.models import Organization

    return (
        visible_to(user, Organization.objects.all())
        .exclude(status=Organization.Status.DISSOLVED)
        .exclude(kind__in=Organization.LEADING_KINDS)
        .order_by("path")
    )


def follow_ups_to_match(user):
    """Open disclosure follow-ups the user answers for, each with its person's mobile-member
    record if there is one (``mobile_member_pk``), so the matching is visible before closing."""
    from django.db.models import Subquery

    from dangjian.people.queries import closable_follow_ups

    records = MobileMember.objects.filter(person_id=OuterRef("person_id")).values("pk")[:1]
    return (
        closable_follow_ups(user)
        .select_related("person", "unit", "organization", "street")
        .annotate(mobile_member_pk=Subquery(records))
        .order_by("due_on", "pk")
    )


def find_member_by_id_number(user, id_number: str) -> Person | None:
    """The visible person with this ID number (blind-index look-up, never by name)."""
    from dangjian.core.crypto import blind_index

    return visible_to(
        user, Person.objects.filter(id_number_index=blind_index(id_number, "id_number"))
    ).first()
