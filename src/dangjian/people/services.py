"""Writes about people: entry registration (入职登记) and the follow-up of a disclosed membership.

One person is one record, matched by the blind index of the ID number, whatever the channel: a
worker on the phone form, a member of staff, or the liaison's spreadsheet (``people/imports.py``,
which works in bulk but follows the same rules through the helpers below):

* a person is found by ``find_person`` (the ID number's blind index), never by name;
* an empty or "not disclosed" political status never erases a disclosed one
  (``merged_political_status``);
* one employment is one (person, unit, start date);
* a current employment with a disclosed full or probationary membership opens one follow-up for
  the organization covering the unit, or, with none, the unit's street (``follow_up_for_disclosure``).
"""

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import Role, RoleAssignment, User
from dangjian.core.audit import record_event, save_tracked
from dangjian.core.crypto import blind_index
from dangjian.core.rules import RULES, rule_value
from dangjian.core.validators import gender_from_id_number, validate_id_number, validate_mobile
from dangjian.organizations.models import Organization
from dangjian.people.models import DisclosureFollowUp, Employment, Person

FOLLOW_UP_RULE = "disclosure-follow-up-days"
MEMBER_STATUSES = (Person.PoliticalStatus.FULL_MEMBER, Person.PoliticalStatus.PROBATIONARY_MEMBER)
PERSON_DETAILS = ("ethnicity", "education", "household_registration", "residence")


@dataclass
class Registration:
    person: Person
    employment: Employment
    person_created: bool
    employment_created: bool
    user: User | None = None
    follow_up: DisclosureFollowUp | None = None


# --- the rules every channel follows ------------------------------------------------------------


def find_person(id_number: str, *, lock: bool = False) -> Person | None:
    """The one record of the person with this (valid, normalized) ID number, if there is one."""
    people = Person.objects.filter(id_number_index=blind_index(id_number, "id_number"))
    if lock:
        people = people.select_for_update()
    return people.first()


def merged_political_status(stored: str, given: str | None) -> str:
    """What to keep when a registration states ``given`` for someone on record as ``stored``.

    A blank or "not disclosed" answer never turns a disclosed status back into "not disclosed"
    (the form's default must not silently erase what an organization recorded); any other
    answer is the person's own statement and is kept, audited like every change."""
    if not given or given == Person.PoliticalStatus.UNDISCLOSED:
        return stored
    return given


def responsible_for(unit) -> tuple[Organization | None, object | None]:
    """(organization, street) answering for members who disclose at ``unit``.

    The nearest active organization covering the unit (the deepest in the tree, e.g. its branch
    rather than a committee above it); with none, the street or town where the unit sits
    (territorial, fallback responsibility)."""
    organization = (
        Organization.objects.filter(covered_units=unit, status=Organization.Status.ACTIVE)
        .order_by(Length("path").desc(), "pk")
        .first()
    )
    if organization is not None:
        return organization, None
    return None, unit.street


def follow_up_days() -> int:
    """The rule table's time limit; switched off, the follow-up still opens with the default."""
    days = rule_value(FOLLOW_UP_RULE)
    if days is None:
        days = next(rule.default for rule in RULES if rule.key == FOLLOW_UP_RULE)
    return days


def follow_up_for_disclosure(*, person: Person, unit, actor=None) -> DisclosureFollowUp:
    """Open the follow-up for a disclosed membership at a unit, or return the one already open."""
    with transaction.atomic():
        existing = DisclosureFollowUp.objects.filter(
            person=person, unit=unit, status=DisclosureFollowUp.Status.OPEN
        ).first()
        if existing is not None:
            return existing
        organization, street = responsible_for(unit)
        follow_up = DisclosureFollowUp(
            person=person,
            unit=unit,
            organization=organization,
            street=street,
            due_on=timezone.localdate() + datetime.timedelta(days=follow_up_days()),
        )
        save_tracked(follow_up, actor=actor)
    return follow_up


# --- registering --------------------------------------------------------------------------------


def _clean_identifiers(id_number: str, mobile: str | None) -> tuple[str, str]:
    errors = {}
    try:
        id_number = validate_id_number(id_number)
    except ValidationError as error:
        errors["id_number"] = error.messages
    try:
        mobile = validate_mobile(mobile) if mobile else ""
    except ValidationError as error:
        errors["mobile"] = error.messages
    if errors:
        raise ValidationError(errors)
    return id_number, mobile


