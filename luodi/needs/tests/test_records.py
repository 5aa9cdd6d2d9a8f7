import pytest
from django.conf import settings
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.audit.models import AuditEvent
from luodi.needs.models import RecordKind, ResearchRecord

pytestmark = pytest.mark.django_db


def _post(college, topics, **extra):
    data = {
        "kind": RecordKind.FORUM,
        "date": "2026-04-01",
        "place": "学院第一教室",
        "city": college.shenyang.pk,
        "community": "",
        "participants": "第3期学员代表",
        "summary": "座谈",
        "finding-TOTAL_FORMS": "3",
        "finding-INITIAL_FORMS": "0",
        "finding-MIN_NUM_FORMS": "0",
        "finding-MAX_NUM_FORMS": "30",
        "finding-0-text": "不会组织居民议事",
        "finding-0-topics": [topics.b.pk],
        "finding-1-text": "突发事件处置无预案",
        "finding-1-topics": [topics.d.pk, topics.a.pk],
        "finding-2-text": "",
    }
    return data | extra


def test_staff_record_a_forum_with_tagged_findings(client_as, college, topics, users):
    response = client_as(Role.STAFF).post(reverse("needs:record-new"), _post(college, topics))
    record = ResearchRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert record.created_by == users[Role.STAFF]
    findings = list(record.findings.all())
    assert [f.text for f in findings] == ["不会组织居民议事", "突发事件处置无预案"]
    assert set(findings[1].topics.all()) == {topics.a, topics.d}
    assert AuditEvent.objects.filter(event="research_record.save").count() == 1


def test_editing_replaces_the_findings(client_as, college, topics, record):
    client = client_as(Role.STAFF)
    page = client.get(reverse("needs:record-edit", args=[record.pk]))
    assert "网格化管理人手不足" in page.content.decode()
    data = _post(college, topics, city=college.dalian.pk)
    data |= {"finding-0-text": "只剩这一条", "finding-1-text": "", "finding-1-topics": []}
    assert client.post(reverse("needs:record-edit", args=[record.pk]), data).status_code == 302
    assert [f.text for f in record.findings.all()] == ["只剩这一条"]


def test_a_community_must_be_in_the_city(client_as, college, topics):
    data = _post(college, topics, community=college.communities_dalian[0].code)
    response = client_as(Role.STAFF).post(reverse("needs:record-new"), data)
    assert response.status_code == 200
    assert not ResearchRecord.objects.exists()


def test_a_liaison_sees_only_their_own_citys_records(client_as, college, topics, record):
    other = ResearchRecord.objects.create(
        kind=RecordKind.FORUM, date=record.date, place="沈阳座谈会场", city=college.shenyang
    )
    client = client_as(Role.LIAISON)  # Dalian's
    page = client.get(reverse("needs:record-list")).content.decode()
    assert "拥警社区居委会" in page
    assert "沈阳座谈会场" not in page
    assert client.get(reverse("needs:record-detail", args=[record.pk])).status_code == 200
    assert client.get(reverse("needs:record-detail", args=[other.pk])).status_code == 404


def test_the_list_filters_by_city_kind_and_topic(client_as, college, topics, record):
    ResearchRecord.objects.create(
        kind=RecordKind.FORUM, date=record.date, place="沈阳座谈会场", city=college.shenyang
    )
    client = client_as(Role.STAFF)
    url = reverse("needs:record-list")

    def places(**query):
        body = client.get(url, query).content.decode()
        return [p for p in ("拥警社区居委会", "沈阳座谈会场") if p in body]

    assert places() == ["拥警社区居委会", "沈阳座谈会场"]
    assert places(city=college.shenyang.pk) == ["沈阳座谈会场"]
    assert places(kind="visit") == ["拥警社区居委会"]
    assert places(topic=topics.c.pk) == ["拥警社区居委会"]
    assert places(topic=topics.d.pk) == []


def test_the_list_reads_a_page_in_a_constant_number_of_queries(
    client_as, college, topics, record, django_assert_max_num_queries
):
    client = client_as(Role.STAFF)
    with django_assert_max_num_queries(12):
        client.get(reverse("needs:record-list"))


def test_the_community_is_typed_by_its_code_not_chosen_from_every_community(
    client_as, college, topics, record
):
    client = client_as(Role.STAFF)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the message below, in English
    community = college.communities_dalian[0]
    record.community = community
    record.city = college.dalian
    record.save()
    page = client.get(reverse("needs:record-edit", args=[record.pk])).content.decode()
    assert f'value="{community.code}"' in page  # the code is shown, not the id
    assert "<option" not in page.split('name="community"')[1].split(">")[0]
    assert college.communities_shenyang[0].name not in page  # no list of every community
    data = _post(college, topics, city=college.dalian.pk, community="999999999999")
    response = client.post(reverse("needs:record-new"), data)
    assert response.status_code == 200
    assert "No community has this code." in response.content.decode()
    data = _post(college, topics, city=college.dalian.pk, community=community.code)
    assert client.post(reverse("needs:record-new"), data).status_code == 302
    assert ResearchRecord.objects.filter(community=community).count() == 2
