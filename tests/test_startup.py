"""Secure defaults: production needs a real secret key to serve; offline commands do not."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from platform_site.checks import check_secret_key
from platform_site.startup import require_secret_key

ROOT = Path(__file__).resolve().parent.parent


def test_the_check_fails_in_production_without_a_key(settings):
    settings.DEV_MODE = False
    settings.SECRET_KEY = ""
    assert [e.id for e in check_secret_key(None)] == ["platform_site.E003"]
    with pytest.raises(ImproperlyConfigured):
        require_secret_key()


def test_the_check_passes_with_a_key_or_in_development(settings):
    settings.DEV_MODE = False
    settings.SECRET_KEY = "a-long-random-value-from-the-environment"
    assert check_secret_key(None) == []
    require_secret_key()
    settings.DEV_MODE = True
    settings.SECRET_KEY = ""
    assert check_secret_key(None) == []


def _production(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"APP_ENV", "SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=120
    )


def test_the_wsgi_application_refuses_to_start_without_a_key():
    result = _production("-c", "import platform_site.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_is_not_debug_and_refuses_debug():
    result = _production(
        "-c",
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='platform_site.settings'; "
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY="k" * 50,
    )
    assert result.stdout.strip() == "False"
    refused = _production(
        "-c",
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='platform_site.settings'; import django; django.setup()",
        SECRET_KEY="k" * 50,
        DEBUG="true",
    )
    assert refused.returncode != 0 and "DEBUG may only be on" in refused.stderr
