import pytest
from django.test import Client
from conftest import A, S, H, T, L, R, V

pytestmark = pytest.mark.django_db

def test_smoke(world):
    for who in (A, L, H, T, R, V):
        c = Client(raise_request_exception=True); c.force_login(world.users[who])
        for path in ("communities", "cadres", "teachers", "courses", "classes", "sessions", "enrolments", "attendance", "certificates", "stats/by-year", "stats/by-city", "stats/by-class-type", f"cadres/{world.own['cadre'][0]}", f"classes/{world.own['class'][0]}", "cadres/99999999999999999999999", "classes?class_type=abc", "cadres?q=%00", "sessions?class=1"):
            r = c.get("/api/v1/" + path)
            print(who, path, r.status_code, r.content[:150].decode(errors="replace"))
    c = Client(); c.force_login(world.users[A])
    r = c.get("/api/v1/docs"); print(r.status_code, r.content[:600])
