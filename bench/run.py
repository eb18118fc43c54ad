"""Benchmark: the site served the production way, against a bare Django app in the same run.

    make bench                                   # defaults: ~5 minutes on a 2-core machine
    make bench BENCH_ARGS="--rounds 5 --duration 5 --scale articles=500,treatments=40,offers=60"

What it does (see bench/README.md):

1. A temporary directory with a fresh SQLite database (PostgreSQL when
   DATABASE_URL is set), media, STATIC_ROOT (collectstatic, WhiteNoise) and a
   file cache that the gunicorn workers share; migrate; the demo content scaled
   up (``load_demo_content --scale``); search index; N pending orders whose
   buyers have paid on the offline Checkout stand-in.
2. In-process, with the test Client: queries per request for every target and
   cache mode (this also generates every image rendition before measuring).
3. gunicorn with gunicorn.conf.py, DEBUG off, 2 workers (--workers), one server per cache
   mode ("uncached": no caches of ours; "content": the default configuration,
   fragments and nav cached; "page": whole pages cached for anonymous visitors)
   plus the reference app (bench/reference/), all on 127.0.0.1.
4. Warm-up, then several rounds over every target with wrk (Debian's package;
   installed with apt-get when missing, else a Python load generator), the
   checkout API, and signed webhook deliveries (each a distinct paid
   checkout.session.completed for a distinct pending order), then a check that
   every delivered order was fulfilled exactly once.
5. A table (req/s, p50, p99, queries per request, ratio to the reference
   template view) on stdout and in bench/results/ as JSON and Markdown.

Every load loop is bounded in requests and in time, and only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable
HOST = "127.0.0.1"

GOAL_UNCACHED = 0.25  # of the reference template view
GOAL_CACHED = 0.80
GOAL_P99_OVER_P50 = 4.0
GOAL_WEBHOOKS = 200  # events/s on SQLite
GOAL_WEBHOOKS_RATIO = 0.10  # of the reference template view, measured in the same rounds
GOAL_V2_FULL_UNCACHED = 0.05  # the v2 listing with every field (fields=*), nothing cached

# Every GET asks for gzip as browsers, fetch() and HTTP client libraries do. The reference app
# compresses nothing; the site sends compressed what its page cache stored compressed.
ACCEPT_ENCODING = "gzip, deflate, br"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- Load generators -------------------------------------------------------------------------------


def ensure_wrk(allow_install: bool) -> str | None:
    found = shutil.which("wrk")
    if found or not allow_install:
        return found
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        log("wrk is missing: apt-get install -y wrk")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "timeout": 300}
        if subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, **quiet).returncode != 0:
            subprocess.run(["apt-get", "update"], check=False, **quiet)
            subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, **quiet)
    found = shutil.which("wrk")
    if not found:
        log("wrk unavailable: using the Python load generator (slower client, lower ceilings)")
    return found


_WRK_DURATION = re.compile(r"([\d.]+)(us|ms|s|m)\b")


def _seconds(text: str) -> float:
    value, unit = _WRK_DURATION.match(text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def run_wrk(
    wrk: str,
    url: str,
    *,
    seconds: float,
    connections: int,
    threads: int,
    script: Path | None = None,
    headers: dict | None = None,
):
    seconds = max(1, round(seconds))  # wrk takes whole seconds
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _seconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _seconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "requests": total,
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def _one_request(port: int, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Host": f"{HOST}:{port}", **headers})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def run_python_load(port: int, requests, *, seconds: float, concurrency: int, max_requests: int):
    """Send ``requests`` (an iterator of (method, path, body, headers)) from ``concurrency`` threads.

    Stops after ``max_requests`` or ``seconds``, whichever comes first.
    """
    lock = threading.Lock()
    source = iter(requests)
    latencies: list[float] = []
    statuses: list[int] = []
    sent: list = []
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if len(sent) >= max_requests:
                    return
                try:
                    item = next(source)
                except StopIteration:
                    return
                sent.append(item)
            method, path, body, headers = item[:4]
            try:
                status, elapsed = _one_request(port, method, path, body, headers)
            except OSError:
                status, elapsed = 0, 0.0
            with lock:
                statuses.append(status)
                latencies.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return {
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50": pct(0.50),
        "p99": pct(0.99),
        "requests": len(latencies),
        "errors": sum(1 for s in statuses if not 200 <= s < 400),
        "socket_errors": "",
        "sent": sent,
    }


# --- Servers -----------------------------------------------------------------------------------------


class Server:
    workers = 2  # gunicorn workers of every server (--workers)

    def __init__(self, name: str, app: str, env: dict, logdir: Path, pythonpath: str | None = None):
        self.name = name
        self.port = free_port()
        self.log_path = logdir / f"gunicorn-{name}.log"
        cmd = [str(Path(PYTHON).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
        if pythonpath:
            cmd += ["--pythonpath", pythonpath]
        cmd.append(app)
        server_env = {**env, "GUNICORN_BIND": f"{HOST}:{self.port}", "WEB_CONCURRENCY": str(self.workers)}
        self.log_file = self.log_path.open("wb")
        self.process = subprocess.Popen(
            cmd, cwd=ROOT, env=server_env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    probe = "/healthz"

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def wait(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log_path}")
            with contextlib.suppress(OSError):
                status, _ = _one_request(self.port, "GET", path, None, {})
                if status < 500:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f}s; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log_file.close()


# --- Steps -------------------------------------------------------------------------------------------


SETUP_LOG: Path | None = None


def _run_logged(cmd: list[str], env: dict, timeout: int) -> None:
    """Run a set-up step with its output in the set-up log (shown when it fails)."""
    with SETUP_LOG.open("ab") as out:
        result = subprocess.run(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
    if result.returncode != 0:
        sys.stdout.write(SETUP_LOG.read_text(errors="replace")[-6000:])
        raise subprocess.CalledProcessError(result.returncode, cmd)


def manage(env: dict, *args: str, timeout: int = 600) -> None:
    _run_logged([PYTHON, "manage.py", *args], env, timeout)


def django_step(env: dict, *args: str, timeout: int = 600) -> None:
    _run_logged([PYTHON, str(BENCH / "django_steps.py"), *args], env, timeout)


def base_env(tmp: Path, args) -> dict:
    ignored = {"DEBUG", "TESTING", "TASKS_BACKEND", "DJANGO_SETTINGS_MODULE", "STRIPE_SECRET_KEY", "CACHE_DIR"}
    ignored |= {"CONTENT_CACHE_SECONDS", "PAGE_CACHE_SECONDS", "CACHE_MAX_ENTRIES"}
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        SITE_URL=f"http://{HOST}:8000",
        MEDIA_ROOT=str(tmp / "media"),
        STATIC_ROOT=str(tmp / "static"),
        EMAIL_URL="consolemail://",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
        # The benchmark pays through the offline stand-in on purpose (DEBUG off needs the opt-in).
        STRIPE_OFFLINE_CHECKOUT="1",
        # One client starts every checkout: with the production limits (20 per address and hour)
        # the checkout row would time the 429 answers instead of checkouts.
        SHOP_RATE_CHECKOUT_IP="100000000/3600",
        SHOP_RATE_CHECKOUT_EMAIL="100000000/3600",
    )
    env.pop("STRIPE_WEBHOOK_SECRET", None)
    if args.postgres:
        env["DATABASE_URL"] = args.postgres_database
    elif not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    if args.redis:
        # A fresh key prefix per run: nothing an earlier run left in Redis is read back.
        separator = "&" if "?" in args.redis else "?"
        env["CACHE_URL"] = f"{args.redis}{separator}key_prefix=bench-{tmp.name}"
        env.pop("REDIS_URL", None)
    elif not (os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")):
        # Shared by all workers of a server (and by the servers), as Redis would be in production
        # (set CACHE_URL=redis://… to measure Redis itself: here its round trips cost more than
        # the file cache's reads). The file cache needs room: at its default 300 entries every
        # write culls a third of the renditions and content fragments.
        env["CACHE_URL"] = f"filecache://{tmp / 'cache'}?max_entries=1000000"
    return env


# "default": exactly what a deploy with only the README's required variables runs: no CACHE_URL
# (the embedded file cache every worker shares, in CACHE_DIR), no CONTENT_CACHE_SECONDS or
# PAGE_CACHE_SECONDS (the settings' defaults). The other modes set the caches explicitly, on a
# file cache given as CACHE_URL (Redis when CACHE_URL/REDIS_URL is set in the environment).
MODE_ENV = {
    "default": {},
    "uncached": {"CONTENT_CACHE_SECONDS": "0", "PAGE_CACHE_SECONDS": "0"},
    "content": {"CONTENT_CACHE_SECONDS": "300", "PAGE_CACHE_SECONDS": "0"},
    "page": {"CONTENT_CACHE_SECONDS": "300", "PAGE_CACHE_SECONDS": "300"},
}
MODE_LABEL = {"default": "default", "uncached": "uncached", "content": "content cache", "page": "page cache"}
PLAIN_V2 = "pages API v2, client without gzip"


def mode_env(env: dict, mode: str, tmp: Path) -> dict:
    if mode != "default":
        return {**env, **MODE_ENV[mode]}
    ours = {"CACHE_URL", "REDIS_URL", "CONTENT_CACHE_SECONDS", "PAGE_CACHE_SECONDS", "CACHE_MAX_ENTRIES"}
    # CACHE_DIR is where the deploy's var/cache would be: the same backend, in the temporary directory.
    return {**{k: v for k, v in env.items() if k not in ours}, "CACHE_DIR": str(tmp / "cache-default")}


def drain(server: Server, timeout: float = 60) -> None:
    """Wait until every worker answers again: a slow target's queued requests must not count against the next."""
    deadline = time.monotonic() + timeout
    results: list = []

    def one():
        with contextlib.suppress(OSError):
            results.append(_one_request(server.port, "GET", server.probe, None, {})[0])

    while time.monotonic() < deadline:
        results.clear()
        threads = [threading.Thread(target=one, daemon=True) for _ in range(server.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.1, deadline - time.monotonic()))
        if len(results) == server.workers:
            return


