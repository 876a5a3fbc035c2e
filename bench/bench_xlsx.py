"""The in-memory XLSX writer (platform_site/lib/xlsx.py) on export-sized sheets.

Figures: xlsx_registry_10k_s (10,000 rows × 26 text columns, the registry export's shape; median
of 3), xlsx_ledger_10k_s (10,000 引き継ぎ簿 rows: long wrapped text, two bold header rows, a merge),
xlsx_rss_mb (peak memory), and for comparison xlsx_registry_10k_openpyxl_s: openpyxl's own
writer on the same rows (which also spools each sheet to the temp folder).
"""

from __future__ import annotations

import io
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import peak_rss_mb, timer  # noqa: E402

from platform_site.lib.xlsx import Cell, Sheet, write_xlsx  # noqa: E402

ROWS = 10_000


def registry_rows() -> list[list[Cell]]:
    return [
        [
            f"T-{n:05}",
            f"こども食堂{n}",
            "コドモショクドウ",
            "NPO法人",
            "1234567890123",
            "https://example.jp/",
            "info@example.jp",
            "096-000-0000（LINE相談も可）; 090-0000-0000",
            "860-0000",
            "熊本市中央区手取本町1-1",
            "",
            "平日 9:00～17:00",
            "食事の提供と学習支援。" * 8,
            "まずお電話ください。担当者が折り返します。",
            "孤独・孤立、生活に困窮",
            "食、子ども",
            "日本語、English",
            "○",
            "○",
            "2025-03-01",
            "参加",
            "",
            "",
            "2023-04-01",
            "",
            "",
        ]
        for n in range(ROWS)
    ]


def ledger_rows() -> list[list[Cell]]:
    return [
        [
            n,
            "2026/04/10",
            "42",
            "女性",
            "（架空）独居。仕事を失い、食費に困っている。" * 6,
            "2026/04/12\n2026/04/26",
            "①米（5kg）\n■表情が明るくなった\n②缶詰\n※自治体へ報告",
        ]
        for n in range(1, ROWS + 1)
    ]


def main() -> None:
    registry = registry_rows()
    runs = []
    for _ in range(3):
        with timer() as t:
            data = write_xlsx(Sheet("団体", registry, headers=[[f"列{i}" for i in range(26)]]))
        runs.append(t.seconds)
    ledger = ledger_rows()
    with timer() as t_ledger:
        write_xlsx(
            Sheet(
                "引き継ぎ簿",
                ledger,
                headers=[["#", "実行日", "年齢", "性別", "自治体等受入情報", "NPO受入情報", ""], [""] * 7],
                widths=(5, 12, 8, 8, 60, 14, 60),
                bold_headers=True,
                wrap=True,
                merged=("F1:G1",),
            )
        )
    rss = peak_rss_mb()
    from openpyxl import Workbook

    with timer() as t_openpyxl:
        workbook = Workbook()
        sheet = workbook.worksheets[0]
        for row in registry:
            sheet.append(row)
        workbook.save(io.BytesIO())
    print(
        json.dumps(
            {
                "xlsx_registry_10k_s": round(statistics.median(runs), 3),
                "xlsx_registry_10k_kb": len(data) // 1024,
                "xlsx_ledger_10k_s": round(t_ledger.seconds, 3),
                "xlsx_rss_mb": round(rss, 1),
                "xlsx_registry_10k_openpyxl_s": round(t_openpyxl.seconds, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
