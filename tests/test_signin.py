"""Sign-in that fits a city office (docs/security.md 「サインインとセッション」).

- lock-out by user AND address after SIGNIN_FAILURE_LIMIT wrong passwords, a cool-off, a
  colleague at the same address unaffected, an administrator's unlock (logged);
- a second factor for every role whose rights see personal data: set up with a QR code, given at
  each sign-in, ten recovery codes, an administrator's reset (logged);
- password reset by email that tells no one who has an account; Japanese password rules;
- idle timeout; every session of a disabled user or of a removed role ends at once;
- no signed-in page is kept by the browser (Cache-Control: no-store).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.capabilities import CASES_VIEW_ALL
from platform_site.models import PlatformRole, Role, RoleChange, SignInSession
from platform_site.signin import selectors
from tests import factories as f

pytestmark = pytest.mark.usefixtures("frozen_now")

OFFICE = "203.0.113.10"  # the whole city office signs in from this one address
HOME = "198.51.100.7"


def sign_in(client: Client, username: str, password: str = f.PASSWORD, address: str = OFFICE):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def code_for(device: TOTPDevice) -> str:
    """What the authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def clerk(platform_a):
    user = f.make_user("clerk", email="clerk@example.jp")
    f.make_role(user, platform_a, Role.SECRETARIAT)
    return user


@pytest.fixture
def colleague(platform_a):
    user = f.make_user("colleague")
    f.make_role(user, platform_a, Role.SECRETARIAT)
    return user


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


# --- lock-out ---------------------------------------------------------------------------------


def test_ten_wrong_passwords_lock_that_user_at_that_address_only(clerk, colleague):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "clerk", "wrong-password")
        assert response.status_code == 200  # the form again, "wrong user name or password"
    response = sign_in(client, "clerk", "wrong-password")  # the tenth
    assert response.status_code == 429
    # now even the right password is refused, with the Japanese page
    response = sign_in(Client(), "clerk")
    assert response.status_code == 429
    page = response.content.decode()
    assert "ログインが一時的に止められています" in page
    assert "10 回" in page and "30 分" in page
    assert "_auth_user_id" not in Client().session
    # a colleague in the same office (same address) still signs in
    response = sign_in(Client(), "colleague")
    assert response.status_code == 302 and response["Location"] != reverse("login")
    # and the clerk from another address is not locked out by the office's failures
    assert sign_in(Client(), "clerk", address=HOME).status_code == 302


def test_nine_failures_then_the_right_password_signs_in_and_starts_the_count_again(clerk):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "clerk", "wrong-password")
    assert sign_in(Client(), "clerk").status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "clerk", "wrong-password")
    assert sign_in(Client(), "clerk").status_code == 302  # the success reset the count


def test_the_lock_out_ends_after_the_cool_off(clerk):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "clerk", "wrong-password")
    assert sign_in(Client(), "clerk").status_code == 429
    later = timezone.now() + settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert sign_in(Client(), "clerk").status_code == 302


def test_an_administrator_sees_the_lock_and_unlocks_it_logged(admin_a, clerk, platform_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "clerk", "wrong-password")
    role = PlatformRole.objects.get(user=clerk, platform=platform_a)
    page = admin_a.get(reverse("team:list", args=[platform_a.slug])).content.decode()
    assert "ロック中" in page and reverse("team:unlock", args=[platform_a.slug, role.pk]) in page

    response = admin_a.post(reverse("team:unlock", args=[platform_a.slug, role.pk]), follow=True)
    assert "clerk のログインのロックを解除しました。" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="clerk").exists()
    change = RoleChange.objects.get(target=clerk, action="platform.signin.unlocked")
    assert change.actor == admin_a.user and change.platform == platform_a
    assert change.label == "ログインのロックを解除"
    assert sign_in(Client(), "clerk").status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_lock_out(clerk):
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            reverse("login"),
            {"username": "clerk", "password": "wrong"},
            REMOTE_ADDR=OFFICE,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    assert sign_in(Client(), "clerk").status_code == 429


# --- the second factor ------------------------------------------------------------------------


