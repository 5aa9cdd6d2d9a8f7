"""The public verification pages: a rate limit per client address, shared by all workers, and
serials whose random part cannot be guessed."""

import math
import re

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from luodi.certificates import services
from luodi.certificates.models import Certificate
from luodi.lib import audit, ratelimit

pytestmark = pytest.mark.django_db

START = 1_800_000_000  # a whole minute (divisible by 60)


@pytest.fixture
def clock(monkeypatch):
    now = {"t": float(START)}
    monkeypatch.setattr(ratelimit, "_now", lambda: now["t"])
    return now


@pytest.fixture
def certificate(college):
    return services.certificate_issue(enrolment=college.finished.enrolments.first(), by=None)


def _verify(client, serial, **extra):
    return client.get(reverse("verify:certificate", args=[serial]), **extra)


def test_the_31st_check_in_a_minute_is_refused_until_the_minute_is_over(client, clock, certificate):
    assert settings.LUODI_VERIFY_RATE == 30
    for n in range(30):
        assert _verify(client, certificate.serial).status_code == 200, n
    response = _verify(client, certificate.serial)
    assert response.status_code == 429
    assert response.templates[0].name == "certificates/verify_throttled.html"
    assert "Retry-After" in response
    assert 0 < int(response["Retry-After"]) <= 60
    # the lookup form counts too: a script cannot switch to it
    assert client.get(reverse("verify:lookup")).status_code == 429
    clock["t"] += 59
    assert _verify(client, certificate.serial).status_code == 429
    clock["t"] += 1  # the next minute
    assert _verify(client, certificate.serial).status_code == 200


def test_the_refusal_says_what_to_do(client, clock, settings):
    settings.LUODI_VERIFY_RATE = 1
    _verify(client, "LN-X")
    response = _verify(client, "LN-X", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Too many checks from your address." in html
    assert "Please wait a minute, then check the number again." in html


def test_the_refusal_is_audited_once_per_window(client, clock, settings):
    settings.LUODI_VERIFY_RATE = 2
    before = len(audit.recent("verify.throttled"))
    for _ in range(10):
        _verify(client, "LN-2026-0001-00001-AAAA")
    events = audit.recent("verify.throttled")[before:]
    assert len(events) == 1
    assert events[0]["outcome"] == "refused"
    assert events[0]["details"]["ip"] == "127.0.0.1"


def test_each_client_address_has_its_own_count(client, clock, settings):
    settings.LUODI_VERIFY_RATE = 3
    for _ in range(3):
        _verify(client, "LN-X", REMOTE_ADDR="10.0.0.1")
    assert _verify(client, "LN-X", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert _verify(client, "LN-X", REMOTE_ADDR="10.0.0.2").status_code == 404


def test_behind_a_proxy_the_proxys_header_names_the_client(client, clock, settings):
    settings.LUODI_VERIFY_RATE = 2
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    # Without LUODI_PROXY_COUNT the header is not trusted: a forged one changes nothing.
    for n in range(3):
        response = _verify(client, "LN-X", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", **proxy)
    assert response.status_code == 429
    settings.LUODI_PROXY_COUNT = 1
    fwd = "HTTP_X_FORWARDED_FOR"
    for n in range(2):  # what the client put in front of the proxy's entry is ignored
        forged = {fwd: f"192.0.2.{n}, 198.51.100.7"}
        assert _verify(client, "LN-X", **forged, **proxy).status_code == 404
    assert _verify(client, "LN-X", **{fwd: "198.51.100.7"}, **proxy).status_code == 429
    assert _verify(client, "LN-X", **{fwd: "198.51.100.8"}, **proxy).status_code == 404


def test_the_count_is_kept_in_the_database_for_every_worker(client, clock):
    """gunicorn's workers are separate processes: the count lives in a database table."""
    assert settings.CACHES["shared"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    _verify(client, "LN-X")
    table = connection.ops.quote_name(settings.CACHES["shared"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {table}")  # a fixed table name
        keys = [row[0] for row in cursor.fetchall()]
    assert any("rate:verify:" in key for key in keys)
    assert not any("127.0.0.1" in key for key in keys)  # addresses are stored hashed


def test_serials_have_65_random_bits_from_crockfords_alphabet():
    serials = [services.make_serial(year=2026, class_id=310, sequence=42) for _ in range(500)]
    pattern = re.compile(r"^LN-2026-0310-00042-([0-9A-HJKMNP-TV-Z]{13})$")
    tails = [pattern.match(s)[1] for s in serials]
    assert len(set(tails)) == len(tails)
    assert services.SERIAL_RANDOM_LENGTH * math.log2(len(services.SERIAL_ALPHABET)) >= 64
    # every character of the alphabet turns up in 500 × 13 draws, and only those
    assert set("".join(tails)) == set(services.SERIAL_ALPHABET)
    assert len(services.SERIAL_ALPHABET) == 32
    assert not set("ILOU") & set(services.SERIAL_ALPHABET)


def test_a_serial_fits_its_column_with_a_long_class_id():
    serial = services.make_serial(year=2026, class_id=123_456_789, sequence=99_999)
    assert len(serial) <= Certificate._meta.get_field("serial").max_length


def test_a_serial_issued_before_the_longer_ones_still_verifies(client, clock, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(serial="LN-2024-0001-00001-K7Q2")
    response = _verify(client, "ln-2024-0001-00001-k7q2")
    assert response.status_code == 200
    assert response.context["certificate"] == certificate
