"""The cadre list: one reading of its rows (filters and the user's reach) for the page and its
export, and a cadre's export columns, which the class roster shares.

A province has tens of thousands of cadres: the export is a background job (``jobs.exports``)."""

from django.utils.translation import gettext_lazy

from luodi.accounts.access import Perm
from luodi.cadres.models import Cadre, Post
from luodi.jobs.exports import ListExport, register_list, said
from luodi.lib.documents.tables import Column
from luodi.regions.lists import region_name


def _cadre_at(path: str):
    """A getter of the cadre found at ``path`` ("" for the record itself, "cadre" for an
    enrolment's)."""

    def cadre_of(record) -> Cadre:
        return getattr(record, path) if path else record

    return cadre_of


def cadre_columns(path: str = "") -> list[Column]:
    """A cadre as every list export shows them, ID and phone numbers masked unless in full;
    ``path`` leads from the list's record to the cadre (community and city loaded)."""
    of = _cadre_at(path)
    return [
        Column("姓名", 10, lambda r: of(r).name),
        Column("性别", 6, lambda r: of(r).get_gender_display()),
        Column("身份证号", 21, lambda r: of(r).masked_id_number, full=lambda r: of(r).id_number),
        Column("手机号", 14, lambda r: of(r).masked_phone, full=lambda r: of(r).phone),
        Column("地市", 10, lambda r: of(r).community.city.name),
        Column("社区", 24, lambda r: of(r).community.name),
        Column("职务", 16, lambda r: of(r).get_post_display()),
    ]


def cadre_list(user, filters: dict[str, str], obj=None):
    """The rows of the cadre list for ``user`` with the list's filters (q, city, post)."""
    return (
        Cadre.objects.visible_to(user)
        .filtered(
            q=filters.get("q", ""), city=filters.get("city", ""), post=filters.get("post", "")
        )
        .select_related("community__city")
    )


def _describe(filters: dict[str, str], obj=None) -> str:
    post = filters.get("post", "")
    return said(
        搜索=filters.get("q", ""),
        地市=region_name(filters.get("city", "")),
        职务=Post(post).label if post in Post.values else "",
    )


CADRES = register_list(
    ListExport(
        name="cadres.list-xlsx",
        title=lambda obj: "社区干部名单",
        columns=cadre_columns(),
        rows=cadre_list,
        filters=("q", "city", "post"),
        describe=_describe,
        url_name="cadres:cadre-list-export",
        page_name="cadres:cadre-list",
        perms=(Perm.VIEW_CADRES,),
        background=True,
        label=gettext_lazy("Cadre list (xlsx)"),
    )
)