def test_a_first_sign_in_sets_up_the_authenticator_and_gets_recovery_codes(clerk, case_a):
    client = Client()
    case_url = reverse("cases:detail", args=[case_a.platform.slug, case_a.pk])
    response = client.post(
        reverse("login") + f"?next={case_url}",
        {"username": "clerk", "password": f.PASSWORD, "next": case_url},
    )
    response = client.get(response["Location"])
    # the case page is not reached: set up the second factor first
    assert response.status_code == 302 and response["Location"].startswith(reverse("signin:setup"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "二要素認証の設定" in html and 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    secret = re.search(r'<code class="secret">([^<]+)</code>', html)
    assert secret and re.sub(r"\s", "", secret[1]) in device.config_url

    wrong = client.post(reverse("signin:setup"), {"token": "000000", "next": case_url})
    assert "確認コードが一致しません" in wrong.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5), tick=True):  # the wait after a miss
        response = client.post(reverse("signin:setup"), {"token": code_for(device), "next": case_url})
        html = response.content.decode()
        assert "回復コード" in html and "この画面は二度と表示されません" in html
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
        assert len(codes) == 10 and set(codes) == set(StaticToken.objects.values_list("token", flat=True))
        assert response["Cache-Control"] == "private, no-store"
        assert client.get(case_url).status_code == 200


def test_each_sign_in_asks_for_the_code_and_throttles_wrong_ones(clerk, case_a):
    device = _enrolled(clerk)
    client = Client()
    sign_in(client, "clerk")
    case_url = reverse("cases:detail", args=[case_a.platform.slug, case_a.pk])
    response = client.get(case_url)
    assert response["Location"] == f"{reverse('signin:verify')}?next={case_url.replace('/', '%2F')}"
    response = client.post(reverse("signin:verify"), {"token": "123456", "next": case_url})
    assert "確認コードが正しくありません" in response.content.decode()
    # straight after a wrong code even the right one waits (django-otp's growing delay)
    response = client.post(reverse("signin:verify"), {"token": code_for(device), "next": case_url})
    assert response.status_code == 200
    assert client.get(case_url).status_code == 302
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5), tick=True):
        response = client.post(reverse("signin:verify"), {"token": code_for(device), "next": case_url})
        assert response.status_code == 302 and response["Location"] == case_url
        assert client.get(case_url).status_code == 200


def test_a_recovery_code_works_once(clerk, case_a):
    _enrolled(clerk)
    from platform_site.signin import services

    codes = services.recovery_codes_issue(user=clerk)
    client = Client()
    sign_in(client, "clerk")
    response = client.post(reverse("signin:verify"), {"token": codes[0].upper()})
    assert response.status_code == 302
    assert StaticToken.objects.count() == 9
    client.post(reverse("logout"))
    other = Client()
    sign_in(other, "clerk")
    response = other.post(reverse("signin:verify"), {"token": codes[0]})
    assert "確認コードが正しくありません" in response.content.decode()


