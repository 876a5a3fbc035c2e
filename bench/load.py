"""`make load`: a bounded load test against `make serve` (PostgreSQL, demo data) on loopback.

Two parts, figures merged into bench/results.json (only the keys below):
1. a busy office — 50 virtual users, each pausing 1–3 s between requests as a person reading
   does, for 60 s: the secretariat on the registry and the ledger, coordinators on their inbox
   posting handoffs, residents on the public directory, and a leaflet download →
   load_requests, load_errors, load_p50_ms, load_p95_ms, load_p99_ms;
2. saturation — 50 connections with no pauses, 15 s on a public directory search, then 15 s on
   the staff registry list → load_max_rps_public, load_max_rps_staff, load_p95_ms_public,
   load_p95_ms_staff.
The secretariat and the coordinator sign in as people do, with their second factor: the
first run sets up each demo account's authenticator and keeps its key in .cache/load-totp/
(not in git), later runs enter its codes.
Bounded: at most 100,000 requests in all; loopback only. Standard library only (threads and
http.client, one keep-alive connection per virtual user). The machine also runs the server, so
the figures include the client's own CPU; on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import random
import re
import statistics
import struct
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The demo accounts' authenticator keys this script set up (every staff role that sees personal
# data signs in with a second factor): kept beside `make serve`'s generated key, not in git.
TOTP_KEYS = HERE.parent / ".cache" / "load-totp"
MAX_REQUESTS = 100_000
PASSWORD = "tsunagu-demo-2026"  # the demo users' password (load_demo; fictional accounts)
PLATFORM = "kumamoto"
SECRETARIAT = "jimukyoku-kumamoto"
COORDINATOR = "dendenmushi"


class Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


@dataclass
class Stats:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float, ok: bool) -> None:
        with self.lock:
            self.times.append(ms)
            if not ok:
                self.errors += 1


class Client:
    """One keep-alive connection with its own cookies."""

    def __init__(self, host: str, port: int, cookies: dict[str, str] | None = None) -> None:
        self.host, self.port = host, port
        self.cookies = dict(cookies or {})
        self.conn = http.client.HTTPConnection(host, port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                content = resp.read()
                break
            except (http.client.HTTPException, ConnectionError, TimeoutError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        for value in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, content


def csrf_token(html: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1).decode()


def totp(key: str, step: int) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), as the authenticator apps and django-otp compute it."""
    secret = base64.b32decode(key.replace(" ", "").upper() + "=" * (-len(key.replace(" ", "")) % 8))
    digest = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def second_factor(c: Client, username: str) -> None:
    """Give the second factor as a person would: set up the authenticator the first time (the key
    shown on the set-up page is kept in TOTP_KEYS), and later enter its code. A code is accepted
    once (and a refused one slows the next try down), so the step used last is kept too and a
    second sign-in within the same 30 seconds waits for the next code."""
    status, headers, page = c.request("GET", "/accounts/2fa/")
    keyfile = TOTP_KEYS / username
    if status == 302 and "/accounts/2fa/setup/" in headers.get("location", ""):
        _s, _h, page = c.request("GET", "/accounts/2fa/setup/")
        match = re.search(rb'<code class="secret">([A-Z2-7 ]+)</code>', page)
        if not match:
            raise RuntimeError(f"no authenticator key on the set-up page for {username}")
        key, last, path = match.group(1).decode(), -1, "/accounts/2fa/setup/"
    elif status == 200 and b'name="token"' in page:
        try:
            key, last_text = keyfile.read_text().split("\n")[:2]
            last = int(last_text)
        except (OSError, ValueError):
            raise RuntimeError(
                f"{username} has an authenticator this script did not set up: "
                "load the demo into a fresh database (`make serve DEMO=1` with a new DATABASE_URL)"
            ) from None
        path = "/accounts/2fa/"
    else:
        return  # no second factor asked for this role
    step = int(time.time()) // 30
    if step <= last:
        time.sleep((last + 1) * 30 - time.time() + 0.5)
        step = last + 1
    status, _h, answer = c.request(
        "POST", path, {"token": totp(key, step), "csrfmiddlewaretoken": csrf_token(page)}
    )
    # signed in: a redirect; set up: the page with the recovery codes
    if status != 302 and "<h1>回復コード</h1>".encode() not in answer:
        raise RuntimeError(f"the second factor of {username} was refused")
    TOTP_KEYS.mkdir(parents=True, exist_ok=True)
    TOTP_KEYS.chmod(0o700)
    keyfile.write_text(f"{key}\n{step}\n")
    keyfile.chmod(0o600)


