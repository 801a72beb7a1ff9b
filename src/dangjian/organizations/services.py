"""Writes to offices and party organizations; each one validated and audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core.audit import record_event, save_tracked
from dangjian.core.rules import rule_value
from dangjian.organizations.models import CommitteeMember, Organization
from dangjian.organizations.rules import add_years, term_rule_key
from dangjian.people.models import Person


def default_term_end(organization: Organization) -> datetime.date | None:
    """Term start plus the term length in the rule table (branch 3 years, committee 5 by default)."""
    if not organization.term_start:
        return None
    years = rule_value(term_rule_key(organization.kind))
    if years is None:
        return None
    return add_years(organization.term_start, years)


def save_organization(*, actor, organization: Organization) -> Organization:
    if organization.term_start and not organization.term_end:
        organization.term_end = default_term_end(organization)
    save_tracked(organization, actor=actor)
    return organization


def appoint_committee_member(
    *, actor, organization: Organization, person: Person, post: str, start_date: datetime.date
) -> CommitteeMember:
    """Seat a person in an organization's leading group; a new secretary ends the sitting one's post."""
    with transaction.atomic():
        if post == CommitteeMember.Post.SECRETARY:
            sitting = CommitteeMember.objects.select_for_update().filter(
                organization=organization, post=post, end_date__isnull=True
            )
            for member in sitting:
                end_committee_membership(actor=actor, member=member, end_date=start_date)
        member = CommitteeMember(organization=organization, person=person, post=post, start_date=start_date)
        save_tracked(member, actor=actor)
        record_event(
            actor=actor,
            action="member_appointed",
            obj=organization,
            changes={"committee_members": ["", f"{member.get_post_display()}: {person.name}"]},
        )
    return member


def end_committee_membership(*, actor, member: CommitteeMember, end_date: datetime.date) -> CommitteeMember:
    if end_date < member.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    member.end_date = end_date
    save_tracked(member, actor=actor)
    return member
