"""Browser import: upload → preview (nothing saved) → confirm (saved in one go); permissions;
no uploaded file left in the temp folder."""

from __future__ import annotations

import os
import tempfile
import warnings

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import CacheKeyWarning
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.models import Membership, Organisation, OrgChange
from tests import factories as f
from tests.orgs.files.builders import counts, csv_bytes, make_lists, row, xlsx_bytes


@pytest.fixture
def lists(platform_a):
    make_lists(platform_a)
    return platform_a


@pytest.fixture
def clean_tempdir(tmp_path, monkeypatch):
    """A private, empty system temp folder for the test: anything written there is ours."""
    folder = tmp_path / "systemp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def upload_url(platform) -> str:
    return reverse("orgs:import", args=[platform.slug])


def confirm_url(platform) -> str:
    return reverse("orgs:import-confirm", args=[platform.slug])


def upload(client, platform, data: bytes, name: str = "meibo.csv"):
    return client.post(upload_url(platform), {"file": SimpleUploadedFile(name, data)})


def test_it_shows_the_form(lists, secretariat_a):
    response = secretariat_a.get(upload_url(lists))
    assert response.status_code == 200
    assert "名簿の取り込み" in response.text and "団体コード、団体名、名称カナ" in response.text


@pytest.mark.parametrize(
    ("name", "build"),
    [
        (
            "meibo.csv",
            lambda: csv_bytes(
                [
                    row(),
                    row(
                        **{
                            "団体コード": "T-02",
                            "団体名": "みなみ相談室",
                            "名称カナ": "ミナミ",
                            "法人番号": "",
                        }
                    ),
                ]
            ),
        ),
        (
            "meibo.xlsx",
            lambda: xlsx_bytes(
                [
                    row(),
                    row(
                        **{
                            "団体コード": "T-02",
                            "団体名": "みなみ相談室",
                            "名称カナ": "ミナミ",
                            "法人番号": "",
                        }
                    ),
                ]
            ),
        ),
    ],
)
def test_preview_saves_nothing_and_confirm_saves_everything(
    lists, org_a, secretariat_a, clean_tempdir, name, build
):
    before = counts()
    response = upload(secretariat_a, lists, build(), name)
    assert response.status_code == 200
    assert counts() == before
    summary = response.context["summary"]
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (2, 0, 0)
    assert "㈱髙橋こども食堂①" in response.text and "この内容で取り込む" in response.text
    token = response.context["token"]

    response = secretariat_a.post(confirm_url(lists), {"token": token})
    assert response.status_code == 302
    assert Organisation.objects.filter(ref__in=["T-01", "T-02"]).count() == 2
    assert Membership.objects.filter(platform=lists, organisation__ref="T-02").exists()
    change = OrgChange.objects.get(organisation__ref="T-01")
    assert change.actor is not None
    assert (change.source, change.actor.username, change.action) == (
        "import",
        "secretariat_a",
        "orgs.organisation.created",
    )
    assert "登録 2 件" in secretariat_a.get(upload_url(lists)).text
    assert os.listdir(clean_tempdir) == []


def test_the_preview_counts_updates_and_unchanged_rows(lists, secretariat_a):
    upload(
        secretariat_a,
        lists,
        csv_bytes([row(), row(**{"団体コード": "T-02", "団体名": "二", "名称カナ": "ニ", "法人番号": ""})]),
    )
    secretariat_a.post(confirm_url(lists), {"token": ""})  # no token: nothing happens
    token = upload(secretariat_a, lists, csv_bytes([row()])).context["token"]
    secretariat_a.post(confirm_url(lists), {"token": token})
    response = upload(
        secretariat_a,
        lists,
        csv_bytes(
            [
                row(**{"受付時間": "随時"}),
                row(**{"団体コード": "T-02", "団体名": "二", "名称カナ": "ニ", "法人番号": ""}),
            ]
        ),
    )
    summary = response.context["summary"]
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (1, 1, 0)
    assert summary["updated_rows"] == [("㈱髙橋こども食堂①", "受付時間", "")]
    assert summary["updated_changes"] == [
        ("㈱髙橋こども食堂①", [("受付時間", "平日 9:00～17:00", "随時")], "")
    ]
    assert "受付時間: <del>平日 9:00～17:00</del> → <ins>随時</ins>" in response.text  # old → new
    assert Organisation.objects.get(ref="T-01").hours == "平日 9:00～17:00"  # still the old value