def login(host: str, port: int, username: str) -> dict[str, str]:
    c = Client(host, port)
    _s, _h, page = c.request("GET", "/accounts/login/")
    status, headers, _b = c.request(
        "POST",
        "/accounts/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page)},
    )
    if status != 302 or "sessionid" not in c.cookies:
        raise RuntimeError(
            f"cannot sign in as {username} (status {status}): start the server with `make serve DEMO=1`"
        )
    second_factor(c, username)
    return c.cookies


@dataclass
class Site:
    host: str
    port: int
    staff: dict[str, str]
    coordinator: dict[str, str]
    worries: list[str]
    public_orgs: list[str]
    staff_orgs: list[str]
    cases: list[str]
    handoffs: list[str]


def discover(host: str, port: int) -> Site:
    staff, coordinator = login(host, port, SECRETARIAT), login(host, port, COORDINATOR)
    anon = Client(host, port)
    _s, _h, page = anon.request("GET", f"/d/{PLATFORM}/")
    worries = sorted(set(re.findall(r'name="worry" value="(\d+)"', page.decode())))
    _s, _h, page = anon.request("GET", f"/d/{PLATFORM}/?worry={worries[0]}")
    public_orgs = sorted(set(re.findall(rf"/d/{PLATFORM}/o/([\w-]+)/", page.decode())))
    sc = Client(host, port, staff)
    _s, _h, page = sc.request("GET", f"/p/{PLATFORM}/orgs/")
    staff_orgs = sorted(set(re.findall(rf"/p/{PLATFORM}/orgs/([\w-]+)/\"", page.decode())))
    _s, _h, page = sc.request("GET", f"/p/{PLATFORM}/cases/")
    cases = sorted(set(re.findall(rf"/p/{PLATFORM}/cases/([\w-]+)/\"", page.decode())))
    cc = Client(host, port, coordinator)
    _s, _h, page = cc.request("GET", f"/p/{PLATFORM}/cases/")
    handoffs: list[str] = []
    for case in sorted(set(re.findall(rf"/p/{PLATFORM}/cases/([\w-]+)/\"", page.decode()))):
        _s, _h, detail = cc.request("GET", f"/p/{PLATFORM}/cases/{case}/")
        handoffs += re.findall(rf"(/p/{PLATFORM}/cases/{case}/referrals/[\w-]+/handoff/)", detail.decode())
    if not (worries and public_orgs and staff_orgs and cases):
        raise RuntimeError("the demo data is missing: start the server with `make serve DEMO=1`")
    return Site(
        host, port, staff, coordinator, worries, public_orgs, staff_orgs, cases, sorted(set(handoffs))
    )


def timed(
    client: Client,
    stats: Stats,
    method: str,
    path: str,
    body: dict | None = None,
    ok: tuple[int, ...] = (200,),
) -> bytes:
    start = time.perf_counter()
    try:
        status, _h, content = client.request(method, path, body)
        good = status in ok
    except Exception:  # noqa: BLE001  (counted as an error)
        content, good = b"", False
    stats.add((time.perf_counter() - start) * 1000, good)
    return content


def resident(site: Site, stats: Stats, budget: Budget, until: float, rng: random.Random) -> None:
    c = Client(site.host, site.port)
    while time.monotonic() < until and budget.take():
        pick = rng.random()
        if pick < 0.3:
            path = f"/d/{PLATFORM}/"
        elif pick < 0.7:
            path = f"/d/{PLATFORM}/?worry={rng.choice(site.worries)}"
        else:
            path = f"/d/{PLATFORM}/o/{rng.choice(site.public_orgs)}/"
        timed(c, stats, "GET", path)
        time.sleep(rng.uniform(1, 3))


def secretariat(site: Site, stats: Stats, budget: Budget, until: float, rng: random.Random) -> None:
    c = Client(site.host, site.port, site.staff)
    while time.monotonic() < until and budget.take():
        pick = rng.random()
        if pick < 0.35:
            path = f"/p/{PLATFORM}/orgs/"
        elif pick < 0.6:
            path = f"/p/{PLATFORM}/orgs/{rng.choice(site.staff_orgs)}/"
        elif pick < 0.8:
            path = f"/p/{PLATFORM}/cases/"
        else:
            path = f"/p/{PLATFORM}/cases/{rng.choice(site.cases)}/"
        timed(c, stats, "GET", path)
        time.sleep(rng.uniform(1, 3))


