"""The community list: one reading of its rows (filters) for the page and its xlsx export
(``jobs.exports``), built in the request (a province has a few thousand communities)."""

from django.db.models import Count, Q

from luodi.accounts.access import Perm
from luodi.jobs.exports import ListExport, register_list, said
from luodi.lib.documents.tables import Column, Kind
from luodi.lib.params import parse_id
from luodi.regions.models import Community, Region


def community_list(user, filters: dict[str, str], obj=None):
    """Every community (figures, no one's name), searched by name or street, by city; the
    cadre counts are the list's extras (``community_extras``)."""
    communities = Community.objects.select_related("city", "district", "street").order_by("code")
    if q := filters.get("q", ""):
        communities = communities.filter(Q(name__contains=q) | Q(street__name__contains=q))
    if (city_id := parse_id(filters.get("city"))) is not None:
        communities = communities.filter(city_id=city_id)
    return communities


def community_extras(communities):
    """The community list's extra column: each community's cadres (``cadre_count``)."""
    return communities.annotate(cadre_count=Count("cadres"))


def region_name(value: str | None) -> str:
    """The name of the region whose id a filter holds, or ""."""
    region_id = parse_id(value)
    if region_id is None:
        return ""
    return Region.objects.filter(pk=region_id).values_list("name", flat=True).first() or ""


def _describe(filters: dict[str, str], obj=None) -> str:
    return said(搜索=filters.get("q", ""), 地市=region_name(filters.get("city")))


COMMUNITIES = register_list(
    ListExport(
        name="regions.community-list-xlsx",
        title=lambda obj: "社区一览",
        columns=[
            Column("社区代码", 14, lambda c: c.code),
            Column("社区", 24, lambda c: c.name),
            Column("地市", 10, lambda c: c.city.name),
            Column("区县", 12, lambda c: c.district.name),
            Column("街道", 16, lambda c: c.street.name),
            Column("户数", 9, lambda c: c.households, Kind.NUMBER),
            Column("常住人口", 10, lambda c: c.residents, Kind.NUMBER),
            Column("党员", 8, lambda c: c.party_members, Kind.NUMBER),
            Column("社区干部", 9, lambda c: c.cadre_count, Kind.NUMBER),
        ],
        rows=community_list,
        extras=community_extras,
        filters=("q", "city"),
        describe=_describe,
        url_name="regions:community-list-xlsx",
        page_name="regions:community-list",
        perms=(Perm.VIEW_COMMUNITIES,),
    )
)