def measure_get(wrk, server: Server, path: str, args, *, gzip: bool = True) -> dict:
    headers = {"Accept-Encoding": ACCEPT_ENCODING} if gzip else {}
    if wrk:
        result = run_wrk(
            wrk,
            server.url(path),
            seconds=args.duration,
            connections=args.connections,
            threads=args.threads,
            headers=headers,
        )
    else:
        requests = iter(lambda: ("GET", path, None, headers), None)
        result = run_python_load(
            server.port, requests, seconds=args.duration, concurrency=args.connections, max_requests=100_000
        )
        result.pop("sent")
    drain(server)
    return result


def post_script(tmp: Path, body: str) -> Path:
    script = tmp / "checkout.lua"
    lua_body = body.replace("\\", "\\\\").replace('"', '\\"')
    script.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "{lua_body}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
    )  # fmt: skip
    return script


def measure_checkout(wrk, server: Server, prepared: dict, tmp: Path, args) -> dict:
    body = json.dumps({**prepared["checkout"], "accept_disclaimer": True})
    if wrk:
        result = run_wrk(
            wrk,
            server.url("/api/shop/checkout"),
            seconds=args.duration,
            connections=args.connections,
            threads=args.threads,
            script=post_script(tmp, body),
        )
    else:
        item = ("POST", "/api/shop/checkout", body.encode(), {"Content-Type": "application/json"})
        requests = iter(lambda: item, None)
        result = run_python_load(
            server.port, requests, seconds=args.duration, concurrency=args.connections, max_requests=10_000
        )
        result.pop("sent")
    drain(server)
    return result


