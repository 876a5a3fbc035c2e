"""import_orgs on 10,000 organisations from a CP932 CSV (as Excel saves it), in-process.

Figures: import_orgs_10k_s (wall seconds of the import, file already written),
import_orgs_10k_rss_mb (peak RSS of the process, measured before the comparison below),
import_orgs_10k_reimport_s (the same file again: 10,000 rows matched and found unchanged),
import_orgs_10k_update_s (every row's 受付時間 changed: 10,000 updates with their history), and
the comparison: import_orgs_10k_default_s, the SAME file through a plain django-import-export
ModelResource for Organisation with default options (its own import_data, dry_run=False, in a
transaction: a save() per row in its savepoint, an instance copy and an HTML diff per row), and
import_orgs_10k_speedup = default / ours. import_orgs_10k_cpu_s and import_orgs_10k_default_cpu_s
are the same two imports in CPU seconds of this process (SQLite works in-process, so its work is
counted; PostgreSQL's is not): less swayed than wall time when other work shares the machine.

The plain resource takes only the file's columns that are Organisation fields as they are (its
default widgets cannot read 「○」, list names or the membership columns), so it writes less than
ours — no membership, phones, lists or history rows — and the speedup is, if anything, understated.
"""

from __future__ import annotations

import csv
import io
import json
import random
import time
from pathlib import Path

from _common import ROOT, peak_rss_mb, setup_django, timer

ROWS = 10_000


def build_csv(path: Path, hours: str = "平日 9:00～17:00 土曜日 10:00～15:00") -> None:
    from orgs.resources import HEADERS
    from platform_site.lib import japanese as jp

    rng = random.Random(2026)
    forms = ["NPO法人", "認定NPO法人", "一般社団法人", "社会福祉法人", "生活協同組合", "任意団体"]
    words = [
        "ひだまり",
        "こもれび",
        "あおぞら",
        "みどり",
        "さくら",
        "つばさ",
        "ほほえみ",
        "でんでんむし",
        "ゆりかご",
        "かけはし",
    ]
    kinds = [
        ("食堂", "ショクドウ"),
        ("相談室", "ソウダンシツ"),
        ("の会", "ノカイ"),
        ("ネット", "ネット"),
        ("サロン", "サロン"),
    ]
    cats = [
        "孤独・孤立",
        "生活に困窮",
        "住まい",
        "仕事",
        "18歳以下",
        "シングルマザー",
        "外国語での相談",
        "高齢・介護",
    ]
    statuses = ["候補", "打診済み", "参加", "退会"]
    with path.open("w", encoding="cp932", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADERS)
        for i in range(ROWS):
            word = rng.choice(words)
            kind, kind_kana = rng.choice(kinds)
            status = statuses[i % 4]
            joined = (
                f"20{rng.randint(19, 24)}/{rng.randint(4, 12):02d}/01" if status in ("参加", "退会") else ""
            )
            number = f"{rng.randint(1, 9999999):07d}{i:05d}"
            values = {
                "団体コード": f"BEN-{i:05d}",
                "団体名": f"{word}{kind}①{i}",
                "名称カナ": f"{jp.to_katakana(word)}{kind_kana}{i}",
                "法人格": rng.choice(forms),
                "法人番号": f"{jp.corporate_number_check_digit(number)}{number}" if i % 3 else "",
                "ホームページ": f"https://example-{i}.jp/",
                "メールアドレス": f"info{i}@example.jp",
                "電話番号": f"096-{i % 1000:03d}-{i:04d}（LINE相談も可）; 090-0000-{i:04d}",
                "郵便番号": f"860-{i:04d}",
                "所在地": f"熊本市中央区髙平{i % 50}丁目{i % 30}-{i % 9}",
                "所在地非公開": "○" if i % 17 == 0 else "",
                "受付時間": hours,
                "支援・活動内容": "子どもから高齢者まで多世代が交流する場。困りごとは行政や専門機関につなぎます。㈱協賛。"
                * 2,
                "相談するとどうなるか": "電話で話を聞き、必要なら窓口を一緒に探します。",
                "悩みのカテゴリ": "、".join(rng.sample(cats, 2)),
                "活動分野": rng.choice(["相談", "居場所", "食支援", "相談、食支援"]),
                "対応言語": "英語" if i % 5 == 0 else "",
                "LGBTQ+": "○" if i % 7 == 0 else "",
                "公開掲載への同意": "○" if i % 2 else "",
                "内容確認日": "2025-03-01",
                "参加状況": status,
                "コアメンバー": "○" if i % 50 == 0 else "",
                "PFでの役割": "参加団体",
                "参加日": joined,
                "退会日": "2025-03-31" if status == "退会" else "",
                "退会理由": "活動終了" if status == "退会" else "",
                "参加の経緯": rng.choice(["資源調査", "紹介", "申込み", ""]),
            }
            writer.writerow([values[h] for h in HEADERS])


