"""Leaflet and public directory: render times, the cached repeat, memory, directory speed.

Figures (last stdout line, JSON):
- leaflet_34_s: the kumamoto demo leaflet (34 members, the default grouping: in full once,
  by name and phone elsewhere) in a warm worker, the way the worker meets it: each timed
  render follows an edit of one organisation's activity text (the registry changed, one card
  differs), so the PDF cache cannot answer and the kept card layouts (platform_site.lib.
  pdf_blocks) serve every card but the edited one. Median of 5. leaflet_34_cold_s: the same
  with the kept layouts emptied first (the first print of a registry in a process: only the
  reuse within the render). leaflet_34_first_s is the first render of the process (fonts
  loaded from disk).
- leaflet_34_naive_s: the same leaflet the obvious way, side by side in the same run (the four
  alternate, after the same edit): the same template rendered to HTML with its stylesheet and
  QR codes inline, then weasyprint.HTML(string=…).write_pdf() with default options and no cache.
  leaflet_34_speedup = naive ÷ ours (medians), leaflet_34_cold_speedup = naive ÷ cold. The
  naive PDF is untagged (default options); leaflet_34_naive_ua_s asks it for PDF/UA-1 like
  ours, and leaflet_34_same_output_speedup is that ÷ ours. *_cpu_s: CPU seconds of the same
  runs.
- leaflet_34_cached_ms: a repeated GET of /p/kumamoto/orgs/leaflet.pdf through the view with
  the Django test client when nothing changed (median of 20), once the worker has typeset it
  (a first request for a registry state is handed to the worker).
- leaflet_300_s / leaflet_300_rss_mb: a 300-organisation leaflet (each organisation printed
  once, grouping "first": 300 entries) rendered in a fresh subprocess, so the peak memory is
  that render's own (no kept card layouts: only the reuse within the render); timed after a
  one-line warm-up print (_warmup_s), as in a worker, with the registry's QR codes in the
  shared cache as after any earlier print (leaflet_300_qr_s: making them, which the first
  print ever adds; the naive render, coming after ours, always found them made).
  Median of three such processes (peak memory: the largest of the three); in each process the
  naive render follows ours (leaflet_300_naive_s, leaflet_300_speedup). leaflet_300_refer_s /
  _rss_mb: the same registry with the default grouping (half the organisations have two
  worries: 450 entries, 150 of them short). *_cpu_s: CPU seconds of the same runs (the machine
  is shared; wall time includes waiting for a core).
- directory_300_ms: the public results page for two worries on a 300-organisation platform,
  server time through the test client (median of 20); directory_queries_34/_300 its queries;
  directory_300_search_ms two words searched, directory_300_english_ms the English page.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import login_verified, peak_rss_mb, setup_django, timer  # noqa: E402

BIG = "bench300"


def make_big_platform(n: int = 300) -> None:
    """300 listed members: 1–2 worries each, phones, websites (300 distinct QR codes), hours."""
    from orgs.demo import WORRY_CATEGORIES
    from orgs.models import Membership, MembershipStatus, Organisation, Phone, WorryCategory
    from orgs.searchtext import search_text_refresh
    from platform_site.lib import japanese as jp
    from platform_site.models import Platform

    platform = Platform.objects.create(
        slug=BIG,
        name="ベンチ市孤独・孤立対策PF",
        municipality="ベンチ市",
        secretariat="ベンチ市 福祉課",
        leaflet_title="相談先一覧",
        leaflet_contact="ベンチ市 福祉課 000-000-0000",
    )
    cats = WorryCategory.objects.bulk_create(
        [
            WorryCategory(platform=platform, name=name, description=desc, order=i)
            for i, (name, desc) in enumerate(WORRY_CATEGORIES)
        ]
    )
    kana = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
    orgs = []
    for i in range(n):
        reading = kana[i % len(kana)] + kana[(i * 7) % len(kana)] + f"ダンタイ{i:03d}"
        orgs.append(
            Organisation(
                name=f"ベンチ支援団体{i:03d}",
                name_kana=reading,
                sort_key=jp.kana_sort_key(reading),
                legal_form="NPO法人",
                website=f"https://org{i:03d}.example.jp/",
                email=f"info@org{i:03d}.example.jp",
                hours="平日 9:00～17:00 土曜日 10:00～15:00",
                public_listing=True,
                activity="困りごとの相談を受け、必要に応じて関係機関と連携しながら生活の立て直しを一緒に考えます。",
            )
        )
    orgs = Organisation.objects.bulk_create(orgs)
    Membership.objects.bulk_create(
        [Membership(platform=platform, organisation=o, status=MembershipStatus.MEMBER) for o in orgs]
    )
    Phone.objects.bulk_create(
        [
            Phone(organisation=o, number=f"096-{i:03d}-{i:04d}", note="LINE相談も可" if i % 3 == 0 else "")
            for i, o in enumerate(orgs)
        ]
    )
    through = Organisation.worry_categories.through
    links = []
    for i, o in enumerate(orgs):
        links.append(through(organisation_id=o.pk, worrycategory_id=cats[i % len(cats)].pk))
        if i % 2 == 0:
            links.append(through(organisation_id=o.pk, worrycategory_id=cats[(i + 5) % len(cats)].pk))
    through.objects.bulk_create(links)
    search_text_refresh(ids=[o.pk for o in orgs])  # as an import does after its bulk insert


def naive_pdf(source: Any, **options: Any) -> bytes:
    """The obvious way: the same template to HTML (stylesheet and images inline), then
    WeasyPrint with default options, no cache, nothing kept between renders."""
    import weasyprint

    from orgs.pdf import _html

    html, _images = _html(source, inline=True)
    return cast(bytes, weasyprint.HTML(string=html).write_pdf(**options))


def naive_ua_pdf(source: Any) -> bytes:
    """The obvious way asked for the same output as ours (PDF/UA-1: tagged, which costs)."""
    return naive_pdf(source, pdf_variant="pdf/ua-1")


def render_300_in_subprocess(grouping: str) -> dict[str, float]:
    env = dict(os.environ, BENCH_CHILD="render300", BENCH_GROUPING=grouping)
    out = subprocess.run(
        [sys.executable, __file__], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def child_render300() -> None:
    """In a fresh process: read and typeset the 300-organisation leaflet once."""
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "platform_site.settings"
    django.setup()
    from orgs.pdf import LeafletOptions, leaflet_pdf_bytes, leaflet_source
    from platform_site.models import Platform

    grouping = os.environ["BENCH_GROUPING"]
    name = "leaflet_300" if grouping == "first" else f"leaflet_300_{grouping}"
    naive = grouping == "first"  # the side-by-side figure: the target's leaflet
    platform = Platform.objects.get(slug=BIG)
    # A worker that has printed before: WeasyPrint imported, its UA stylesheet parsed and the
    # Japanese font loaded (≈0.7 s once per process, see leaflet_34_first_s). Tiny, so the
    # peak memory below is still the 300-organisation render's.
    with timer() as warm:  # both ways warmed up the way each would be in a worker
        from platform_site.lib.pdf import render_pdf, weasyprint

        render_pdf('<html lang="ja"><p>相談先</p></html>', lean=True)
        weasyprint().HTML(string="<html lang=ja><p>相談先</p></html>").write_pdf()
    # The registry's QR codes are in the shared cache (CACHE_URL) once any process has printed
    # it: made here, timed apart (leaflet_300_qr_s: what the first print ever adds). Both ways
    # then find them made, as the naive render always did, coming after ours in this process.
    from orgs.models import Organisation
    from orgs.pdf import _directory_url, qr_png

    with timer() as qr:  # (read apart from the registry read timed below)
        listed = Organisation.objects.filter(memberships__platform=platform, public_listing=True)
        for url in [*listed.exclude(website="").values_list("website", flat=True), _directory_url(platform)]:
            qr_png(url)
    cpu = time.process_time()
    with timer() as t:
        source = leaflet_source(platform=platform, options=LeafletOptions(grouping=grouping))
        data = leaflet_pdf_bytes(source)
    ours_cpu = time.process_time() - cpu
    rss = peak_rss_mb()  # ours only: the naive render below comes after this reading
    figures: dict[str, float] = {}
    if naive:
        naive_cpu = time.process_time()
        with timer() as n:
            naive_pdf(leaflet_source(platform=platform, options=LeafletOptions(grouping=grouping)))
        figures = {
            f"{name}_naive_s": round(n.seconds, 3),
            f"{name}_naive_cpu_s": round(time.process_time() - naive_cpu, 3),
        }
    print(
        json.dumps(
            figures
            | {
                f"{name}_s": round(t.seconds, 3),
                f"{name}_cpu_s": round(ours_cpu, 3),
                f"{name}_rss_mb": round(rss, 1),
                f"{name}_entries": sum(len(g.entries) for g in source.groups),
                f"{name}_pdf_kb": len(data) // 1024,
                f"{name}_warmup_s": round(warm.seconds, 3),
                f"{name}_qr_s": round(qr.seconds, 3),
            }
        )
    )


def median_ms(fn: Callable[[], object], n: int = 20) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 2)


def main() -> None:
    setup_django("leaflet")
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from orgs import demo
    from orgs.models import Organisation, WorryCategory
    from orgs.pdf import leaflet_pdf, leaflet_pdf_bytes, leaflet_source
    from platform_site.lib import pdf_blocks
    from platform_site.models import Platform

    demo.load()
    make_big_platform()
    kumamoto = Platform.objects.get(slug="kumamoto")
    results: dict[str, float] = {}

    with timer() as first:
        leaflet_pdf_bytes(leaflet_source(platform=kumamoto))
    results["leaflet_34_first_s"] = round(first.seconds, 3)
    naive_pdf(leaflet_source(platform=kumamoto))  # WeasyPrint's own start-up, not timed
    labels = ("ours", "cold", "naive", "naive_ua")
    runs: dict[str, list[float]] = {k: [] for label in labels for k in (label, f"{label}_cpu")}

    def cold_pdf(source: Any) -> bytes:
        pdf_blocks.clear()
        return leaflet_pdf_bytes(source)

    edited = Organisation.objects.filter(public_listing=True, memberships__platform=kumamoto).exclude(
        activity=""
    )
    org = edited.order_by("pk").first()
    assert org is not None
    activity = org.activity
    for i in range(5):  # alternating, so that all four meet the same machine
        org.activity = f"{activity}（{i + 1}月の休み：第2土曜日）"
        org.save()  # a coordinator's edit: the fingerprint changes, one card is new
        for label, render in (
            ("ours", leaflet_pdf_bytes),
            ("cold", cold_pdf),
            ("naive", naive_pdf),
            ("naive_ua", naive_ua_pdf),
        ):
            cpu = time.process_time()
            with timer() as t:  # read the registry + typeset
                render(leaflet_source(platform=kumamoto))
            runs[label].append(t.seconds)
            runs[f"{label}_cpu"].append(time.process_time() - cpu)
    med = {k: statistics.median(v) for k, v in runs.items()}
    results["leaflet_34_s"] = round(med["ours"], 3)
    results["leaflet_34_cpu_s"] = round(med["ours_cpu"], 3)
    results["leaflet_34_cold_s"] = round(med["cold"], 3)
    results["leaflet_34_cold_cpu_s"] = round(med["cold_cpu"], 3)
    results["leaflet_34_naive_s"] = round(med["naive"], 3)
    results["leaflet_34_naive_cpu_s"] = round(med["naive_cpu"], 3)
    results["leaflet_34_speedup"] = round(med["naive"] / med["ours"], 2)
    results["leaflet_34_cpu_speedup"] = round(med["naive_cpu"] / med["ours_cpu"], 2)
    results["leaflet_34_cold_speedup"] = round(med["naive"] / med["cold"], 2)
    results["leaflet_34_naive_ua_s"] = round(med["naive_ua"], 3)
    results["leaflet_34_same_output_speedup"] = round(med["naive_ua"] / med["ours"], 2)
    org.activity = activity
    org.save()

    # No setup_test_environment(): its instrumented template rendering would be timed too.
    client = Client(HTTP_HOST="localhost")
    login_verified(client, get_user_model().objects.get(username="jimukyoku-kumamoto"))
    url = "/p/kumamoto/orgs/leaflet.pdf"
    leaflet_pdf(leaflet_source(platform=kumamoto))  # the worker's job: typeset once, into the cache
    assert client.get(url).status_code == 200
    results["leaflet_34_cached_ms"] = median_ms(lambda: client.get(url))

    # Three fresh processes for the target figure (the machine is shared): median time, max memory.
    runs300 = [render_300_in_subprocess("first") for _ in range(3)]
    results.update(runs300[0])
    for key in (
        "leaflet_300_s",
        "leaflet_300_cpu_s",
        "leaflet_300_warmup_s",
        "leaflet_300_naive_s",
        "leaflet_300_naive_cpu_s",
    ):
        results[key] = round(statistics.median(r[key] for r in runs300), 3)
    results["leaflet_300_rss_mb"] = max(r["leaflet_300_rss_mb"] for r in runs300)
    results["leaflet_300_speedup"] = round(results["leaflet_300_naive_s"] / results["leaflet_300_s"], 2)
    results.update(render_300_in_subprocess("refer"))

    anon = Client(HTTP_HOST="localhost")

    def directory_url(slug: str) -> str:
        ids = list(
            WorryCategory.objects.filter(platform__slug=slug)
            .order_by("order")
            .values_list("pk", flat=True)[:2]
        )
        return f"/d/{slug}/?worry={ids[0]}&worry={ids[1]}"

    for slug, label in (("kumamoto", "34"), (BIG, "300")):
        target = directory_url(slug)
        assert anon.get(target).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            anon.get(target)
        results[f"directory_queries_{label}"] = len(ctx.captured_queries)
    big_url = directory_url(BIG)
    results["directory_300_ms"] = median_ms(lambda: anon.get(big_url))
    results["directory_300_index_ms"] = median_ms(lambda: anon.get(f"/d/{BIG}/"))
    # two words (AND) over the normalised search text and the categories' texts, full-width space
    results["directory_300_search_ms"] = median_ms(lambda: anon.get(f"/d/{BIG}/?q=相談　LINE"))
    results["directory_300_english_ms"] = median_ms(lambda: anon.get(f"/en{big_url}"))
    print(json.dumps(results))


if __name__ == "__main__":
    if os.environ.get("BENCH_CHILD") == "render300":
        child_render300()
    else:
        main()
