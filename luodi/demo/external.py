"""The demo college's training outside the college (学时认定), through the same services as
people use: the demo trainee declared a district party-school class (recognised by staff) and
an online course (awaiting review); the liaison's city's secretaries completed online courses
that an online-learning platform's export recorded; a few of their declarations wait in the
staff's review queue.

Everything is drawn from the builder's seeded random generator, in a fixed order.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from luodi.accounts.models import User
from luodi.cadres.models import Cadre, Post
from luodi.college.models import CollegeSettings
from luodi.demo import data
from luodi.training.models import ExternalKind
from luodi.training.services.external import (
    Decision,
    external_decide,
    external_declare,
    external_import_row,
)

PLATFORM = "辽宁干部在线学习网"
COURSES = (
    "习近平新时代中国特色社会主义思想专题",
    "基层治理能力现代化",
    "社区应急管理与安全",
    "网格化服务管理实务",
    "新时代“枫桥经验”与矛盾纠纷化解",
    "居民议事协商方法",
)
SCHOOLS = ("中山区委党校", "西岗区委党校", "沙河口区委党校", "甘井子区委党校")
# Secretaries of the liaison's city with online hours: a fixed number, whatever the scale (the
# demo shows the feature; its figures come from the college's own classes).
IMPORTED = 40
PENDING = 4  # declarations awaiting the staff's review


def proof_pdf(title: str) -> ContentFile:
    """A one-page PDF standing for a scanned certificate (PDF 1.4, ASCII only)."""
    text = "Certificate of completion (demo)"
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return ContentFile(body, name=f"{title}.pdf")


class ExternalHoursBuilder:
    def build_external_hours(self) -> None:
        self.log("Training outside the college")
        rng, today = self.rng, self.today
        staff = User.objects.get(username="staff")
        liaison = User.objects.get(username="liaison")
        trainee = User.objects.get(username="trainee")
        me = Cadre.objects.get(pk=self.article_cadres[data.TRAINEE_CADRE])
        end = today - timedelta(days=40)
        school = external_declare(
            cadre=me,
            by=trainee,
            proof=proof_pdf("party-school"),
            kind=ExternalKind.PARTY_SCHOOL,
            organiser=SCHOOLS[0],
            title="社区党组织书记专题轮训班",
            start_date=end - timedelta(days=2),
            end_date=end,
            hours_claimed=Decimal(18),
        )
        external_decide(record=school, by=staff, decision=Decision.APPROVE)
        external_declare(
            cadre=me,
            by=trainee,
            proof=proof_pdf("online"),
            kind=ExternalKind.ONLINE,
            organiser=PLATFORM,
            title=COURSES[1],
            start_date=today - timedelta(days=30),
            end_date=today - timedelta(days=10),
            hours_claimed=Decimal(12),
        )
        secretaries = list(
            Cadre.objects.filter(
                community__city_id=self.city_ids[data.LIAISON_CITY], post=Post.SECRETARY
            )
            .exclude(pk=me.pk)
            .order_by("pk")
            .values_list("pk", flat=True)[: IMPORTED + PENDING]
        )
        college, imported = CollegeSettings.load(), 0
        for cadre_id in secretaries[PENDING:]:
            for title in rng.sample(COURSES, rng.randint(1, 3)):
                done = today - timedelta(days=rng.randint(15, 300))
                fields = {
                    "kind": ExternalKind.ONLINE,
                    "organiser": PLATFORM,
                    "title": title,
                    "start_date": done - timedelta(days=rng.randint(0, 20)),
                    "end_date": done,
                    "hours_claimed": Decimal(rng.choice((4, 6, 8, 10, 12))),
                }
                if external_import_row(cadre_id=cadre_id, fields=fields, by=staff, college=college):
                    imported += 1
        for n, cadre in enumerate(Cadre.objects.filter(pk__in=secretaries[:PENDING])):
            end = today - timedelta(days=rng.randint(10, 60))
            external_declare(
                cadre=cadre,
                by=liaison,
                proof=proof_pdf(f"declared-{n}"),
                kind=ExternalKind.PARTY_SCHOOL,
                organiser=SCHOOLS[n % len(SCHOOLS)],
                title="社区干部能力提升培训班",
                start_date=end - timedelta(days=1),
                end_date=end,
                hours_claimed=Decimal(rng.choice((12, 16))),
            )
        self.counts["external training"] = imported + PENDING + 2
