import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from luodi.accounts.models import Role
from luodi.research import services
from luodi.research.models import AdvisoryKind, Level, ProjectStatus, PublicationKind


@pytest.fixture
def output(college, make, users):
    """Research output of three teachers over two years, small enough to count by hand:

    - 2023: project P1 (national, 民政部, led by 张平 with 王芳), publication B1 (张平, 王芳),
      advisory A1 (王芳);
    - 2024: projects P2 (provincial, 辽宁省民政厅, led by 王芳 with 张平 and 刘洋) and P3
      (provincial, 民政部, led by 刘洋), publications B2 (刘洋) and B3 (张平), no advisory.
    """
    staff = users[Role.STAFF]
    zhang, wang, liu = college.teacher, make.teacher(name="王芳"), make.teacher(name="刘洋")

    def project(title, funder, level, principal, members, start, courses=()):
        return services.project_save(
            by=staff,
            title=title,
            funder=funder,
            level=level,
            principal=principal,
            start_date=start,
            status=ProjectStatus.IN_PROGRESS,
            budget=Decimal("12.50"),
            members=members,
            courses=courses,
        )

    def publication(title, authors, on, kind=PublicationKind.JOURNAL, venue="中国行政管理"):
        return services.publication_save(
            by=staff, title=title, authors=authors, venue=venue, kind=kind, published_on=on
        )

    return SimpleNamespace(
        zhang=zhang,
        wang=wang,
        liu=liu,
        p1=project(
            "城市社区治理现代化路径研究",
            "民政部",
            Level.NATIONAL,
            zhang,
            [wang],
            dt.date(2023, 3, 1),
            courses=[college.course],
        ),
        p2=project(
            "辽宁省和谐社区建设评估研究",
            "辽宁省民政厅",
            Level.PROVINCIAL,
            wang,
            [zhang, liu],
            dt.date(2024, 4, 1),
        ),
        p3=project(
            "社区工作者职业体系建设研究", "民政部", Level.PROVINCIAL, liu, [], dt.date(2024, 9, 1)
        ),
        b1=publication("党建引领社区治理的实践逻辑", [zhang, wang], dt.date(2023, 6, 1)),
        b2=publication("社区协商议事的制度化", [liu], dt.date(2024, 2, 1)),
        b3=publication(
            "让居民说了算", [zhang], dt.date(2024, 5, 8), PublicationKind.NEWSPAPER, "人民日报"
        ),
        a1=services.advisory_save(
            by=staff,
            title="关于加强社区工作者队伍建设的建议",
            kind=AdvisoryKind.ADOPTED,
            client="辽宁省民政厅",
            date=dt.date(2023, 11, 20),
            teachers=[wang],
            courses=[college.course],
        ),
    )
