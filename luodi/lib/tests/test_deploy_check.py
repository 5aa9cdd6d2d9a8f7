"""Production settings pass Django's deployment checks, and refuse to start without a secret key.

Each test runs ``manage.py`` in a fresh process with the environment a real deployment sets,
because settings are read once, at start."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def _production_env(tmp_path, **overrides: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("LUODI_") and k != "DATABASE_URL"
    }
    env |= {
        "LUODI_PRODUCTION": "1",
        "LUODI_DATA_DIR": str(tmp_path),
        "LUODI_SECRET_KEY": secrets.token_urlsafe(50),
        "LUODI_ALLOWED_HOSTS": "luodi.college.example.cn",
        "LUODI_PUBLIC_URL": "https://luodi.college.example.cn",
        "LUODI_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "LUODI_PROXY_COUNT": "1",
        # keys other parts of the security work require in production
        "LUODI_ID_DIGEST_KEY": secrets.token_urlsafe(32),
        "LUODI_FIELD_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),  # a Fernet key
    }
    return env | overrides


def _manage(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_https_is_turned_off(tmp_path):
    # The same check, proven able to fail: without the HTTPS redirect Django warns.
    env = _production_env(tmp_path, LUODI_SSL_REDIRECT="0")
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_turns_on_hsts_https_and_secure_cookies(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = _manage(_production_env(tmp_path), "shell", "-v", "0", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "31536000 True True True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["LUODI_SECRET_KEY"]
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "LUODI_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("flag", ["0", ""])
def test_a_local_run_keeps_plain_http(tmp_path, flag):
    env = _production_env(tmp_path, LUODI_PRODUCTION=flag)
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    result = _manage(env, "shell", "-v", "0", "-c", code)
    assert result.stdout.split("\n")[0] == "False 0"


def test_migrate_alone_creates_the_rate_limit_table(tmp_path):
    """A deployment runs ``migrate``; the shared cache the rate limit counts in needs no
    separate ``createcachetable`` step."""
    env = _production_env(tmp_path)
    assert _manage(env, "migrate", "-v", "0").returncode == 0
    code = (
        "from django.db import connection; from django.conf import settings as s;"
        " print(s.CACHES['shared']['LOCATION'] in connection.introspection.table_names())"
    )
    result = _manage(env, "shell", "-v", "0", "-c", code)
    assert result.stdout.split("\n")[0] == "True", result.stderr