def coordinator(site: Site, stats: Stats, budget: Budget, until: float, rng: random.Random) -> None:
    c = Client(site.host, site.port, site.coordinator)
    while time.monotonic() < until and budget.take():
        if site.handoffs and rng.random() < 0.25:
            url = rng.choice(site.handoffs)
            form = timed(c, stats, "GET", url)
            time.sleep(rng.uniform(1, 3))
            if time.monotonic() >= until or not budget.take():
                break
            body = {
                "csrfmiddlewaretoken": csrf_token(form) if b"csrfmiddlewaretoken" in form else "",
                "date": dt.date.today().isoformat(),
                "given": "架空の負荷試験: 食料品",
                "quantity": "1",
                "noticed": "",
            }
            body.update(dict(re.findall(rb'<input type="hidden" name="(\w+)" value="([^"]*)"', form)))
            body = {
                (k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
                for k, v in body.items()
            }
            timed(c, stats, "POST", url, body, ok=(302, 303))
        else:
            path = f"/p/{PLATFORM}/" if rng.random() < 0.5 else f"/p/{PLATFORM}/cases/"
            timed(c, stats, "GET", path)
        time.sleep(rng.uniform(1, 3))


def leaflet(site: Site, stats: Stats, budget: Budget, until: float, rng: random.Random) -> None:
    c = Client(site.host, site.port, site.staff)
    path = f"/p/{PLATFORM}/orgs/leaflet.pdf"
    while time.monotonic() < until and budget.take():
        start = time.perf_counter()
        try:
            status, headers, _b = c.request("GET", path)
            good = status in (200, 302)
        except Exception:  # noqa: BLE001
            status, headers, good = 0, {}, False
        stats.add((time.perf_counter() - start) * 1000, good)
        if status == 302:  # handed to the worker: follow the status page as the person would
            job = urllib.parse.urlsplit(headers["location"]).path
            while time.monotonic() < until and budget.take():
                time.sleep(2)
                page = timed(c, stats, "GET", job)
                if "できあがりました".encode() in page or "できませんでした".encode() in page:
                    break
        time.sleep(rng.uniform(1, 3))


def busy_office(site: Site, budget: Budget, seconds: float) -> dict[str, float]:
    stats = Stats()
    until = time.monotonic() + seconds
    people = [resident] * 25 + [secretariat] * 12 + [coordinator] * 11 + [leaflet] * 2
    threads = [
        threading.Thread(target=fn, args=(site, stats, budget, until, random.Random(i)), daemon=True)
        for i, fn in enumerate(people)
    ]
    for t in threads:
        t.start()
        time.sleep(1.0 / len(threads))  # people arrive over the first second
    for t in threads:
        t.join(seconds + 60)
    q = statistics.quantiles(stats.times, n=100, method="inclusive")
    return {
        "load_requests": len(stats.times),
        "load_errors": stats.errors,
        "load_p50_ms": round(q[49], 1),
        "load_p95_ms": round(q[94], 1),
        "load_p99_ms": round(q[98], 1),
    }


def saturate(
    site: Site, budget: Budget, path: str, cookies: dict[str, str], seconds: float
) -> tuple[float, float, int]:
    stats = Stats()
    until = time.monotonic() + seconds

    def hammer() -> None:
        c = Client(site.host, site.port, cookies)
        while time.monotonic() < until and budget.take():
            timed(c, stats, "GET", path)

    start = time.monotonic()
    threads = [threading.Thread(target=hammer, daemon=True) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    elapsed = time.monotonic() - start
    q = statistics.quantiles(stats.times, n=100, method="inclusive")
    return round(len(stats.times) / elapsed, 1), round(q[94], 1), stats.errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--office-seconds", type=float, default=60)
    parser.add_argument("--saturation-seconds", type=float, default=15)
    args = parser.parse_args()
    parts = urllib.parse.urlsplit(args.url)
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        print("make load runs on loopback only", file=sys.stderr)
        return 2
    site = discover(parts.hostname, parts.port or 80)
    budget = Budget(MAX_REQUESTS)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    figures: dict[str, float] = dict(busy_office(site, budget, args.office_seconds))
    public = f"/d/{PLATFORM}/?worry={site.worries[0]}"
    rps, p95, errors = saturate(site, budget, public, {}, args.saturation_seconds)
    figures |= {"load_max_rps_public": rps, "load_p95_ms_public": p95, "load_errors_public": errors}
    rps, p95, errors = saturate(site, budget, f"/p/{PLATFORM}/orgs/", site.staff, args.saturation_seconds)
    figures |= {"load_max_rps_staff": rps, "load_p95_ms_staff": p95, "load_errors_staff": errors}
    print(f"measured from {started} (machine shared: the figures are noisy)")
    results = HERE / "results.json"
    merged = json.loads(results.read_text()) if results.exists() else {}
    merged.update(figures)
    results.write_text(json.dumps(merged, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    targets = {
        "load_errors": ("==", 0),
        "load_p95_ms": ("<=", 150),
        "load_max_rps_public": (">=", 200),
        "load_max_rps_staff": (">=", 80),
    }
    for name, value in figures.items():
        verdict = ""
        if name in targets:
            op, limit = targets[name]
            ok = {"==": value == limit, "<=": value <= limit, ">=": value >= limit}[op]
            verdict = f"{'OK ' if ok else 'MISS'} ({op} {limit})"
        print(f"{name:24} {value!s:>22}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
