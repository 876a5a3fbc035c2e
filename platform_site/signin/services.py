"""Writes of sign-in state: sessions, second factors, lock-outs.

An administrator's unlock and second-factor reset are written to the platform's role-change
record (`RoleChange`), the one place the team screen shows what was done to whose account.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..audit import audit_write
from ..models import Platform, RoleChange, SignInSession

SIGNIN_UNLOCKED = "platform.signin.unlocked"
SECOND_FACTOR_RESET = "platform.signin.second_factor_reset"
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


# --- sessions ---------------------------------------------------------------------------------


def session_record(*, user: Any, session_key: str, replaces: str | None = None) -> None:
    """A session of `user` opened (or `replaces`' key changed to `session_key`)."""
    if replaces:
        SignInSession.objects.filter(session_key=replaces).delete()
    SignInSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def session_forget(*, session_key: str) -> None:
    SignInSession.objects.filter(session_key=session_key).delete()


def sessions_end(*, user: Any) -> int:
    """End every session of `user` at once, whatever browser it is open in. Returns how many."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(SignInSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    SignInSession.objects.filter(user=user).delete()
    return len(keys)


# --- the second factor ------------------------------------------------------------------------


@transaction.atomic
def totp_enrol_begin(*, user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per user, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def totp_enrol_confirm(*, user: Any, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the new authenticator with a code it shows; replace any earlier one; issue new
    recovery codes and return them (shown once). None when the code is wrong."""
    if device.user_id != user.pk or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user: Any) -> list[str]:
    """Ten new single-use recovery codes; the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_verify(*, user: Any, token: str) -> Device | None:
    """The device that accepts `token`: the authenticator's 6 digits, or a recovery code (used
    up by it). Each device counts its failures and makes the next try wait longer (django-otp)."""
    token = token.strip().replace(" ", "").replace("-", "").lower()
    # six digits are the authenticator's; anything else is tried as a recovery code only, so
    # neither device's failure count grows from the other's codes
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    devices: list[Device] = list(model.objects.filter(user=user, confirmed=True))
    for device in devices:
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


@transaction.atomic
def second_factor_reset(*, platform: Platform, actor: Any, user: Any) -> None:
    """An administrator's reset (a lost phone): every device and recovery code of `user` goes,
    their sessions end, and they set up a new authenticator at their next sign-in. Logged."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ended = sessions_end(user=user)
    audit_write(
        RoleChange,
        platform=platform,
        actor=actor,
        target=user,
        action=SECOND_FACTOR_RESET,
        changes={"sessions_ended": [None, ended]},
    )


@transaction.atomic
def signin_unlock(*, platform: Platform, actor: Any, user: Any) -> int:
    """An administrator lifts the lock-out of `user` from every address. Logged."""
    removed = axes_reset(username=user.get_username())
    audit_write(
        RoleChange,
        platform=platform,
        actor=actor,
        target=user,
        action=SIGNIN_UNLOCKED,
        changes={"attempts_cleared": [None, removed]},
    )
    return removed