def main() -> None:
    setup_django("orgs_import")
    from django.core.management import call_command

    from orgs.models import ActivityField, Language, Organisation, OrgChange, WorryCategory
    from platform_site.models import Platform

    platform = Platform.objects.create(
        slug="bench", name="ベンチ市PF", municipality="ベンチ市", secretariat="福祉課"
    )
    for i, name in enumerate(
        [
            "孤独・孤立",
            "生活に困窮",
            "住まい",
            "仕事",
            "18歳以下",
            "シングルマザー",
            "外国語での相談",
            "高齢・介護",
        ]
    ):
        WorryCategory.objects.create(platform=platform, name=name, order=i)
    for i, name in enumerate(["相談", "居場所", "食支援"]):
        ActivityField.objects.create(platform=platform, name=name, order=i)
    Language.objects.create(code="en", name="英語")
    path = ROOT / "bench" / "tmp" / "orgs_import_10k.csv"
    build_csv(path)
    try:
        cpu = time.process_time()
        with timer() as first:
            call_command("import_orgs", str(path), "--platform", "bench", stdout=io.StringIO())
        cpu = time.process_time() - cpu
        assert Organisation.objects.count() == ROWS and OrgChange.objects.count() == ROWS
        with timer() as again:
            call_command("import_orgs", str(path), "--platform", "bench", stdout=io.StringIO())
        assert OrgChange.objects.count() == ROWS
        build_csv(path, hours="随時（電話で予約）")
        with timer() as update:
            call_command("import_orgs", str(path), "--platform", "bench", stdout=io.StringIO())
        assert OrgChange.objects.count() == 2 * ROWS
        rss = peak_rss_mb()
        build_csv(path)
        Organisation.objects.all().delete()  # the plain import starts from an empty registry too
        default, default_cpu = default_import(path)
        assert Organisation.objects.count() == ROWS
    finally:
        path.unlink(missing_ok=True)
    print(
        json.dumps(
            {
                "import_orgs_10k_s": round(first.seconds, 3),
                "import_orgs_10k_rss_mb": round(rss, 1),
                "import_orgs_10k_reimport_s": round(again.seconds, 3),
                "import_orgs_10k_update_s": round(update.seconds, 3),
                "import_orgs_10k_default_s": round(default, 3),
                "import_orgs_10k_cpu_s": round(cpu, 3),
                "import_orgs_10k_default_cpu_s": round(default_cpu, 3),
                "import_orgs_10k_speedup": round(default / first.seconds, 2),
            }
        )
    )


def default_import(path: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) to import the file through a plain ModelResource with default options, reading
    it (CP932, with django-import-export's own CSV format) included, as ours includes reading."""
    from import_export.formats.base_formats import CSV
    from import_export.resources import ModelResource

    from orgs.models import Organisation
    from orgs.resources import OrganisationResource

    class PlainOrganisationResource(ModelResource):
        class Meta:
            model = Organisation

    model_fields = {f.name for f in Organisation._meta.concrete_fields}
    field_of = {
        c.column_name: c.attribute
        for c in OrganisationResource.fields.values()
        if c.attribute in model_fields
    }
    cpu = time.process_time()
    with timer() as took:
        dataset = CSV(encoding="cp932").create_dataset(path.read_bytes())
        for header in list(dataset.headers):
            if header not in field_of:
                del dataset[header]
        dataset.headers = [field_of[h] for h in dataset.headers]
        result = PlainOrganisationResource().import_data(dataset, dry_run=False, use_transactions=True)
    cpu = time.process_time() - cpu
    assert not result.has_errors() and not result.has_validation_errors(), result.base_errors[:1]
    return took.seconds, cpu


if __name__ == "__main__":
    main()
