"""Who may see what: the one place where protected querysets are filtered.

Every page, API route, export, count, drop-down, dashboard and admin list reads protected rows
through ``visible_to(user, queryset)``. A user's roles are resolved once per request into a
``Scope``; each protected model has one rule turning a Scope into a ``Q``. A model with no rule
is refused (fail closed), so a new model cannot leak by being forgotten here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import or_

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from dangjian.accounts.models import Role

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    everything: bool = False
    street_ids: frozenset[int] = field(default_factory=frozenset)
    organization_paths: tuple[str, ...] = ()  # organization subtrees
    industries: frozenset[str] = field(default_factory=frozenset)  # industries a committee leads
    unit_paths: tuple[str, ...] = ()  # unit subtrees (a unit, its branches and outlets)
    person_ids: frozenset[int] = field(default_factory=frozenset)  # workers' own records


def _scope_from_assignments(user) -> Scope:
    from dangjian.organizations.models import CommitteeIndustry

    street_ids, org_paths, unit_paths, person_ids = set(), [], [], set()
    committee_ids = []
    everything = False
    for assignment in user.roles.select_related("region", "organization", "unit"):
        if assignment.role == Role.DISTRICT_ADMIN:
            everything = True
        elif assignment.role == Role.STREET_STAFF:
            street_ids.add(assignment.region_id)
        elif assignment.role in (Role.COMMITTEE_STAFF, Role.BRANCH_SECRETARY):
            org_paths.append(assignment.organization.path)
            if assignment.role == Role.COMMITTEE_STAFF:
                committee_ids.append(assignment.organization_id)
        elif assignment.role == Role.ENTERPRISE_LIAISON:
            unit_paths.append(assignment.unit.path)
        elif assignment.role == Role.WORKER:
            person_ids.add(assignment.person_id)
    industries = set(
        CommitteeIndustry.objects.filter(committee_id__in=committee_ids).values_list("industry", flat=True)
    )
    return Scope(
        user_id=user.pk,
        everything=everything,
        street_ids=frozenset(street_ids),
        organization_paths=tuple(org_paths),
        industries=frozenset(industries),
        unit_paths=tuple(unit_paths),
        person_ids=frozenset(person_ids),
    )


def scope_of(user) -> Scope:
    """The user's scope, resolved once and kept on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_dangjian_scope", None)
    if cached is None:
        cached = (
            Scope(user_id=user.pk, everything=True) if user.is_superuser else _scope_from_assignments(user)
        )
        user._dangjian_scope = cached
    return cached


_RULES: dict[type[Model], Callable[[Scope], Q]] = {}
PUBLIC_MODELS: set[type[Model]] = set()


def is_protected(model: type[Model]) -> bool:
    _ensure_rules()
    return model in _RULES


