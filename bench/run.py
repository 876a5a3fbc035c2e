"""Run every bench/bench_*.py in its own process (so peak memory is its own), print a table,
and write bench/results.json: one flat JSON object, figure name → number.

Each script prints, as its last stdout line, a JSON object of its figures. Targets live in
TARGETS below and are shown beside each figure; a miss is reported, not hidden.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# figure → (comparison, limit) ; "eq:<other figure>" means equal to that figure
TARGETS: dict[str, tuple[str, float | str]] = {
    "import_orgs_10k_s": ("<=", 5.0),
    "import_orgs_10k_speedup": (">=", 5.0),
    "import_orgs_10k_rss_mb": ("<=", 300.0),
    "orgs_list_queries_10k": ("==", "orgs_list_queries_100"),
    "orgs_list_ms_10k": ("<=", 100.0),
    "cases_list_queries_100k": ("==", "cases_list_queries_1k"),
    "cases_list_ms_100k": ("<=x1.5", "cases_list_ms_1k"),
    "case_detail_queries_300_handoffs": ("==", "case_detail_queries"),
    "leaflet_34_s": ("<=", 0.6),
    "leaflet_34_cached_ms": ("<=", 30.0),
    "leaflet_34_speedup": (">=", 2.0),
    "leaflet_300_s": ("<=", 4.0),
    "leaflet_300_rss_mb": ("<=", 250.0),
    "directory_300_ms": ("<=", 30.0),
    "directory_queries_300": ("==", "directory_queries_34"),
    "fy_report_2000_xlsx_s": ("<=", 1.0),
    "dashboard_ms": ("<=", 100.0),
    "dashboard_queries": ("==", "dashboard_queries_empty"),
    "xlsx_registry_10k_s": ("<=", 4.0),
    "survey_import_7000_s": ("<=", 5.0),
    "survey_results_7000_ms": ("<=", 100.0),
    "survey_results_queries_7000": ("==", "survey_results_queries_700"),
    "membership_fy_queries_10k": ("==", "membership_fy_queries_100"),
}


def verdict(name: str, value: float, results: dict[str, float]) -> str:
    if name not in TARGETS:
        return ""
    op, limit = TARGETS[name]
    ref = results.get(limit) if isinstance(limit, str) else limit
    if ref is None:
        return "?"
    ok = {"<=": value <= ref, ">=": value >= ref, "==": value == ref, "<=x1.5": value <= 1.5 * ref}[op]
    shown = f"{op} {ref:g}" if op != "<=x1.5" else f"<= 1.5 × {ref:g}"
    return f"{'OK ' if ok else 'MISS'} ({shown})"


def main() -> int:
    only = sys.argv[1:]
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not only or p.stem in only)
    results: dict[str, float] = {}
    failed = []
    for script in scripts:
        print(f"-- {script.name}", flush=True)
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent)
        lines = [ln for ln in proc.stdout.strip().splitlines() if ln.strip()]
        if proc.returncode != 0 or not lines:
            failed.append(script.name)
            print(proc.stdout[-2000:], proc.stderr[-4000:], sep="\n")
            continue
        results.update(json.loads(lines[-1]))
    results_path = HERE / "results.json"
    previous = json.loads(results_path.read_text()) if results_path.exists() else {}
    # a partial run keeps the other figures; a full run keeps make load's (bench/load.py)
    merged = previous if only else {k: v for k, v in previous.items() if k.startswith("load_")}
    merged.update(results)
    results_path.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    width = max((len(k) for k in merged), default=10)
    print(f"\n{'figure':{width}}  {'value':>12}  target")
    for name in sorted(merged):
        print(f"{name:{width}}  {merged[name]:>12.3f}  {verdict(name, merged[name], merged)}")
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