def record_registration(
    *,
    actor,
    id_number: str,
    unit,
    job_type: str,
    start_date: datetime.date,
    name: str = "",
    mobile: str = "",
    full_time: bool = True,
    end_date: datetime.date | None = None,
    political_status: str | None = None,
    **details,
) -> Registration:
    """Register one person at one unit: find or create the person, record the employment, and
    open the follow-up of a disclosed membership. No account is made here (see register_worker).

    ``id_number`` and ``mobile`` must already be valid and normalized; ``details`` are the
    optional person fields (ethnicity, education, household registration, residence)."""
    unknown = set(details) - set(PERSON_DETAILS)
    if unknown:
        raise TypeError(f"unexpected person fields: {sorted(unknown)}")
    if start_date > timezone.localdate():
        raise ValidationError({"start_date": _("The start date cannot be later than today.")})
    with transaction.atomic():
        person = find_person(id_number, lock=True)
        person_created = person is None
        if person_created:
            person = Person(id_number=id_number, political_status=Person.PoliticalStatus.UNDISCLOSED)
        if name:
            person.name = name
        if mobile:
            person.mobile = mobile
        if not person.gender:
            person.gender = gender_from_id_number(id_number)
        for field, value in details.items():
            if value:  # a blank answer never erases what is on record
                setattr(person, field, value)
        person.political_status = merged_political_status(person.political_status, political_status)
        try:
            with transaction.atomic():
                save_tracked(person, actor=actor)
        except IntegrityError:
            # Someone registered the same ID number at this very moment.
            raise ValidationError(
                {"id_number": _("This ID number was registered a moment ago. Please try again.")}
            ) from None

        employment = Employment.objects.filter(person=person, unit=unit, start_date=start_date).first()
        employment_created = employment is None
        if employment_created:
            employment = Employment(person=person, unit=unit, start_date=start_date)
        employment.job_type = job_type
        employment.full_time = full_time
        if end_date is not None:
            employment.end_date = end_date  # a registration that does not say never un-leaves anyone
        save_tracked(employment, actor=actor)

        follow_up = None
        if political_status in MEMBER_STATUSES and employment.end_date is None:
            follow_up = follow_up_for_disclosure(person=person, unit=unit, actor=actor)
    return Registration(
        person=person,
        employment=employment,
        person_created=person_created,
        employment_created=employment_created,
        follow_up=follow_up,
    )


def _create_account(*, actor, person_name: str, password: str) -> User:
    # An opaque username: the worker logs in with the mobile number (accounts.backends), which
    # stays encrypted in the Person record instead of sitting in clear in the user table.
    user = User(username=f"worker-{secrets.token_hex(6)}", first_name=person_name[:150])
    user.set_password(password)
    user.full_clean()
    user.save()
    record_event(
        actor=user if actor is None or not actor.is_authenticated else actor,
        action="created",
        obj=user,
        changes={"username": ["", user.username], "first_name": ["", user.first_name]},
    )
    return user


def register_worker(
    *,
    actor,
    name: str,
    id_number: str,
    mobile: str,
    unit,
    job_type: str,
    full_time: bool,
    start_date: datetime.date,
    political_status: str,
    password: str | None = None,
    end_date: datetime.date | None = None,
    **details,
) -> Registration:
    """Entry registration of a worker, with a worker account (logging in with the mobile number)
    when a password is given. All or nothing, in one transaction.

    Someone who knows an ID number must not take over its record: when the person is on record
    with a mobile number (e.g. imported by the employer), the number given must be that one.
    A person who already has an account is told to log in instead."""
    id_number, mobile = _clean_identifiers(id_number, mobile)
    if password and not mobile:
        raise ValidationError({"mobile": _("A mobile number is needed: it is the account's login name.")})
    with transaction.atomic():
        existing = find_person(id_number, lock=True)
        if existing is not None and existing.mobile and mobile and existing.mobile != mobile:
            raise ValidationError(
                {
                    "mobile": _(
                        "This ID number is already registered with another mobile number. Enter the "
                        "number you registered with, or ask your unit or street to correct the record."
                    )
                }
            )
        user = None
        if password:
            if existing is not None and existing.user_id:
                raise ValidationError(
                    _("You already have an account. Please log in with your mobile number and password."),
                    code="has_account",
                )
            if Person.objects.filter(mobile_index=blind_index(mobile, "mobile"), user__isnull=False).exists():
                raise ValidationError(
                    {
                        "mobile": _(
                            "This mobile number already has an account. "
                            "Log in with it, or use another number."
                        )
                    }
                )
            try:
                validate_password(
                    password, user=User(username=mobile, first_name=name)
                )  # not the number itself
            except ValidationError as error:
                raise ValidationError({"password": error.messages}) from None
            user = _create_account(actor=actor, person_name=name, password=password)
            if actor is None or not actor.is_authenticated:
                actor = user  # a self-registration is recorded as the worker's own doing
        registration = record_registration(
            actor=actor,
            id_number=id_number,
            unit=unit,
            job_type=job_type,
            start_date=start_date,
            name=name,
            mobile=mobile,
            full_time=full_time,
            end_date=end_date,
            political_status=political_status,
            **details,
        )
        if user is not None:
            person = registration.person
            person.user = user
            save_tracked(person, actor=actor)
            save_tracked(RoleAssignment(user=user, role=Role.WORKER, person=person), actor=actor)
            registration.user = user
    return registration