def visible_to(user, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see."""
    _ensure_rules()
    model = queryset.model
    if model in PUBLIC_MODELS:
        return queryset if scope_of(user).user_id else queryset.none()
    rule = _RULES.get(model)
    if rule is None:
        raise ImproperlyConfigured(f"{model._meta.label} has no scope rule in accounts.scope.")
    scope = scope_of(user)
    if scope.everything:
        return queryset
    return queryset.filter(rule(scope))


def can_see(user, obj: Model) -> bool:
    return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def sees_party_member_names(user) -> bool:
    """Whether the user holds a party-work role: district administrator, street/town staff,
    industry committee staff or branch secretary. Only they see the names of the party members
    among a unit's workers (in the ledger and in exports of people); enterprise liaisons and
    workers see counts only. Which units the names are shown for is still the user's scope."""
    scope = scope_of(user)
    return scope.everything or bool(scope.street_ids) or bool(scope.organization_paths)


def _any(conditions: list[Q]) -> Q:
    return reduce(or_, conditions, NOTHING)


def _under(field_name: str, paths) -> list[Q]:
    return [Q(**{f"{field_name}__startswith": path}) for path in paths]


def _party_work(scope: Scope, *, path: str, street: str) -> Q:
    """A person's party-work record (a development record, a care application): under one of the
    scope's organizations (``path``, the organization's path field), in one of its streets
    (``street``, the street's id field), or the scope's own person's."""
    conditions = _under(path, scope.organization_paths)
    if scope.street_ids:
        conditions.append(Q(**{f"{street}__in": scope.street_ids}))
    conditions.append(Q(person_id__in=scope.person_ids))
    return _any(conditions)


# --- rules, one per protected model -------------------------------------------------------

_rules_ready = False


def _ensure_rules():
    """Register the rules on first use (models must be loaded first)."""
    global _rules_ready
    if _rules_ready:
        return
    _register_rules()
    _rules_ready = True


def _register_rules():  # noqa: C901 - one flat list of rules reads best
    from dangjian.core.models import AuditEvent, Notification, Rule
    from dangjian.organizations.models import CommitteeIndustry, CommitteeMember, Office, Organization
    from dangjian.people.models import Employment, Person
    from dangjian.regions.models import Region
    from dangjian.spreadsheets.models import ExportLog, ImportJob
    from dangjian.units.models import Unit, Visit, VisitAction

    from .models import RoleAssignment, User

    PUBLIC_MODELS.update({Region, Office, Rule})

    def units(scope: Scope) -> Q:
        conditions = _under("path", scope.unit_paths)
        if scope.street_ids:
            conditions.append(Q(street_id__in=scope.street_ids))
        if scope.industries:
            conditions.append(Q(industry__in=scope.industries))
        if scope.organization_paths:
            covering = Organization.covered_units.through.objects.filter(unit_id=OuterRef("pk")).filter(
                _any(_under("organization__path", scope.organization_paths))
            )
            conditions.append(Q(Exists(covering)))
        return _any(conditions)

    def organizations(scope: Scope) -> Q:
        conditions = _under("path", scope.organization_paths)
        if scope.street_ids:
            conditions.append(Q(street_id__in=scope.street_ids))
        if scope.unit_paths:
            covering = Organization.covered_units.through.objects.filter(
                organization_id=OuterRef("pk")
            ).filter(_any(_under("unit__path", scope.unit_paths)))
            conditions.append(Q(Exists(covering)))
        return _any(conditions)

    def employments(scope: Scope) -> Q:
        return Q(unit__in=Unit.objects.filter(units(scope))) | Q(person_id__in=scope.person_ids)

    def people(scope: Scope) -> Q:
        working = Employment.objects.filter(
            person_id=OuterRef("pk"), unit__in=Unit.objects.filter(units(scope))
        )
        leading = CommitteeMember.objects.filter(
            person_id=OuterRef("pk"), organization__in=Organization.objects.filter(organizations(scope))
        )
        return Q(Exists(working)) | Q(Exists(leading)) | Q(pk__in=scope.person_ids)

    def audit_events(scope: Scope) -> Q:
        from django.contrib.contenttypes.models import ContentType

        conditions = []
        for model, rule in _RULES.items():
            if model is AuditEvent:
                continue
            content_type = ContentType.objects.get_for_model(model)
            visible_ids = model._default_manager.filter(rule(scope)).values("pk")
            conditions.append(Q(content_type=content_type, object_id__in=visible_ids))
        return _any(conditions)

    _RULES.update(
        {
            Unit: units,
            Organization: organizations,
            CommitteeIndustry: lambda scope: Q(
                committee__in=Organization.objects.filter(organizations(scope))
            ),
            CommitteeMember: lambda scope: Q(
                organization__in=Organization.objects.filter(organizations(scope))
            ),
            Person: people,
            Employment: employments,
            AuditEvent: audit_events,
            # Accounts are managed by the district only; everyone else sees their own.
            User: lambda scope: Q(pk=scope.user_id),
            RoleAssignment: lambda scope: Q(user_id=scope.user_id),
            ExportLog: lambda scope: Q(user_id=scope.user_id),
            # An upload holds the uploader's rows before they are checked: the uploader's own.
            ImportJob: lambda scope: Q(user_id=scope.user_id),
            # Return visits follow their unit; inbox messages are their recipient's own.
            Visit: lambda scope: Q(unit__in=Unit.objects.filter(units(scope))),
            VisitAction: lambda scope: Q(visit__unit__in=Unit.objects.filter(units(scope))),
            Notification: lambda scope: Q(user_id=scope.user_id),
        }
    )

    # Who disclosed party membership is for party work: the organizations and streets answering
    # for the unit (the units rule without the liaison's unit subtrees: an employer does not learn
    # which of its staff are members), the organization or street made responsible, and the
    # worker themself.
    from dangjian.people.models import DisclosureFollowUp

    def disclosure_follow_ups(scope: Scope) -> Q:
        conditions = _under("organization__path", scope.organization_paths)
        if scope.street_ids:
            conditions.append(Q(street_id__in=scope.street_ids))
        conditions.append(Q(unit__in=Unit.objects.filter(units(replace(scope, unit_paths=())))))
        conditions.append(Q(person_id__in=scope.person_ids))
        return _any(conditions)

    _RULES[DisclosureFollowUp] = disclosure_follow_ups

    # The five-clears ledger's own records (investors, reported headcounts, instructors) follow
    # their unit: whoever sees the unit sees its ledger.
    from dangjian.people.models import Investor
    from dangjian.units.models import InstructorAssignment, WorkforceReport

    def of_visible_units(scope: Scope) -> Q:
        return Q(unit__in=Unit.objects.filter(units(scope)))

    _RULES.update(
        {
            Investor: of_visible_units,
            WorkforceReport: of_visible_units,
            InstructorAssignment: of_visible_units,
        }
    )

    # Joint-build planner (measure 4): a proposal belongs to the street it was run for; a run over
    # the whole district (no street) is the district's own. Street staff build the territorial
    # organizations, so they see and decide their street's proposals; no other role plans.
    from dangjian.coverage.models import (
        DeclinedGrouping,
        JointBuildProposal,
        Pledge,
        PledgeProgress,
        ProposedGroup,
    )

    _RULES.update(
        {
            JointBuildProposal: lambda scope: Q(street_id__in=scope.street_ids),
            ProposedGroup: lambda scope: Q(proposal__street_id__in=scope.street_ids),
            DeclinedGrouping: lambda scope: Q(street_id__in=scope.street_ids),
        }
    )

    # One-to-one help pledges: seen by whoever sees the pledging committee member (the committee's
    # own staff, the street of a street committee), the target unit, or the target street/community.
    def pledges(scope: Scope) -> Q:
        conditions = [
            Q(committee_member__organization__in=Organization.objects.filter(organizations(scope))),
            Q(target_unit__in=Unit.objects.filter(units(scope))),
        ]
        if scope.street_ids:
            conditions.append(Q(target_region_id__in=scope.street_ids))
            conditions.append(Q(target_region__parent_id__in=scope.street_ids))
        return _any(conditions)

    _RULES.update(
        {
            Pledge: pledges,
            PledgeProgress: lambda scope: Q(pledge__in=Pledge.objects.filter(pledges(scope))),
        }
    )

    # Development quotas (measure 5) follow the committee holding them. Who was admitted on a
    # quota is party work: the organizations answering for the holder or the admitting branch
    # (the liaison's unit subtrees left out, as for follow-ups).
    from dangjian.membership.models import DevelopmentQuota, QuotaUse

    def quota_uses(scope: Scope) -> Q:
        party_work = Organization.objects.filter(organizations(replace(scope, unit_paths=())))
        return Q(quota__organization__in=party_work) | Q(organization__in=party_work)

    _RULES.update(
        {
            DevelopmentQuota: lambda scope: Q(
                organization__in=Organization.objects.filter(organizations(scope))
            ),
            QuotaUse: quota_uses,
        }
    )

    # Secretaries and leadership (measure 5). Management posts follow their unit, like the rest of
    # the ledger. The decision log (the organization's opinions on the unit's major matters) is
    # party work: the district, the street and the committees answering for the unit, and the
    # recording organization's subtree; not the enterprise's liaison, not workers.
    from dangjian.organizations.models import MajorDecision, ManagementPost

    def major_decisions(scope: Scope) -> Q:
        conditions = _under("organization__path", scope.organization_paths)
        conditions.append(Q(unit__in=Unit.objects.filter(units(replace(scope, unit_paths=())))))
        return _any(conditions)

    _RULES.update({ManagementPost: of_visible_units, MajorDecision: major_decisions})

    # The development pipeline (measure 5) is party work: the developing organization's subtree
    # (committee staff, branch secretaries) and street, never an enterprise's liaison; a person
    # sees their own record. The rule table is public structure; an organization's own settings
    # follow the organization.
    from dangjian.membership.models import (
        DevelopmentRecord,
        DevelopmentRule,
        DevelopmentRuleOverride,
        DevelopmentStep,
    )

    def development_records(scope: Scope) -> Q:
        return _party_work(scope, path="organization__path", street="organization__street_id")

    PUBLIC_MODELS.add(DevelopmentRule)
    _RULES.update(
        {
            DevelopmentRecord: development_records,
            DevelopmentStep: lambda scope: Q(
                record__in=DevelopmentRecord.objects.filter(development_records(scope))
            ),
            DevelopmentRuleOverride: lambda scope: Q(
                organization__in=Organization.objects.filter(organizations(scope))
            ),
        }
    )

    # Red rider stations (measure 9): the list is public on the finder (read there without this
    # rule, listed stations only); managing a station, its hours, closures, photos and check-in
    # counts is for the street or town it is in. The services a station may offer are public.
    from dangjian.care.models import (
        Station,
        StationCheckIn,
        StationClosure,
        StationPeriod,
        StationPhoto,
        StationService,
    )

    PUBLIC_MODELS.add(StationService)
    _RULES.update(
        {
            Station: lambda scope: Q(street_id__in=scope.street_ids),
            StationPeriod: lambda scope: Q(station__street_id__in=scope.street_ids),
            StationClosure: lambda scope: Q(station__street_id__in=scope.street_ids),
            StationPhoto: lambda scope: Q(station__street_id__in=scope.street_ids),
            StationCheckIn: lambda scope: Q(station__street_id__in=scope.street_ids),
        }
    )

    # Coverage snapshots (measure 4) are counts per street, industry and key area: a street's rows
    # for its staff, a led industry's rows for the industry committee's staff. Branch secretaries,
    # liaisons and workers see no district trend (their pages count their own units live).
    from dangjian.coverage.models import CoverageSnapshot

    _RULES[CoverageSnapshot] = lambda scope: (
        Q(street_id__in=scope.street_ids) | Q(industry__in=scope.industries)
    )

    # Care fund and legal aid (measure 9). An application is seen by the worker, the street that
    # reviews it (the street answering for the worker's unit when it was made) and the managing
    # committee's subtree (its staff decide and pay); its decisions, payments and documents follow
    # it. A fund is seen by the managing committee's staff and by whoever sees one of its
    # applications. Categories, eligibility rules and legal-aid centres are public structure. A
    # legal-aid request is the worker's and their unit's street's.
    from dangjian.care.models import (
        CareApplication,
        CareCategory,
        CareDecision,
        CareDocument,
        CareEligibilityRule,
        CareFund,
        CarePayment,
        LegalAidCentre,
        LegalAidRequest,
    )

    def care_applications(scope: Scope) -> Q:
        return _party_work(scope, path="fund__committee__path", street="street_id")

    def of_care_applications(scope: Scope) -> Q:
        return Q(application__in=CareApplication.objects.filter(care_applications(scope)))

    def care_funds(scope: Scope) -> Q:
        conditions = _under("committee__path", scope.organization_paths)
        applications = CareApplication.objects.filter(fund_id=OuterRef("pk")).filter(care_applications(scope))
        conditions.append(Q(Exists(applications)))
        return _any(conditions)

    def legal_aid_requests(scope: Scope) -> Q:
        conditions = [Q(person_id__in=scope.person_ids)]
        if scope.street_ids:
            conditions.append(Q(street_id__in=scope.street_ids))
        return _any(conditions)

    PUBLIC_MODELS.update({CareCategory, CareEligibilityRule, LegalAidCentre})
    _RULES.update(
        {
            CareFund: care_funds,
            CareApplication: care_applications,
            CareDecision: of_care_applications,
            CarePayment: of_care_applications,
            CareDocument: of_care_applications,
            LegalAidRequest: legal_aid_requests,
        }
    )

    # Mobile party members (measure 5) are party work (liaisons' unit subtrees left out): seen by
    # the organizations they belong to or take part in, by whoever answers for the unit they work
    # at now (the street, the industry committee, the covering organization), and by themselves.
    from dangjian.membership.models import MobileMember, Participation

    def mobile_members(scope: Scope) -> Q:
        party_work = replace(scope, unit_paths=())
        orgs = Organization.objects.filter(organizations(party_work))
        working = Employment.objects.filter(
            person_id=OuterRef("person_id"),
            end_date__isnull=True,
            unit__in=Unit.objects.filter(units(party_work)),
        )
        taking_part = Participation.objects.filter(mobile_member_id=OuterRef("pk"), organization__in=orgs)
        return (
            Q(person__party_organization__in=orgs)
            | Q(Exists(working))
            | Q(Exists(taking_part))
            | Q(person_id__in=scope.person_ids)
        )

    _RULES.update(
        {
            MobileMember: mobile_members,
            Participation: lambda scope: Q(
                mobile_member__in=MobileMember.objects.filter(mobile_members(scope))
            ),
        }
    )
