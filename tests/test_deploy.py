"""`make check-deploy`: Django's deployment checks pass under the production settings with a real
key, HSTS and the HTTPS redirect are on by default, and a published placeholder key is refused."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# what the test run itself sets (the browser tests allow sync database calls in async code)
UNSET = {"DEBUG", "DJANGO_SETTINGS_MODULE", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _check_deploy(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    production = {
        "APP_ENV": "production",
        "SITE_URL": "https://tsunagu.example.lg.jp",
        "ALLOWED_HOSTS": "tsunagu.example.lg.jp",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean | production | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _example_key() -> str:
    text = (ROOT / ".env.example").read_text()
    match = re.search(r"^SECRET_KEY=(.+)$", text, re.M)
    assert match
    return match.group(1).strip()


def test_check_deploy_reports_nothing_with_a_real_key():
    result = _check_deploy(SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_env_example_key_is_refused():
    result = _check_deploy(SECRET_KEY=_example_key())
    assert result.returncode != 0
    assert "platform_site.E004" in result.stdout + result.stderr


def test_the_development_key_is_refused():
    result = _check_deploy(SECRET_KEY="insecure-development-key-not-for-production")
    assert "platform_site.E004" in result.stdout + result.stderr


def test_production_turns_hsts_and_the_https_redirect_on():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='platform_site.settings'; import django; django.setup(); "
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean | {"APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.split() == ["31536000", "True", "True", "True"], out.stderr