def signed_deliveries(items: list[dict], secret: str):
    import stripe

    for item in items:
        payload = json.dumps(item["event"])
        header = stripe.WebhookSignature.generate_signature_header(payload, secret)
        headers = {"Content-Type": "application/json", "Stripe-Signature": header, "User-Agent": "Stripe/1.0"}
        yield ("POST", "/stripe/webhook/", payload.encode(), headers, item["order"])


def measure_webhooks(server: Server, items: list[dict], secret: str, args) -> tuple[dict, list[str]]:
    result = run_python_load(
        server.port,
        signed_deliveries(items, secret),
        seconds=max(args.duration * 4, 20),
        concurrency=args.webhook_concurrency,
        max_requests=len(items),
    )
    tokens = [entry[4] for entry in result.pop("sent")]
    return result, tokens


# --- Report ------------------------------------------------------------------------------------------


def median_result(samples: list[dict]) -> dict:
    return {
        "rps": statistics.median(s["rps"] for s in samples),
        "p50": statistics.median(s["p50"] for s in samples),
        "p99": statistics.median(s["p99"] for s in samples),
        "requests": sum(s["requests"] for s in samples),
        "errors": sum(s["errors"] for s in samples),
        "rounds": [round(s["rps"], 1) for s in samples],
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def render_table(rows: list[dict], reference_rps: float) -> str:
    lines = [
        "| target | cache | req/s | p50 | p99 | queries/request | ratio to reference template |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        if row.get("skipped"):
            lines.append(f"| {row['target']} | {row['mode']} | — | — | — | — | skipped: {row['skipped']} |")
            continue
        queries = row.get("queries")
        ratio = row.get("ratio", row["rps"] / reference_rps if reference_rps else 0)
        unit = " events/s" if row["target"].startswith("webhook") else ""
        errors = f" ({row['errors']} errors)" if row.get("errors") else ""
        if not row.get("requests"):
            lines.append(
                f"| {row['target']} | {row['mode']} | 0: no request finished within a round | — | — | "
                f"{'' if queries is None else queries} | 0% |"
            )
            continue
        lines.append(
            f"| {row['target']} | {row['mode']} | {row['rps']:.0f}{unit}{errors} | {ms(row['p50'])} | "
            f"{ms(row['p99'])} | {'' if queries is None else queries} | {ratio:.0%} |"
        )
    return "\n".join(lines)


def goals(rows: list[dict], reference_rps: float, verified: dict | None, sqlite: bool) -> list[str]:
    notes = []
    pages = [r for r in rows if not r.get("skipped") and r.get("kind") == "page"]
    modes = (
        ("default", GOAL_CACHED),
        ("uncached", GOAL_UNCACHED),
        ("content cache", GOAL_UNCACHED),
        ("page cache", GOAL_CACHED),
    )
    for mode, goal in modes:
        selected = [r for r in pages if r["mode"] == mode]
        if not selected:
            continue
        worst = min(selected, key=lambda r: r["ratio"])
        missed = [f"{r['target']} {r['ratio']:.0%}" for r in selected if r["ratio"] < goal]
        ratio = worst["ratio"]
        verdict = "met" if not missed else f"MISSED by {', '.join(missed)}"
        lowest = f"lowest {worst['target']} {ratio:.0%}"
        notes.append(f"{mode}: every page ≥ {goal:.0%} of the reference: {verdict} ({lowest})")
        spread = [r["target"] for r in selected if r["p50"] and r["p99"] > GOAL_P99_OVER_P50 * r["p50"]]
        verdict = "met" if not spread else f"MISSED by {', '.join(spread)}"
        notes.append(f"{mode}: p99 ≤ {GOAL_P99_OVER_P50:.0f}× p50: {verdict}")
    plain = next((r for r in rows if r.get("kind") == "plain" and not r.get("skipped")), None)
    if plain:
        notes.append(
            f"default: {plain['target']} (not a goal; every browser asks for gzip): "
            f"{plain['ratio']:.0%} of the reference"
        )
    full = next((r for r in pages if r["mode"] == "uncached" and r["target"] == "pages API v2"), None)
    if full:
        verdict = "met" if full["ratio"] >= GOAL_V2_FULL_UNCACHED else "MISSED"
        goal = f"goal {GOAL_V2_FULL_UNCACHED:.0%}"
        notes.append(f"pages API v2 (fields=*) uncached: {full['ratio']:.1%}, {goal}: {verdict}")
    hooks = next((r for r in rows if r["target"].startswith("webhook") and not r.get("skipped")), None)
    if hooks:
        where = "on SQLite" if sqlite else "(not SQLite: goal is for SQLite)"
        verdict = "met" if hooks["rps"] >= GOAL_WEBHOOKS else "MISSED"
        notes.append(f"webhooks {where}: {hooks['rps']:.0f} events/s, goal {GOAL_WEBHOOKS}: {verdict}")
        # Issue #15 states the goal against the reference (≈ 200 events/s on a quiet machine).
        verdict = "met" if hooks["ratio"] >= GOAL_WEBHOOKS_RATIO else "MISSED"
        # One decimal: a ratio just under the goal would otherwise print as the goal, missed.
        notes.append(f"webhooks: {hooks['ratio']:.1%} of the reference, goal {GOAL_WEBHOOKS_RATIO:.0%}: {verdict}")
    if verified is not None:
        notes.append(
            "webhook fulfilment check: "
            + (
                "every delivered order fulfilled exactly once, with one email task"
                if verified["ok"]
                else f"FAILED {verified}"
            )
        )
    return notes


# --- Several app servers' stores: a throwaway PostgreSQL database -----------------------------------


@contextlib.contextmanager
def throwaway_database(server_url: str | None, name: str):
    """``DATABASE_URL`` of a new database on the PostgreSQL server ``server_url``, dropped afterwards."""
    if not server_url:
        yield None
        return
    admin = server_url.rstrip("/") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url.rstrip('/')}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Main --------------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="articles=200,treatments=20,offers=30", help="demo content totals")
    parser.add_argument("--rounds", type=int, default=3, help="measurement rounds over every target")
    parser.add_argument("--duration", type=float, default=2.0, help="seconds per target per round")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (wrk -c)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (the reference too)")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="PostgreSQL server (postgres://user@host:port): a throwaway database is created there and dropped",
    )
    parser.add_argument("--redis", metavar="URL", help="Redis as the cache (redis://host:port/db), a fresh key prefix")
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="the several-servers set-up on this machine's services: PostgreSQL 127.0.0.1:5432, Redis "
        "127.0.0.1:6379/2, 4 workers, 8 connections, modes uncached,content,page",
    )
    parser.add_argument("--events", type=int, default=200, help="webhook deliveries per round")
    parser.add_argument("--webhook-concurrency", type=int, default=4)
    parser.add_argument("--modes", default="default,uncached,content,page", help="cache modes to serve and measure")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install wrk")
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator even with wrk")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, database)")
    parser.add_argument("--quick", action="store_true", help="smoke run: small content, 1 round of 1 s")
    parser.add_argument(
        "--only-webhooks",
        action="store_true",
        help="measure only the reference template view and the webhook deliveries (no page or checkout target)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.scale, args.rounds, args.duration, args.warmup, args.events = (
            "articles=30,treatments=6,offers=8",
            1,
            1.0,
            1.0,
            100,
        )
    if args.cluster:
        args.postgres = args.postgres or "postgres://postgres@127.0.0.1:5432"
        args.redis = args.redis or "redis://127.0.0.1:6379/2"
        args.workers, args.connections = max(args.workers, 4), max(args.connections, 8)
        if args.modes == parser.get_default("modes"):
            args.modes = "uncached,content,page"  # "default" is the one-machine set-up (no CACHE_URL)
    args.modes = [m for m in args.modes.split(",") if m]
    unknown = set(args.modes) - set(MODE_ENV)
    if unknown:
        parser.error(f"unknown modes {unknown}; choose from {', '.join(MODE_ENV)}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    Server.workers = args.workers
    tmp = Path(tempfile.mkdtemp(prefix="runway-bench-"))
    with throwaway_database(args.postgres, f"bench_{tmp.name.replace('-', '_')}") as database_url:
        args.postgres_database = database_url
        return run(args, tmp)


def run(args, tmp: Path) -> int:
    started = time.monotonic()
    wrk = None if args.python_load else ensure_wrk(not args.no_install)
    global SETUP_LOG
    SETUP_LOG = tmp / "setup.log"
    env = base_env(tmp, args)
    sqlite = env["DATABASE_URL"].startswith("sqlite")
    servers: list[Server] = []
    try:
        setup_env = {**env, "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        log(f"setting up in {tmp} ({'SQLite' if sqlite else 'DATABASE_URL'}; cache {env.get('CACHE_URL', 'REDIS')})")
        manage(setup_env, "migrate", "--no-input", "-v", "0")
        manage(setup_env, "load_demo_content", "--scale", args.scale, "-v", "1")
        manage(setup_env, "collectstatic", "--no-input", "-v", "0")
        orders = args.events * args.rounds
        log(f"preparing {orders} paid orders awaiting their webhook")
        django_step(setup_env, "prepare", str(tmp / "prepared.json"), str(orders))
        prepared = json.loads((tmp / "prepared.json").read_text())
        log("counting queries per request in-process (and generating every rendition)")
        explicit = [mode for mode in args.modes if mode != "default"]
        query_counts = {}
        if explicit:
            django_step(env, "queries", str(tmp / "prepared.json"), str(tmp / "queries.json"), ",".join(explicit))
            query_counts = json.loads((tmp / "queries.json").read_text())
        if "default" in args.modes:
            out = tmp / "queries-default.json"
            django_step(mode_env(env, "default", tmp), "queries", str(tmp / "prepared.json"), str(out), "default")
            for name, counts in json.loads(out.read_text()).items():
                query_counts.setdefault(name, {}).update(counts)

        log("starting gunicorn: reference app and one site server per cache mode")
        reference = Server("reference", "refsite.wsgi:application", env, tmp, pythonpath=str(BENCH / "reference"))
        reference.probe = "/constant/"
        servers.append(reference)
        sites = {}
        for mode in args.modes:
            sites[mode] = Server(f"site-{mode}", "site.wsgi:application", mode_env(env, mode, tmp), tmp)
            servers.append(sites[mode])
        reference.wait("/constant/")
        for server in sites.values():
            server.wait("/healthz")

        targets = [t for t in prepared["targets"] if t["mounted"]]
        plan = [("reference template", "reference", reference, "/template/", "ref")]
        plan.append(("reference constant", "reference", reference, "/constant/", "ref"))
        for mode, server in sites.items():
            for target in [] if args.only_webhooks else targets:
                plan.append((target["name"], MODE_LABEL[mode], server, target["url"], "page"))
                if mode == "default" and target["name"] == "pages API v2":
                    # The same listing for a client that asks no gzip: the page cache inflates it.
                    plan.append((PLAIN_V2, MODE_LABEL[mode], server, target["url"], "plain"))

        log(f"warm-up: {len(plan)} targets × {args.warmup:.1f}s")
        warm_args = argparse.Namespace(**{**vars(args), "duration": args.warmup})
        for _, _, server, path, kind in plan:
            measure_get(wrk, server, path, warm_args, gzip=kind != "plain")

        samples: dict[tuple[str, str], list[dict]] = {}
        hook_samples: list[dict] = []
        checkout_samples: list[dict] = []
        delivered: list[str] = []
        site = sites.get("uncached") or next(iter(sites.values()))
        per_round = [prepared["webhook_orders"][i :: args.rounds] for i in range(args.rounds)]
        for round_number in range(args.rounds):
            log(f"round {round_number + 1}/{args.rounds}")
            for name, mode, server, path, kind in plan:
                samples.setdefault((name, mode), []).append(measure_get(wrk, server, path, args, gzip=kind != "plain"))
            # The reference again at the end of the round: each target's ratio is taken against the
            # mean of the reference before and after it in the same round (load on a shared machine drifts).
            samples[("reference template", "reference")][-1]["rps_end"] = measure_get(
                wrk, reference, "/template/", args
            )["rps"]
            if not args.only_webhooks:
                checkout_samples.append(measure_checkout(wrk, site, prepared, tmp, args))
            result, tokens = measure_webhooks(site, per_round[round_number], prepared["webhook_secret"], args)
            hook_samples.append(result)
            delivered += tokens

        (tmp / "delivered.json").write_text(json.dumps(delivered))
        django_step(env, "verify", str(tmp / "prepared.json"), str(tmp / "delivered.json"), str(tmp / "verify.json"))
        verified = json.loads((tmp / "verify.json").read_text())

        reference_samples = samples[("reference template", "reference")]
        reference_by_round = [(s["rps"] + s.get("rps_end", s["rps"])) / 2 for s in reference_samples]
        reference_rps = statistics.median(reference_by_round)
        rows = []
        for name, mode, _, path, kind in plan:
            row = {"target": name, "mode": mode, "url": path, "kind": kind, **median_result(samples[(name, mode)])}
            row["ratio"] = statistics.median(
                s["rps"] / ref for s, ref in zip(samples[(name, mode)], reference_by_round, strict=True) if ref
            )
            mode_key = next((k for k, v in MODE_LABEL.items() if v == mode), None)
            row["queries"] = (query_counts.get(name) or {}).get(mode_key, {}).get("queries")
            rows.append(row)
        for target in prepared["targets"]:
            if not target["mounted"]:
                rows.append({"target": target["name"], "mode": "all", "skipped": "not mounted in site/urls.py"})
        if checkout_samples:
            rows.append(
                {
                    "target": "checkout (POST /api/shop/checkout)",
                    "mode": "uncached",
                    "kind": "write",
                    **median_result(checkout_samples),
                    "ratio": statistics.median(
                        s["rps"] / ref for s, ref in zip(checkout_samples, reference_by_round, strict=True)
                    ),
                    "queries": query_counts.get("checkout (POST)", {}).get("uncached", {}).get("queries"),
                }
            )
        rows.append(
            {
                "target": "webhook deliveries (checkout.session.completed)",
                "mode": "uncached",
                "kind": "write",
                **median_result(hook_samples),
                "ratio": statistics.median(
                    s["rps"] / ref for s, ref in zip(hook_samples, reference_by_round, strict=True)
                ),
                "queries": query_counts.get("webhook (POST)", {}).get("uncached", {}).get("queries"),
            }
        )

        when = datetime.datetime.now().astimezone()
        table = render_table(rows, reference_rps)
        notes = goals(rows, reference_rps, verified, sqlite)
        machine = f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {'wrk' if wrk else 'Python load generator'}"
        header = (
            f"Benchmark of {when:%Y-%m-%d %H:%M %Z} — {machine}; {'SQLite' if sqlite else 'PostgreSQL'}; "
            f"content {args.scale}; {args.rounds} rounds × {args.duration:g}s per target, "
            f"{args.connections} connections, {args.workers} gunicorn workers per server"
            f"{'; Redis cache' if args.redis else ''}; medians over rounds; ratios against the reference "
            "template view measured in the same round."
        )
        report = "\n".join([header, "", table, "", *[f"- {note}" for note in notes]])
        print("\n" + report + "\n", flush=True)

        RESULTS.mkdir(exist_ok=True)
        stamp = when.strftime("%Y%m%d-%H%M%S")
        data = {
            "date": when.isoformat(),
            "machine": machine,
            "database": "sqlite" if sqlite else "postgresql",
            "args": dict(vars(args)),
            "reference_template_rps": reference_rps,
            "rows": rows,
            "goals": notes,
            "webhook_verification": verified,
            "queries": query_counts,
            "seconds": round(time.monotonic() - started, 1),
        }
        for path in (RESULTS / f"bench-{stamp}.json", RESULTS / "latest.json"):
            path.write_text(json.dumps(data, indent=2))
        (RESULTS / "latest.md").write_text(report + "\n")
        log(f"results in {RESULTS / 'latest.json'} and latest.md ({time.monotonic() - started:.0f}s in all)")
        return 0 if verified["ok"] else 1
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
