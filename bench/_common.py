"""Shared set-up for benchmark scripts: a fresh database, Django ready, peak memory."""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(name: str) -> None:
    """Point Django at a fresh SQLite file bench/tmp/<name>.sqlite3 (or BENCH_DATABASE_URL) and migrate."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("APP_ENV", "test")
    os.environ["DJANGO_SETTINGS_MODULE"] = "platform_site.settings"
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        tmp = ROOT / "bench" / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        db = tmp / f"{name}.sqlite3"
        db.unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class timer:
    def __enter__(self) -> timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def login_verified(client, user) -> None:  # type: ignore[no-untyped-def]
    """Sign a test client in with a verified second factor (every staff page asks for one)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "authenticator"}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