# --- following up -------------------------------------------------------------------------------


def close_follow_up(*, actor, follow_up: DisclosureFollowUp, note: str) -> DisclosureFollowUp:
    """Record that the member was contacted and brought into organizational life (or why not)."""
    from dangjian.people.queries import can_close_follow_up

    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done, e.g. who contacted the member and when.")})
    with transaction.atomic():
        follow_up = DisclosureFollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.status != DisclosureFollowUp.Status.OPEN:
            raise ValidationError(_("This follow-up is already closed."), code="closed")
        if not can_close_follow_up(actor, follow_up):
            raise ValidationError(_("You may not close this follow-up."), code="forbidden")
        follow_up.status = DisclosureFollowUp.Status.DONE
        follow_up.closed_at = timezone.now()
        follow_up.closed_by = actor
        follow_up.note = note
        save_tracked(follow_up, actor=actor)
        follow_up_closed.send(sender=DisclosureFollowUp, follow_up=follow_up, actor=actor)
    return follow_up


# Sent inside the closing transaction (follow_up=, actor=): the membership app matches the member
# to their mobile-member record and records where they now take part (membership/mobile.py).
follow_up_closed = Signal()


# --- investors (出资人), the five-clears ledger's fourth part ---------------------------------


def find_or_create_person(
    *, actor, id_number: str, name: str = "", mobile: str = "", political_status: str | None = None
) -> Person:
    """The one record of the person with this ID number, created if there is none, updated with
    what is given (a blank answer never erases what is on record). For people entered by staff
    rather than registering themselves: investors, instructors."""
    id_number, mobile = _clean_identifiers(id_number, mobile)
    with transaction.atomic():
        person = find_person(id_number, lock=True)
        if person is None:
            if not (name or "").strip():
                raise ValidationError({"name": _("Enter the person's name.")})
            person = Person(id_number=id_number, gender=gender_from_id_number(id_number))
        if (name or "").strip():
            person.name = name.strip()
        if mobile:
            person.mobile = mobile
        person.political_status = merged_political_status(person.political_status, political_status)
        if actor is not None and actor.is_authenticated:
            person._history_user = actor
        try:
            with transaction.atomic():
                save_tracked(person, actor=actor)
        except IntegrityError:
            raise ValidationError(
                {"id_number": _("This ID number was registered a moment ago. Please try again.")}
            ) from None
    return person


def save_investor(
    *,
    actor,
    unit,
    role: str,
    person: Person | None = None,
    id_number: str = "",
    name: str = "",
    mobile: str = "",
    political_status: str | None = None,
    share_percent=None,
    representative_roles: str = "",
):
    """Link a person to the unit as an investor, or update the link if there is one.

    The person is ``person``, or the one record found by ID number (created when there is none):
    one person is one record, and one person is one investor per unit."""
    from dangjian.people.models import Investor
    from dangjian.units.ledger import Part
    from dangjian.units.services import require_ledger_rights

    require_ledger_rights(actor, unit, Part.INVESTORS)
    with transaction.atomic():
        if person is None:
            person = find_or_create_person(
                actor=actor, id_number=id_number, name=name, mobile=mobile, political_status=political_status
            )
        elif political_status:
            status = merged_political_status(person.political_status, political_status)
            if status != person.political_status:
                person.political_status = status
                if actor is not None and actor.is_authenticated:
                    person._history_user = actor
                save_tracked(person, actor=actor)
        investor = Investor.objects.select_for_update().filter(unit=unit, person=person).first()
        if investor is None:
            investor = Investor(unit=unit, person=person)
        investor.role = role
        investor.share_percent = share_percent
        investor.representative_roles = (representative_roles or "").strip()
        if actor is not None and actor.is_authenticated:
            investor._history_user = actor
        save_tracked(investor, actor=actor)
    return investor


def remove_investor(*, actor, investor) -> None:
    """Unlink an investor from the unit. The person's record stays; the unit's timeline and the
    ledger's history keep the link."""
    from dangjian.core.audit import record_event
    from dangjian.units.ledger import Part
    from dangjian.units.services import require_ledger_rights

    unit = investor.unit
    require_ledger_rights(actor, unit, Part.INVESTORS)
    with transaction.atomic():
        record_event(actor=actor, action="deleted", obj=investor)
        record_event(
            actor=actor,
            action="investor_removed",
            obj=unit,
            changes={"investors": [f"{investor.person.name} · {investor.get_role_display()}", ""]},
        )
        if actor is not None and actor.is_authenticated:
            investor._history_user = actor
        investor.delete()
