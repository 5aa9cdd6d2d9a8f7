"""A class's certificates: one reading of the trainees who completed it (and anyone holding a
certificate whose result changed since), for the page and its xlsx export (``jobs.exports``),
built in the request (bounded by the class)."""

from django.db.models import Exists, OuterRef, Q

from luodi.accounts.access import Perm
from luodi.certificates.models import Certificate
from luodi.certificates.policies import may_download
from luodi.jobs.exports import ListExport, register_list
from luodi.lib.documents.tables import Column, Kind
from luodi.training.models import EnrolmentStatus, TrainingClass


def class_certificates(user, filters: dict[str, str], training_class: TrainingClass):
    """Completed trainees, and anyone holding a certificate whose result was changed since."""
    return (
        training_class.enrolments.filter(
            Q(status=EnrolmentStatus.COMPLETED)
            | Q(Exists(Certificate.objects.filter(enrolment=OuterRef("pk"))))
        )
        .select_related("cadre__community__city")
        .prefetch_related("certificates")
        .order_by("cadre__community__city__code", "cadre__name_pinyin", "id")
    )


def _hours(e):
    certificate = e.certificate
    return certificate.hours if certificate else e.hours_credited


def _status(e) -> str:
    certificate = e.certificate
    if certificate is None:
        return "未发证"
    return "已撤销" if certificate.is_revoked else "有效"


def _of_certificate(getter):
    def value(e):
        certificate = e.certificate
        return getter(certificate) if certificate else None

    return value


CERTIFICATES = register_list(
    ListExport(
        name="certificates.class-list-xlsx",
        title=lambda tc: f"{tc.title}结业证书",
        columns=[
            Column("姓名", 10, lambda e: e.cadre.name),
            Column("地市", 10, lambda e: e.cadre.community.city.name),
            Column("社区", 24, lambda e: e.cadre.community.name),
            Column("学时", 7, _hours, Kind.HOURS),
            Column("证书编号", 34, _of_certificate(lambda c: c.serial)),
            Column("发证日期", 12, _of_certificate(lambda c: c.issued_at), Kind.DATE),
            Column("状态", 8, _status),
            Column("撤销日期", 12, _of_certificate(lambda c: c.revoked_at), Kind.DATE),
            Column("撤销原因", 24, _of_certificate(lambda c: c.revoke_reason)),
        ],
        rows=class_certificates,
        url_name="certificates:class-xlsx",
        page_name="certificates:class",
        perms=(Perm.ISSUE_CERTIFICATES, Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS),
        model=TrainingClass,
        rule=may_download,
    )
)
