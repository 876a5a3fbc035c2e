"""The 試行的事業一覧 as XLSX and PDF: through the views and through `manage.py fy_report`."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.outreach.conftest import make_event

pytestmark = pytest.mark.django_db


def xlsx_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_xlsx_through_the_view(secretariat_a, platform_a, event_own):
    make_event(platform_a, name='=HYPERLINK("http://x")', budget_yen=1000, order=5)
    response = secretariat_a.get(reverse("outreach:report-xlsx", args=[platform_a.slug, 2023]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    rows = xlsx_rows(response.content)
    assert rows[0][0].endswith("令和5年度 試行的事業一覧")
    assert rows[1] == [
        "事業名称",
        "事業内容",
        "目的・期待効果・KPI",
        "実施時期",
        "発注先（予算）",
        "成果検証結果",
    ]
    assert rows[2][0] == "支援現場見学バスツアー" and rows[2][4] == "株式会社ひかり印刷\n（1,158,120円）"
    assert not str(rows[3][0]).startswith("=")  # a formula is never written as one
    assert rows[-1][0] == "予算合計" and rows[-1][4] == "1,159,120円"


def test_files_are_for_staff_only(coordinator_a, secretariat_b, platform_a):
    for name in ("outreach:report-xlsx", "outreach:report-pdf"):
        url = reverse(name, args=[platform_a.slug, 2023])
        assert coordinator_a.get(url).status_code == 403
        assert secretariat_b.get(url).status_code == 404


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_the_command_writes_kitakyushu_r5_as_xlsx(demo, tmp_path):
    out = tmp_path / "r5.xlsx"
    stdout = io.StringIO()
    call_command(
        "fy_report", "--platform", "kitakyushu", "--year", "2023", "--format", "xlsx", "--output", str(out),
        stdout=stdout,
    )  # fmt: skip
    assert "試行的事業 9 件、予算合計 7,099,480円" in stdout.getvalue()
    rows = xlsx_rows(out.read_bytes())
    body = rows[2:-1]
    assert len(body) == 9
    assert rows[-1][0] == "予算合計" and rows[-1][4] == "7,099,480円"
    assert any("株式会社グラフィア" in (r[4] or "") for r in body)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_the_command_writes_kitakyushu_r5_as_pdf(demo, tmp_path):
    out = tmp_path / "r5.pdf"
    call_command(
        "fy_report", "--platform", "kitakyushu", "--year", "2023", "--format", "pdf", "--output", str(out),
        stdout=io.StringIO(),
    )  # fmt: skip
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(out)
    assert "試行的事業一覧" in text and "7,099,480円" in text
    assert "支援現場見学バスツアー" in text


def test_the_command_refuses_an_unknown_platform(db, tmp_path):
    with pytest.raises(CommandError, match="プラットフォーム「nowhere」はありません。"):
        call_command(
            "fy_report", "--platform", "nowhere", "--year", "2023", "--format", "pdf", "--output", str(tmp_path / "x"),
        )  # fmt: skip
