"""Communities and their profiles, as the community list shows them (every reader sees all)."""

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema

from luodi.accounts.access import Perm, requires_api
from luodi.accounts.api_auth import Router
from luodi.accounts.models import ApiScope
from luodi.lib.api import PK, REFUSALS, REFUSALS_ONE, Page, PageIn, page_of
from luodi.lib.params import MAX_ID, parse_text
from luodi.regions.models import Community

router = Router(tags=["communities"])


class CommunityOut(Schema):
    id: int
    code: str
    name: str
    city_id: int
    city: str
    district: str
    street: str
    buildings: int
    households: int
    residents: int
    party_members: int
    party_org_type: str

    @staticmethod
    def resolve_city(obj) -> str:
        return obj.city.name

    @staticmethod
    def resolve_district(obj) -> str:
        return obj.district.name

    @staticmethod
    def resolve_street(obj) -> str:
        return obj.street.name


class CommunityFilters(PageIn):
    q: str = Field("", max_length=100, description="Part of the name or the street's name")
    city: int | None = Field(None, ge=1, le=MAX_ID, description="A city's id")


def _communities():
    return Community.objects.select_related("city", "district", "street").order_by("code")


@router.get("", response={200: Page[CommunityOut], **REFUSALS}, summary="Communities")
@requires_api(Perm.VIEW_COMMUNITIES, api_scope=ApiScope.COMMUNITIES_READ)
def community_list(request: HttpRequest, filters: Query[CommunityFilters]):
    """Communities with their profiles, by code; filter by city and search by name."""
    communities = _communities()
    if q := parse_text(filters.q):
        communities = communities.filter(Q(name__contains=q) | Q(street__name__contains=q))
    if filters.city is not None:
        communities = communities.filter(city_id=filters.city)
    return page_of(request, communities, filters)


@router.get("/{pk}", response={200: CommunityOut, **REFUSALS_ONE}, summary="A community")
@requires_api(Perm.VIEW_COMMUNITIES, api_scope=ApiScope.COMMUNITIES_READ)
def community_detail(request: HttpRequest, pk: PK):
    return get_object_or_404(_communities(), pk=pk)
