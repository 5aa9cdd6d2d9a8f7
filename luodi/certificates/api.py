"""Certificates of completion, as far as the user reaches (``Certificate.objects.visible_to``):
staff and supervisors every class's, a head teacher their classes', a trainee their own."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Schema

from luodi.accounts.access import Perm, requires_api
from luodi.accounts.api_auth import Router
from luodi.accounts.models import ApiScope
from luodi.certificates.models import Certificate
from luodi.lib.api import REFUSALS, Page, PageIn, page_of
from luodi.lib.params import MAX_ID

router = Router(tags=["certificates"])


class CertificateOut(Schema):
    id: int
    serial: str
    enrolment_id: int
    class_id: int
    class_title: str
    cadre_id: int
    cadre: str
    hours: float
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    revoke_reason: str

    @staticmethod
    def resolve_class_id(obj) -> int:
        return obj.enrolment.training_class_id

    @staticmethod
    def resolve_class_title(obj) -> str:
        return obj.enrolment.training_class.title

    @staticmethod
    def resolve_cadre_id(obj) -> int:
        return obj.enrolment.cadre_id

    @staticmethod
    def resolve_cadre(obj) -> str:
        return obj.enrolment.cadre.name


class CertificateFilters(PageIn):
    class_id: int | None = Field(None, ge=1, le=MAX_ID, alias="class", description="A class's id")
    year: int | None = Field(None, ge=2000, le=2100, description="The class's year")
    valid: bool | None = Field(None, description="true: in force only; false: revoked only")


@router.get("", response={200: Page[CertificateOut], **REFUSALS}, summary="Certificates")
@requires_api(
    Perm.ISSUE_CERTIFICATES,
    Perm.RUN_CLASSES,
    Perm.READ_CLASS_RECORDS,
    Perm.TRAINEE_SELF,
    scope=Certificate.objects.visible_to,
    api_scope=ApiScope.CERTIFICATES_READ,
)
def certificate_list(request: HttpRequest, filters: Query[CertificateFilters]):
    """Certificates within your reach, newest first; filter by class, year and validity."""
    certificates = Certificate.objects.visible_to(request.user).select_related(
        "enrolment__cadre", "enrolment__training_class__class_type"
    )
    if filters.class_id is not None:
        certificates = certificates.filter(enrolment__training_class_id=filters.class_id)
    if filters.year is not None:
        certificates = certificates.filter(enrolment__training_class__year=filters.year)
    if filters.valid is not None:
        certificates = certificates.filter(revoked_at__isnull=filters.valid)
    return page_of(request, certificates.order_by("-issued_at", "-id"), filters)
