"""Cadres, within the user's reach as on the cadre list (``Cadre.objects.visible_to``).

ID and phone numbers are masked as the pages mask them. ``full=true`` asks for them in full:
only roles that may see full numbers (``Perm.VIEW_FULL_ID``) may ask, and each answer is
recorded (``personal.reveal``), as revealing them on a cadre's page is. Every answer that names
cadres is recorded as the list page's is (``personal.view``).
"""

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema
from ninja.errors import HttpError

from luodi.accounts.access import Perm, has_perm, requires_api
from luodi.accounts.api_auth import Router
from luodi.accounts.models import ApiScope
from luodi.cadres.models import Cadre, Post
from luodi.lib import audit
from luodi.lib.api import PK, REFUSALS, REFUSALS_ONE, Page, PageIn, page_of
from luodi.lib.params import MAX_ID, parse_text

router = Router(tags=["cadres"])


class CadreOut(Schema):
    id: int
    name: str
    gender: str
    age: int
    post: str
    political_status: str
    education: str
    community_id: int
    community: str
    city_id: int
    city: str
    started_on: dt.date
    id_number: str = Field(description="Masked unless asked for in full (full=true)")
    phone: str = Field(description="Masked unless asked for in full (full=true)")
    full_numbers: bool


def _answer(cadre: Cadre, *, full: bool) -> dict:
    return {
        "id": cadre.pk,
        "name": cadre.name,
        "gender": cadre.gender,
        "age": cadre.age,
        "post": cadre.post,
        "political_status": cadre.political_status,
        "education": cadre.education,
        "community_id": cadre.community_id,
        "community": cadre.community.name,
        "city_id": cadre.community.city_id,
        "city": cadre.community.city.name,
        "started_on": cadre.started_on,
        "id_number": cadre.id_number if full else cadre.masked_id_number,
        "phone": cadre.phone if full else cadre.masked_phone,
        "full_numbers": full,
    }


class CadreFilters(PageIn):
    q: str = Field("", max_length=100, description="Name, pinyin, community, full ID or mobile")
    city: int | None = Field(None, ge=1, le=MAX_ID, description="A city's id")
    post: Post | None = None
    full: bool = Field(False, description="Full ID and phone numbers (VIEW_FULL_ID; recorded)")


class FullIn(Schema):
    full: bool = Field(False, description="Full ID and phone numbers (VIEW_FULL_ID; recorded)")


def _may_see_full(request: HttpRequest, full: bool) -> bool:
    if full and not has_perm(request.user, Perm.VIEW_FULL_ID):
        raise HttpError(403, "Your role may not see full ID and phone numbers.")
    return full


@router.get("", response={200: Page[CadreOut], **REFUSALS}, summary="Cadres")
@requires_api(Perm.VIEW_CADRES, scope=Cadre.objects.visible_to, api_scope=ApiScope.CADRES_READ)
def cadre_list(request: HttpRequest, filters: Query[CadreFilters]):
    """The cadres within your reach (a liaison: their city's; a head teacher: their trainees'),
    by name; search and filter as on the cadre list."""
    full = _may_see_full(request, filters.full)
    q, city, post = parse_text(filters.q), filters.city, filters.post or ""
    cadres = (
        Cadre.objects.visible_to(request.user)
        .filtered(q=q, city=str(city or ""), post=post)
        .select_related("community__city")
    )
    page = page_of(request, cadres, filters, lambda c: _answer(c, full=full))
    audit.record(
        "personal.view", by=request.user, what="api-cadre-list", q=q, city=city or "", post=post
    )
    if full and page["items"]:
        ids = ",".join(str(c["id"]) for c in page["items"])
        audit.record(
            "personal.reveal",
            by=request.user,
            what="api-cadre-list",
            cadres=ids,
            fields="id_number,phone",
        )
    return page


@router.get("/{pk}", response={200: CadreOut, **REFUSALS_ONE}, summary="A cadre")
@requires_api(Perm.VIEW_CADRES, scope=Cadre.objects.visible_to, api_scope=ApiScope.CADRES_READ)
def cadre_detail(request: HttpRequest, pk: PK, options: Query[FullIn]):
    """One cadre within your reach (404 otherwise)."""
    full = _may_see_full(request, options.full)
    cadre = get_object_or_404(
        Cadre.objects.visible_to(request.user).select_related("community__city"), pk=pk
    )
    audit.record("personal.view", by=request.user, obj=cadre, what="api-cadre")
    if full:
        audit.record("personal.reveal", by=request.user, obj=cadre, fields="id_number,phone")
    return _answer(cadre, full=full)
