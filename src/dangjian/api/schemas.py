import datetime

from ninja import Schema

from dangjian.accounts.scope import sees_party_member_names


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    industry: str
    uscc: str | None
    street_id: int | None
    street_name: str | None
    parent_id: int | None
    key_area: str
    address: str
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_street_name(unit) -> str | None:
        return unit.street.name if unit.street_id else None


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    build_method: str
    status: str
    parent_id: int | None
    street_id: int | None
    founded_on: datetime.date | None
    term_end: datetime.date | None


class PersonOut(Schema):
    id: int
    name: str
    masked_id_number: str
    masked_mobile: str
    political_status: str | None  # only for party-work roles and the person themself

    @staticmethod
    def resolve_political_status(person, context) -> str | None:
        user = context["request"].user
        if sees_party_member_names(user) or person.user_id == user.pk:
            return person.political_status
        return None