def test_an_enrolled_user_cannot_set_up_another_authenticator_with_the_password_alone(clerk, case_a):
    """A stolen password must not be enough to add the thief's phone: the set-up page asks for
    the existing authenticator first, and a code for a new one is never accepted before it."""
    _enrolled(clerk)
    client = Client()
    sign_in(client, "clerk")
    response = client.get(reverse("signin:setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("signin:verify"))
    response = client.post(reverse("signin:setup"), {"token": "123456"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("signin:verify"))
    assert list(TOTPDevice.objects.filter(user=clerk).values_list("confirmed", flat=True)) == [True]
    assert client.get(reverse("cases:detail", args=[case_a.platform.slug, case_a.pk])).status_code == 302


def test_a_new_set_of_recovery_codes_ends_the_old_ones(clerk):
    from platform_site.signin import services

    _enrolled(clerk)
    old = services.recovery_codes_issue(user=clerk)
    client = Client()
    sign_in(client, "clerk")
    assert client.post(reverse("signin:verify"), {"token": old[0]}).status_code == 302
    page = client.post(reverse("signin:recovery-new"))
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert page["Cache-Control"] == "private, no-store"
    client.post(reverse("logout"))
    for wait, code, works in ((0, old[1], False), (5, new[0], True)):  # after a miss: the wait
        with time_machine.travel(timezone.now() + dt.timedelta(seconds=wait), tick=True):
            other = Client()
            sign_in(other, "clerk")
            response = other.post(reverse("signin:verify"), {"token": code})
            assert (response.status_code == 302) is works, code


def test_a_reset_password_still_needs_the_second_factor(clerk, anon, case_a):
    device = _enrolled(clerk)
    anon.post(reverse("signin:password-reset"), {"email": "clerk@example.jp"})
    found = re.search(r"http://testserver(/accounts/reset/\S+)", str(mail.outbox[0].body))
    assert found
    form_url = anon.get(found[1], follow=True).redirect_chain[-1][0]
    anon.post(form_url, {"new_password1": "kaede-no-ki-2026", "new_password2": "kaede-no-ki-2026"})
    client = Client()
    sign_in(client, "clerk", password="kaede-no-ki-2026")
    case_url = reverse("cases:detail", args=[case_a.platform.slug, case_a.pk])
    response = client.get(case_url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("signin:verify"))
    assert client.get(reverse("signin:setup"))["Location"].startswith(reverse("signin:verify"))
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5), tick=True):
        client.post(reverse("signin:verify"), {"token": code_for(device)})
        assert client.get(case_url).status_code == 200


def test_the_redirect_after_the_second_factor_stays_on_this_site(clerk):
    device = _enrolled(clerk)
    client = Client()
    sign_in(client, "clerk")
    response = client.post(
        reverse("signin:verify"), {"token": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_the_roles_that_need_a_second_factor_come_from_the_registry(clerk, monkeypatch, platform_a):
    assert CASES_VIEW_ALL in selectors.personal_data_capabilities()
    assert selectors.needs_second_factor(clerk)
    nobody = f.make_user("no_role")
    assert not selectors.needs_second_factor(nobody)  # no role: sees nothing personal
    client = Client()
    sign_in(client, "no_role")
    assert client.get(reverse("home")).status_code == 200
    # were no right marked personal_data, the same secretariat would need none
    monkeypatch.setattr(selectors, "personal_data_capabilities", lambda: frozenset())
    assert not selectors.needs_second_factor(clerk)


def test_django_staff_need_a_second_factor_for_the_admin_site(db):
    root = f.make_user("root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("signin:setup"))


def test_an_administrator_resets_a_lost_phone_logged_and_their_sessions_end(
    admin_a, coordinator_a, platform_a
):
    role = PlatformRole.objects.get(user=coordinator_a.user, platform=platform_a)
    home = reverse("platform-home", args=[platform_a.slug])
    assert coordinator_a.get(home).status_code == 200
    page = admin_a.get(reverse("team:list", args=[platform_a.slug])).content.decode()
    assert reverse("team:second-factor-reset", args=[platform_a.slug, role.pk]) in page
    admin_a.post(reverse("team:second-factor-reset", args=[platform_a.slug, role.pk]))
    assert not TOTPDevice.objects.filter(user=coordinator_a.user).exists()
    assert not StaticToken.objects.filter(device__user=coordinator_a.user).exists()
    change = RoleChange.objects.get(target=coordinator_a.user, action="platform.signin.second_factor_reset")
    assert change.actor == admin_a.user and change.label == "二要素認証をリセット"
    response = coordinator_a.get(home)  # their open session ended
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # at the next sign-in they set up a new authenticator
    client = Client()
    sign_in(client, "coordinator_a")
    assert client.get(home)["Location"].startswith(reverse("signin:setup"))


def test_an_administrator_cannot_reset_their_own_second_factor(admin_a, platform_a):
    role = PlatformRole.objects.get(user=admin_a.user, platform=platform_a)
    response = admin_a.post(reverse("team:second-factor-reset", args=[platform_a.slug, role.pk]), follow=True)
    assert "自分自身の二要素認証はリセットできません" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin_a.user).exists()


# --- sessions ---------------------------------------------------------------------------------


def test_a_removed_role_ends_every_session_of_that_person_at_once(admin_a, coordinator_a, platform_a):
    second_browser = f.login_verified(Client(), coordinator_a.user)
    home = reverse("platform-home", args=[platform_a.slug])
    assert coordinator_a.get(home).status_code == 200 and second_browser.get(home).status_code == 200
    assert SignInSession.objects.filter(user=coordinator_a.user).count() == 2
    role = PlatformRole.objects.get(user=coordinator_a.user, platform=platform_a)
    admin_a.post(reverse("team:remove", args=[platform_a.slug, role.pk]))
    for client in (coordinator_a, second_browser):
        response = client.get(home)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not SignInSession.objects.filter(user=coordinator_a.user).exists()
    assert admin_a.get(home).status_code == 200  # the administrator's own session goes on


def test_a_right_taken_away_ends_the_sessions_a_right_given_does_not(
    admin_a, secretariat_a, platform_a, org_a
):
    role = PlatformRole.objects.get(user=secretariat_a.user, platform=platform_a)
    home = reverse("platform-home", args=[platform_a.slug])
    edit = reverse("team:edit", args=[platform_a.slug, role.pk])
    admin_a.post(edit, {"role": Role.SECRETARIAT, "grants": ["cases.export"]})
    assert secretariat_a.get(home).status_code == 200  # more rights: the session goes on
    admin_a.post(edit, {"role": Role.COORDINATOR, "organisation": org_a.pk, "grants": []})
    assert secretariat_a.get(home)["Location"].startswith(reverse("login"))


def test_a_disabled_account_is_signed_out_everywhere_at_once(secretariat_a, platform_a):
    home = reverse("platform-home", args=[platform_a.slug])
    assert secretariat_a.get(home).status_code == 200
    user = secretariat_a.user
    user.is_active = False
    user.save()
    assert not SignInSession.objects.filter(user=user).exists()
    assert secretariat_a.get(home)["Location"].startswith(reverse("login"))


def test_a_signed_out_session_leaves_no_record(secretariat_a):
    assert SignInSession.objects.filter(user=secretariat_a.user).count() == 1
    secretariat_a.post(reverse("logout"))
    assert not SignInSession.objects.filter(user=secretariat_a.user).exists()


def test_an_idle_session_ends(secretariat_a, platform_a):
    home = reverse("platform-home", args=[platform_a.slug])
    idle = dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    with time_machine.travel(timezone.now() + idle - dt.timedelta(minutes=2), tick=True):
        assert secretariat_a.get(home).status_code == 200  # still within: and the clock restarts
        with time_machine.travel(timezone.now() + idle - dt.timedelta(minutes=1), tick=True):
            assert secretariat_a.get(home).status_code == 200
            with time_machine.travel(timezone.now() + idle + dt.timedelta(minutes=1), tick=True):
                response = secretariat_a.get(home)
                assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
                page = secretariat_a.get(response["Location"]).content.decode()
                assert "しばらく操作がなかったため、ログアウトしました" in page
                assert secretariat_a.get(home)["Location"].startswith(reverse("login"))


def test_the_idle_timeout_is_a_setting(secretariat_a, platform_a, settings):
    settings.SESSION_IDLE_MINUTES = 5
    home = reverse("platform-home", args=[platform_a.slug])
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6), tick=True):
        assert secretariat_a.get(home)["Location"].startswith(reverse("login"))


# --- no page kept by the browser --------------------------------------------------------------


def test_signed_in_pages_are_no_store_and_public_ones_keep_their_caching(secretariat_a, anon, case_a, org_a):
    case_url = reverse("cases:detail", args=[case_a.platform.slug, case_a.pk])
    assert secretariat_a.get(case_url)["Cache-Control"] == "private, no-store"
    assert secretariat_a.post(reverse("logout"))["Cache-Control"] == "private, no-store"
    public = anon.get(reverse("directory:hsds", args=[case_a.platform.slug]))
    assert "no-store" not in public.get("Cache-Control", "")


# --- password reset and password rules ---------------------------------------------------------


def test_password_reset_by_email_tells_no_one_who_has_an_account(clerk, anon):
    known = anon.post(reverse("signin:password-reset"), {"email": "clerk@example.jp"})
    unknown = anon.post(reverse("signin:password-reset"), {"email": "nobody@example.jp"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("signin:password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clerk@example.jp"] and message.subject == "【つなぐ】パスワードの再設定"
    found = re.search(r"http://testserver(/accounts/reset/\S+)", str(message.body))
    assert found
    link = found[1]
    assert "パスワードを再設定する申し込みがありました" in message.body

    page = anon.get(link, follow=True)  # Django moves the token out of the URL
    form_url = page.redirect_chain[-1][0]
    weak = anon.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    html = weak.content.decode()
    assert "このパスワードは短すぎます" in html and "数字しか使われていません" in html
    strong = anon.post(form_url, {"new_password1": "kaede-no-ki-2026", "new_password2": "kaede-no-ki-2026"})
    assert strong["Location"] == reverse("signin:password-reset-complete")
    clerk.refresh_from_db()
    assert clerk.check_password("kaede-no-ki-2026")
    assert anon.get(link).status_code == 200 and "このリンクは使えません" in anon.get(link).content.decode()


def test_a_new_users_password_is_checked_in_japanese(admin_a, platform_a):
    response = admin_a.post(
        reverse("team:add", args=[platform_a.slug]),
        {"username": "new_user", "full_name": "新人", "password": "password", "role": Role.SECRETARIAT},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "このパスワードは短すぎます。最低 10 文字以上必要です。" in html
    assert "このパスワードは一般的すぎます。" in html
    assert not get_user_model().objects.filter(username="new_user").exists()
