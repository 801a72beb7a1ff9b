"""Daily reminders about mobile party members (流动党员): relations to transfer, members out of
contact.

Run with the other reminders (``manage.py send_reminders``). A member's flag goes to the
secretaries and committee staff of the organization they belong to; for a member whose relation
is outside the district, to those of the organizations they take part in. District
administrators get one summary a day. Each reminder's key holds the date the flag counts from
(the start of the stay, the last contact), so a flag is announced once, and again only after a
new stay or a new contact that also runs out.
"""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.core.models import Notification
from dangjian.core.reminders import Texts, district_admins, save_notifications
from dangjian.membership.mobile import OUT_OF_CONTACT, TRANSFER, Thresholds, flag_conditions, with_contact
from dangjian.membership.models import MobileMember, Participation


@task()
def send_mobile_member_reminders() -> dict:
    return remind_about_mobile_members(timezone.localdate())


def remind_about_mobile_members(today: datetime.date) -> dict:
    thresholds = Thresholds.current()
    conditions = flag_conditions(today=today, thresholds=thresholds)
    members = with_contact(MobileMember.objects.all())
    flagged = list(
        members.filter(conditions[TRANSFER] | conditions[OUT_OF_CONTACT]).values(
            "pk", "person__name", "person__party_organization_id", "stay_since", "contact_on"
        )
    )
    transfer_ids = set(members.filter(conditions[TRANSFER]).values_list("pk", flat=True))
    contact_ids = set(members.filter(conditions[OUT_OF_CONTACT]).values_list("pk", flat=True))
    inflow: dict[int, set[int]] = defaultdict(set)
    for member_id, organization_id in Participation.objects.filter(
        mobile_member_id__in=[m["pk"] for m in flagged if m["person__party_organization_id"] is None],
        end_date__isnull=True,
    ).values_list("mobile_member_id", "organization_id"):
        inflow[member_id].add(organization_id)
    staff = _organization_staff()
    texts = Texts(_texts)

    notifications = []
    for member in flagged:
        organizations = (
            {member["person__party_organization_id"]}
            if member["person__party_organization_id"] is not None
            else inflow[member["pk"]]
        )
        recipients = {user for organization in organizations for user in staff.get(organization, ())}
        link = reverse("membership:mobile_detail", kwargs={"mobilemember_pk": member["pk"]})
        for flag, ids, since, months in (
            (TRANSFER, transfer_ids, member["stay_since"], thresholds.transfer_months),
            (OUT_OF_CONTACT, contact_ids, member["contact_on"], thresholds.contact_months),
        ):
            if member["pk"] not in ids:
                continue
            key = f"mobile-{flag}:{member['pk']}:{since.isoformat()}"
            for user_id, language in recipients:
                text = texts.get(language)[flag] % {"name": member["person__name"], "months": months}
                notifications.append(Notification(user_id=user_id, key=key, text=text[:300], link=link))
    created = save_notifications(notifications)
    if transfer_ids or contact_ids:
        summaries = [
            Notification(
                user_id=user_id,
                key=f"mobile-summary:{today.isoformat()}",
                text=texts.get(language)["summary"]
                % {"transfer": len(transfer_ids), "contact": len(contact_ids)},
                link=reverse("membership:mobile_list") + "?flag=any",
            )
            for user_id, language in district_admins()
        ]
        created += save_notifications(summaries)
    return {"to_transfer": len(transfer_ids), "out_of_contact": len(contact_ids), "messages": created}


def _organization_staff() -> dict[int, set[tuple[int, str]]]:
    """{organization id: {(user id, language)}} of the active secretaries and committee staff."""
    staff: dict[int, set[tuple[int, str]]] = defaultdict(set)
    rows = RoleAssignment.objects.filter(
        Q(role=Role.BRANCH_SECRETARY) | Q(role=Role.COMMITTEE_STAFF), user__is_active=True
    ).values_list("organization_id", "user_id", "user__language")
    for organization_id, user_id, language in rows:
        staff[organization_id].add((user_id, language))
    return staff


def _texts() -> dict[str, str]:
    return {
        TRANSFER: gettext(
            "Mobile party member %(name)s has stayed at a fixed place for %(months)s months "
            "or more: transfer the organization relation."
        ),
        OUT_OF_CONTACT: gettext(
            "Mobile party member %(name)s has been out of contact for %(months)s months or "
            "more: find and contact the member."
        ),
        "summary": gettext(
            "Mobile party members: %(transfer)s should transfer their relation, %(contact)s are "
            "out of contact."
        ),
    }
