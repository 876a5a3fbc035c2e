"""The admin's import and export of the reference lists (django-import-export's pages with our
Resources and formats): superusers only; preview, then confirm; all or nothing, in Japanese;
the upload waits in the cache, never in the temp folder."""

from __future__ import annotations

import csv
import io
import os
import tempfile

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from orgs.models import Language, WorryCategory
from tests import factories as f


def csv_file(rows: list[list[str]], encoding: str = "cp932") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return SimpleUploadedFile("list.csv", buffer.getvalue().encode(encoding))


@pytest.fixture
def superuser(db) -> Client:
    client = Client()
    f.login_verified(client, f.make_user("root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def clean_tempdir(tmp_path, monkeypatch):
    folder = tmp_path / "systemp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def preview(client: Client, model: str, upload: SimpleUploadedFile):
    return client.post(
        reverse(f"admin:orgs_{model}_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )


def confirm(client: Client, model: str, response):
    form = response.context["confirm_form"]
    return client.post(reverse(f"admin:orgs_{model}_process_import"), form.initial)


def test_the_import_page_loads_for_a_superuser(superuser):
    response = superuser.get(reverse("admin:orgs_worrycategory_import"))
    assert response.status_code == 200
    assert "プラットフォーム" in response.text and "表示順" in response.text
    assert "import/" in superuser.get(reverse("admin:orgs_worrycategory_changelist")).text


def test_a_cp932_file_is_previewed_then_saved(superuser, platform_a, clean_tempdir):
    f.make_category(platform_a, name="孤独・孤立", order=1)
    upload = csv_file(
        [
            ["プラットフォーム", "名称", "説明", "表示順"],
            ["a-city", "孤独・孤立", "", "1"],
            ["a-city", "髙齢者の孤立①", "㈱と協力", "５"],
        ]
    )
    response = preview(superuser, "worrycategory", upload)
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.totals["new"], result.totals["skip"]) == (1, 1)
    assert not WorryCategory.objects.filter(name="髙齢者の孤立①").exists()  # a preview saves nothing
    assert os.listdir(clean_tempdir) == []

    response = confirm(superuser, "worrycategory", response)
    assert response.status_code == 302
    created = WorryCategory.objects.get(platform=platform_a, name="髙齢者の孤立①")
    assert (created.description, created.order) == ("㈱と協力", 5)
    assert WorryCategory.objects.filter(platform=platform_a).count() == 2
    assert LogEntry.objects.get(object_id=str(created.pk)).user.username == "root"
    assert os.listdir(clean_tempdir) == []


def test_a_bad_row_refuses_the_whole_file_in_japanese(superuser, platform_a):
    upload = csv_file(
        [
            ["プラットフォーム", "名称", "表示順"],
            ["a-city", "よいカテゴリ", "1"],
            ["z-city", "=HYPERLINK(1)", "いち"],
        ]
    )
    response = preview(superuser, "worrycategory", upload)
    assert response.status_code == 200
    text = response.text
    assert "3行目: プラットフォーム「z-city」はありません。" in text
    assert "3行目: 名称「=HYPERLINK(1)」は数式のように見えます" in text
    assert "3行目: 表示順「いち」は0以上の整数で入力してください。" in text
    assert response.context.get("confirm_form") is None
    assert not WorryCategory.objects.exists()


def test_a_missing_required_column_is_named(superuser, platform_a):
    response = preview(superuser, "worrycategory", csv_file([["名称"], ["孤独・孤立"]]))
    assert "1行目: 必須の列「プラットフォーム」がありません。" in response.text
    assert not WorryCategory.objects.exists()


def test_languages_are_updated_by_code(superuser):
    Language.objects.create(code="en", name="英語", order=1)
    response = preview(
        superuser,
        "language",
        csv_file(
            [["言語コード", "名称", "表示順"], ["en", "英語（English）", "1"], ["vi", "ベトナム語", "2"]],
            "utf-8",
        ),
    )
    confirm(superuser, "language", response)
    assert dict(Language.objects.values_list("code", "name")) == {"en": "英語（English）", "vi": "ベトナム語"}


def test_an_unreadable_file_is_explained(superuser):
    upload = SimpleUploadedFile("list.csv", bytes(range(256)) * 4)
    response = preview(superuser, "language", upload)
    assert "ファイルを読み取れません" in response.text
    assert not Language.objects.exists()


def test_the_export_is_csv_with_bom_and_neutralised(superuser, platform_a):
    f.make_category(platform_a, name="=1+1", order=2)
    fields = {f"worrycategoryresource_{name}": "on" for name in ("platform", "name", "description", "order")}
    response = superuser.post(
        reverse("admin:orgs_worrycategory_export"), {"format": "0", "resource": "0", **fields}
    )
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["プラットフォーム", "名称", "説明", "表示順"], ["a-city", "'=1+1", "", "2"]]


@pytest.mark.parametrize("url", ["admin:orgs_worrycategory_import", "admin:orgs_language_export"])
def test_staff_who_are_not_superusers_cannot_import_or_export(db, url):
    user = f.make_user("staff", is_staff=True)
    client = Client()
    f.login_verified(client, user)
    assert client.get(reverse(url)).status_code == 403


def test_the_registry_itself_has_no_admin_import(superuser):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("admin:orgs_organisation_import")