def test_a_bad_file_shows_every_problem_and_no_confirm_button(lists, secretariat_a):
    before = counts()
    response = upload(
        secretariat_a,
        lists,
        csv_bytes([row(**{"法人番号": "1234567890123"}), row(**{"団体コード": "X", "参加状況": "保留"})]),
    )
    assert response.status_code == 200
    assert "2行目: 法人番号「1234567890123」のチェックデジットが正しくありません。" in response.text
    assert "3行目: 参加状況「保留」は 候補・打診済み・参加・退会 のどれかにしてください。" in response.text
    assert "この内容で取り込む" not in response.text and response.context["token"] == ""
    assert counts() == before


def test_an_unreadable_file_is_explained_on_the_form(lists, secretariat_a):
    response = upload(secretariat_a, lists, b"", "meibo.xlsx")
    assert response.status_code == 200  # an empty upload is refused by the form itself
    assert "ファイル" in response.text
    response = upload(secretariat_a, lists, b"not a workbook", "meibo.xlsx")
    assert "Excel ファイルではありません" in response.text


def test_a_token_is_single_use(lists, secretariat_a):
    token = upload(secretariat_a, lists, csv_bytes([row()])).context["token"]
    assert secretariat_a.post(confirm_url(lists), {"token": token}).status_code == 302
    before = counts()
    response = secretariat_a.post(confirm_url(lists), {"token": token}, follow=True)
    assert "有効期限が切れたか、すでに取り込み済みです" in response.text
    assert counts() == before


def test_a_token_is_bound_to_its_user(lists, secretariat_a, admin_a):
    token = upload(secretariat_a, lists, csv_bytes([row()])).context["token"]
    before = counts()
    admin_a.post(confirm_url(lists), {"token": token})
    assert counts() == before


def test_confirm_checks_the_file_again(lists, secretariat_a, platform_b):
    """Someone took the 団体コード between preview and confirm: nothing is saved."""
    token = upload(secretariat_a, lists, csv_bytes([row()])).context["token"]
    f.make_org(platform_b, ref="T-01", name="先に登録", name_kana="サキ")
    before = counts()
    response = secretariat_a.post(confirm_url(lists), {"token": token})
    assert (
        response.status_code == 200 and "団体コード「T-01」は別の団体がすでに使っています。" in response.text
    )
    assert counts() == before


@pytest.mark.parametrize("view", [upload_url, confirm_url])
@pytest.mark.parametrize(
    ("persona", "status"), [("anon", 302), ("secretariat_b", 404), ("coordinator_a", 403)]
)
def test_a_refused_upload_saves_nothing(request, lists, view, persona, status):
    """The statuses of every persona are in tests/test_permissions_matrix.py; here a refused POST
    carries a real file, and nothing of it is saved."""
    client = request.getfixturevalue(persona)
    response = client.post(view(lists), {"file": SimpleUploadedFile("m.csv", csv_bytes([row()]))})
    assert response.status_code == status
    if persona == "anon":
        assert response["Location"].startswith(reverse("login"))
    assert not Organisation.objects.filter(ref="T-01").exists()


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_file_over_the_limit_is_explained(lists, secretariat_a, settings):
    """The upload handler drops a file over FILE_UPLOAD_MAX_MEMORY_SIZE; the page used to
    reload blank, with no word of why."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    before = counts()
    response = upload(secretariat_a, lists, b"x" * (3 * 1024 * 1024))
    assert response.status_code == 200
    assert "ファイルが大きすぎます（2MB まで）" in response.text
    assert "token" not in response.context
    assert counts() == before


def test_an_overlong_token_is_refused_without_a_cache_lookup(lists, secretariat_a):
    """A key over 250 characters warns on locmem and fails on memcached."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        response = secretariat_a.post(confirm_url(lists), {"token": "x" * 5000}, follow=True)
    assert "有効期限が切れたか、すでに取り込み済みです" in response.text


def test_only_the_confirm_that_takes_the_token_imports(lists, secretariat_a, monkeypatch):
    """Two confirms from a double click may both read the pending file; only the one whose
    delete removed the key may import. Here another request has just taken it."""
    token = upload(secretariat_a, lists, csv_bytes([row()])).context["token"]
    monkeypatch.setattr(cache, "delete", lambda key, version=None: False)
    before = counts()
    response = secretariat_a.post(confirm_url(lists), {"token": token}, follow=True)
    assert "有効期限が切れたか、すでに取り込み済みです" in response.text
    assert counts() == before
