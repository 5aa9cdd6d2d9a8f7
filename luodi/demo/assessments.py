"""The demo college's assessment projects (practice service), built through the assessment
services as staff and experts would:

- **2025年度全省和谐社区示范单位评估** for 辽宁省民政厅, completed: an indicator system of four
  first-level and twelve leaf indicators, the article's demonstration communities as units,
  four experts (the demo teacher, head teacher and supervisor, and a part-time teacher from
  outside), every sheet submitted; the outside expert scored well below the others, so the
  results page flags them.
- **全国社区治理和服务创新实验区结项评估** for 民政部, this year, scoring: its indicator system
  copied from the first, three districts as units, the demo teacher's first sheet a draft.

Everything is drawn from the builder's seeded random generator.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password

from luodi.accounts.models import Role, User
from luodi.assessments import jobs as assessment_jobs
from luodi.assessments import services
from luodi.assessments.models import ProjectStatus, StageKind, StageStatus
from luodi.faculty.models import Teacher, TeacherKind
from luodi.jobs.services import job_start
from luodi.regions.models import Community, Region, RegionLevel

COMPLETED = "全省和谐社区示范单位评估"
IN_PROGRESS = "全国社区治理和服务创新实验区结项评估"
OUTLINE = """组织建设 | 25
  党组织设置规范 | 30 | 10 | 社区党组织按规定设置，网格党支部（党小组）覆盖到位
  党员教育管理 | 40 | 10 | “三会一课”、主题党日等制度落实，党员积分管理
  社区“两委”班子 | 30 | 10 | 班子结构合理，书记主任“一肩挑”，交叉任职
民主自治 | 25
  居民议事协商 | 40 | 10 | 议事协商目录、程序公开，协商结果落实
  居务公开 | 30 | 10 | 公开栏、线上平台按时公开，群众知晓率
  社区社会组织 | 30 | 10 | 每万人社区社会组织数量，参与社区服务情况
服务群众 | 30
  便民服务站点 | 30 | 10 | 党群服务中心面积、功能布局与开放时间
  “一老一小”服务 | 40 | 10 | 居家养老、托育照护服务覆盖
  网格化服务管理 | 30 | 10 | 网格划分、网格员配备与事项办结率
平安和谐 | 20
  矛盾纠纷化解 | 40 | 10 | 调解组织健全，纠纷化解率
  平安建设 | 30 | 10 | 治安防控、消防安全、无重大事件
  文明创建 | 30 | 10 | 志愿服务、移风易俗、居民满意度
"""
COMMENTS = [
    "台账资料齐全，记录规范。",
    "现场查看与材料一致。",
    "部分记录不够完整，建议补充。",
    "居民满意度调查结果较好。",
    "特色做法可在全省推广。",
    "",
    "",
    "",
]


class AssessmentBuilder:
    """Mixed into the demo builder: ``self.rng``, ``self.today``, ``self.log``, ``self.counts``,
    ``self.article_communities``."""

    def build_assessments(self) -> None:
        self.log("Assessment projects")
        staff = User.objects.get(username="staff")
        experts = [
            User.objects.get(username=name) for name in ("teacher", "headteacher", "supervisor")
        ]
        experts.append(self._outside_expert())
        year = self.today.year - 1
        project = services.project_create(
            name=f"{year}年度{COMPLETED}",
            client="辽宁省民政厅",
            year=year,
            description="受辽宁省民政厅委托，对各市推荐的和谐社区示范单位开展跟踪指导和结项评估，"
            "形成评估报告报送委托单位。",
            by=staff,
        )
        services.indicators_replace(project=project, text=OUTLINE, by=staff)
        communities = Community.objects.filter(
            pk__in=sorted(self.article_communities.values())
        ).select_related("district")
        units = [services.unit_add(project=project, community=c, by=staff) for c in communities]
        for expert in experts:
            services.expert_add(project=project, user=expert, by=staff)
        self._stages(project, year, staff)
        services.project_update(project=project, status=ProjectStatus.SCORING, by=staff)
        leaves = services.leaves_of(project)
        outlier = experts[-1]
        for unit in units:
            quality = self.rng.uniform(0.7, 0.98)
            for expert in experts:
                # The outside expert marks about a fifth lower than the others across the board.
                level = quality - (0.22 if expert == outlier else 0)
                self._sheet(unit, expert, leaves, level, submit=True)
        services.project_update(project=project, status=ProjectStatus.COMPLETED, by=staff)
        # The results workbook and the report went to the client: the results page's two
        # buttons, prepared by the background worker (at once with the tests' backend).
        for kind in (assessment_jobs.RESULTS_XLSX, assessment_jobs.RESULTS_PDF):
            job_start(kind=kind, subject=project, by=staff)
        self._in_progress(project, experts, staff)
        self.counts["assessment units"] = len(units)

    def _outside_expert(self) -> User:
        """A part-time teacher of the faculty, given an account to score as an expert."""
        teacher = (
            Teacher.objects.filter(kind=TeacherKind.PART_TIME, user__isnull=True)
            .order_by("id")
            .first()
        )
        expert = User(
            username="expert",
            role=Role.TEACHER,
            first_name=teacher.name if teacher else "外聘专家",
            teacher=teacher,
            password=make_password(None),  # no login until the college sets a password
        )
        expert.save()
        return expert

    def _stages(self, project, year: int, staff) -> None:
        dates = {
            StageKind.TRACKING: (date(year, 4, 1), date(year, 9, 30)),
            StageKind.ACCEPTANCE: (date(year, 10, 15), date(year, 11, 15)),
            StageKind.COMPILING: (date(year, 11, 16), date(year, 12, 20)),
        }
        for stage in project.stages.all():
            starts, ends = dates[StageKind(stage.kind)]
            services.stage_update(
                stage=stage, starts_on=starts, ends_on=ends, status=StageStatus.DONE, by=staff
            )

    def _sheet(self, unit, expert, leaves, level: float, *, submit: bool) -> None:
        rng = self.rng
        found = {}
        for leaf in leaves:
            share = min(1.0, max(0.0, level + rng.uniform(-0.08, 0.08)))
            value = (Decimal(str(share)) * leaf.max_score * 2).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            ) / 2  # to half a point, as experts mark
            found[leaf.pk] = services.Entry(value=str(value), comment=rng.choice(COMMENTS))
        services.sheet_save(unit=unit, by=expert, entries=found, submit=submit)

    def _in_progress(self, previous, experts, staff) -> None:
        project = services.project_create(
            name=f"{self.today.year}年度{IN_PROGRESS}",
            client="民政部",
            year=self.today.year,
            by=staff,
        )
        services.indicators_copy(project=project, source=previous, by=staff)
        districts = list(Region.objects.filter(level=RegionLevel.DISTRICT).select_related("parent"))
        units = [
            services.unit_add(project=project, district=d, by=staff)
            for d in sorted(
                self.rng.sample(districts, min(3, len(districts))), key=lambda d: d.code
            )
        ]
        for expert in experts[:3]:
            services.expert_add(project=project, user=expert, by=staff)
        services.project_update(project=project, status=ProjectStatus.SCORING, by=staff)
        stage = project.stages.get(kind=StageKind.TRACKING)
        services.stage_update(
            stage=stage,
            starts_on=date(self.today.year, 3, 1),
            ends_on=date(self.today.year, 12, 31),
            status=StageStatus.ACTIVE,
            by=staff,
        )
        leaves = services.leaves_of(project)
        if units:
            self._sheet(units[0], experts[0], leaves, self.rng.uniform(0.7, 0.9), submit=False)
