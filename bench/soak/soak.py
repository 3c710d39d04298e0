#!/usr/bin/python3
"""Soak test: a real wardend under a long mixed load, checked for errors and memory growth.

Starts wardend (release build, default hashing costs, its own temp data dir, a free port) and
drives it with N keep-alive connections (default 256) for --duration seconds (default 600). Each
connection plays users' sessions in a loop:

    [register a new user, 1 session in --register-every]  login (password grant)
    --rounds x ( --me-per-round x GET /api/users/me, then refresh (refresh_token grant) )
    logout

so most requests are /me and refresh; registrations and logins (an argon2id hash each, tens of ms
of a core) are a few percent. At most --hash-slots of them are in flight at once (client side),
below wardend's hash-pool limit (threads + 64 queued), because a saturated pool answering 503 is
designed behaviour, not what a soak looks for.

RSS is read from /proc at rest: after the warm-up and again after the run, each time once the load
has stopped and wardend's argon2 memory has been handed back (it does so 10 s after the last hash),
so the two figures compare like with like. Samples under load are reported too.

Exit status 0 when there was no 5xx, no connection error (refused, reset, closed early, timeout),
no unexpected status, wardend stayed up, and RSS at rest grew less than --max-rss-growth (10 %);
1 otherwise; 2 on bad usage.

usage: bench/soak/soak.py [--wardend build/release/src/app/wardend] [--duration 600]
                          [--connections 256] [--warmup 30] [-- extra wardend flags]
"""
import argparse
import asyncio
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OPERATIONS = ("register", "login", "me", "refresh", "logout")
EXPECTED = {"register": 201, "login": 200, "me": 200, "refresh": 200, "logout": 204}
RELEASE_WAIT = 12  # wardend releases argon2's memory 10 s after the last hash


class connection_error(Exception):
    """The connection failed: refused, reset, closed before a full response, or timed out."""


class stats:
    def __init__(self):
        self.count = collections.Counter()        # op -> responses
        self.statuses = collections.Counter()     # (op, status) -> n
        self.unexpected = collections.Counter()   # (op, status) -> n, not the expected status
        self.server_errors = 0                    # 5xx
        self.connection_errors = collections.Counter()  # kind -> n
        self.latency = collections.defaultdict(list)    # op -> seconds (sampled)
        self.first_unexpected = []

    def record(self, op, status, body, seconds):
        self.count[op] += 1
        self.statuses[(op, status)] += 1
        if status >= 500:
            self.server_errors += 1
        if status != EXPECTED[op]:
            self.unexpected[(op, status)] += 1
            if len(self.first_unexpected) < 5:
                self.first_unexpected.append(f"{op} -> {status} {body[:200]!r}")
        lat = self.latency[op]
        if len(lat) < 200_000:
            lat.append(seconds)


class client:
    """One keep-alive HTTP/1.1 connection; reconnects after an error (which is counted)."""

    def __init__(self, host, port, timeout, results):
        self.host, self.port, self.timeout, self.results = host, port, timeout, results
        self.reader = self.writer = None

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def request(self, op, method, path, body=b"", content_type=None, token=None):
        """Returns (status, body bytes); counts the response, or a connection error and None."""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if token:
            head.append(f"Authorization: Bearer {token}")
        if content_type:
            head.append(f"Content-Type: {content_type}")
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        started = time.monotonic()
        try:
            status, payload, close = await asyncio.wait_for(self._exchange(data), self.timeout)
        except (asyncio.TimeoutError, OSError, connection_error, asyncio.IncompleteReadError, ValueError) as e:
            kind = type(e).__name__
            self.results.connection_errors[kind] += 1
            await self.close()
            return None, b""
        self.results.record(op, status, payload, time.monotonic() - started)
        if close:
            await self.close()
        return status, payload

    async def _exchange(self, data):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(data)
        await self.writer.drain()
        header = await self.reader.readuntil(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        match = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
        if not match:
            raise connection_error(f"bad status line {lines[0]!r}")
        fields = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                fields[name.strip().lower()] = value.strip()
        if "transfer-encoding" in fields:
            raise connection_error("chunked response (not expected from wardend)")
        length = int(fields.get("content-length", "0"))
        payload = await self.reader.readexactly(length) if length else b""
        return int(match.group(1)), payload, fields.get("connection", "").lower() == "close"


def form(**fields):
    return urllib.parse.urlencode(fields).encode()


async def worker(number, host, port, args, results, hash_slots, running, paused):
    c = client(host, port, args.request_timeout, results)
    password = "soak password " + str(number)
    email = None
    session = 0
    try:
        while running.is_set():
            await paused.wait()
            session += 1
            if email is None or session % args.register_every == 0:
                candidate = f"soak{number}.{session}.{time.monotonic_ns()}@example.com"
                async with hash_slots:
                    status, _ = await c.request("register", "POST", "/api/auth/register",
                                                json.dumps({"email": candidate, "password": password}).encode(),
                                                "application/json")
                if status == 201:
                    email = candidate
                if email is None:
                    continue
            async with hash_slots:
                status, body = await c.request("login", "POST", "/api/auth/login",
                                               form(username=email, password=password),
                                               "application/x-www-form-urlencoded")
            if status != 200:
                continue
            tokens = json.loads(body)
            for _ in range(args.rounds):
                for _ in range(args.me_per_round):
                    await c.request("me", "GET", "/api/users/me", token=tokens["access_token"])
                status, body = await c.request("refresh", "POST", "/api/auth/login",
                                               form(grant_type="refresh_token",
                                                    refresh_token=tokens["refresh_token"]),
                                               "application/x-www-form-urlencoded")
                if status != 200:
                    break
                tokens = json.loads(body)
            await c.request("logout", "POST", "/api/auth/logout", token=tokens["access_token"])
    finally:
        await c.close()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def start_wardend(args, data_dir):
    # Every client here is 127.0.0.1, and wardend counts login attempts per address before it
    # checks them (at most --login-max-failures unresolved or failed at once): with --hash-slots
    # logins in flight the address limit would answer 429. Lockout is tested elsewhere
    # (tests/e2e/test_races.py); here it is lifted, as bench_all.sh does. A later flag wins.
    cmd = [args.wardend, "--listen", "127.0.0.1:0", "--data-dir", data_dir, "--log-level", "warn",
           "--login-max-failures", "1000000000"]
    cmd += args.wardend_args
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"listening on http://([\d.]+):(\d+)", line)
    if not match:
        process.kill()
        raise SystemExit(f"wardend did not start: {line!r} {process.stderr.read()}")
    # Keep draining both pipes so wardend never blocks on a full pipe.
    stderr_tail = collections.deque(maxlen=50)
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    threading.Thread(target=lambda: [stderr_tail.append(l) for l in process.stderr], daemon=True).start()
    return process, match.group(1), int(match.group(2)), stderr_tail


async def load(host, port, args, results, seconds, pid, samples, label):
    """Runs the workers for `seconds`, sampling RSS every 10 s; returns when all have stopped."""
    hash_slots = asyncio.Semaphore(args.hash_slots)
    running, paused = asyncio.Event(), asyncio.Event()
    running.set()
    paused.set()
    tasks = [asyncio.create_task(worker(i, host, port, args, results, hash_slots, running, paused))
             for i in range(args.connections)]
    started = time.monotonic()
    next_report = started + args.report_every
    while time.monotonic() - started < seconds:
        await asyncio.sleep(min(1.0, max(0.0, seconds - (time.monotonic() - started))))
        now = time.monotonic()
        if pid is not None and (not samples or now - samples[-1][0] >= 10):
            samples.append((now, rss_kib(pid)))
        if label and now >= next_report:
            next_report += args.report_every
            total = sum(results.count.values())
            print(f"  {now - started:5.0f} s  {total} responses  5xx={results.server_errors} "
                  f"connection errors={sum(results.connection_errors.values())}"
                  + (f"  rss={samples[-1][1] / 1024:.1f} MiB" if samples else ""), flush=True)
    running.clear()
    await asyncio.gather(*tasks)


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wardend", default=os.path.join(ROOT, "build/release/src/app/wardend"))
    parser.add_argument("--duration", type=float, default=600, help="seconds of measured load (600)")
    parser.add_argument("--warmup", type=float, default=30, help="seconds of load before the first RSS (30)")
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--hash-slots", type=int, default=16,
                        help="registrations + logins in flight at once, client side (16)")
    parser.add_argument("--register-every", type=int, default=4, help="a new user every N sessions (4)")
    parser.add_argument("--rounds", type=int, default=3, help="refreshes per session (3)")
    parser.add_argument("--me-per-round", type=int, default=10, help="GET /api/users/me per refresh (10)")
    parser.add_argument("--request-timeout", type=float, default=60)
    parser.add_argument("--max-rss-growth", type=float, default=0.10, help="fail at this growth (0.10)")
    parser.add_argument("--report-every", type=float, default=60, help="progress line interval, s (60)")
    parser.add_argument("wardend_args", nargs="*", help="extra wardend flags, after --")
    args = parser.parse_args()
    if not os.access(args.wardend, os.X_OK):
        parser.error(f"no wardend at {args.wardend} (cmake --workflow --preset release)")
    if args.connections < 1 or args.hash_slots < 1 or args.register_every < 1 or args.duration <= 0:
        parser.error("--connections, --hash-slots, --register-every and --duration must be positive")

    data_dir = tempfile.mkdtemp(prefix="warden-soak-")
    process = None
    try:
        process, host, port, stderr_tail = start_wardend(args, data_dir)
        pid = process.pid
        print(f"soak: wardend pid {pid} on {host}:{port}, {args.connections} connections, "
              f"warm-up {args.warmup:.0f} s, run {args.duration:.0f} s", flush=True)

        warm = stats()
        asyncio.run(load(host, port, args, warm, args.warmup, None, [], ""))
        time.sleep(RELEASE_WAIT)
        rss_start = rss_kib(pid)

        results, samples = stats(), []
        started = time.monotonic()
        asyncio.run(load(host, port, args, results, args.duration, pid, samples, "run"))
        elapsed = time.monotonic() - started
        alive_under_load = process.poll() is None
        time.sleep(RELEASE_WAIT)
        alive = alive_under_load and process.poll() is None
        rss_end = rss_kib(pid) if alive else 0
    finally:
        status = None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                status = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        elif process is not None:
            status = process.returncode
        shutil.rmtree(data_dir, ignore_errors=True)

    # Report.
    total = sum(results.count.values())
    print(f"\nsoak: {elapsed:.0f} s, {total} responses ({total / elapsed:.0f}/s), "
          f"warm-up {sum(warm.count.values())} responses")
    print(f"{'operation':<10} {'count':>10} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for op in OPERATIONS:
        lat = results.latency[op]
        statuses = ", ".join(f"{s}: {n}" for (o, s), n in sorted(results.statuses.items()) if o == op)
        print(f"{op:<10} {results.count[op]:>10} {results.count[op] / elapsed:>8.1f} "
              f"{percentile(lat, 0.5) * 1000:>8.1f} {percentile(lat, 0.99) * 1000:>8.1f}  {statuses}")
    conn_errors = sum(results.connection_errors.values()) + sum(warm.connection_errors.values())
    server_errors = results.server_errors + warm.server_errors
    unexpected = sum(results.unexpected.values()) + sum(warm.unexpected.values())
    print(f"5xx: {server_errors}   connection errors: {conn_errors} {dict(results.connection_errors + warm.connection_errors)}"
          f"   unexpected statuses: {unexpected}")
    for line in warm.first_unexpected + results.first_unexpected:
        print(f"  {line}")
    growth = (rss_end - rss_start) / rss_start if alive else float("inf")
    peak = max((kib for _, kib in samples), default=0)
    print(f"RSS at rest: start {rss_start / 1024:.1f} MiB, end {rss_end / 1024:.1f} MiB, "
          f"growth {growth * 100:+.1f} % (limit {args.max_rss_growth * 100:.0f} %); "
          f"under load: first {samples[0][1] / 1024 if samples else 0:.1f} MiB, "
          f"last {samples[-1][1] / 1024 if samples else 0:.1f} MiB, peak {peak / 1024:.1f} MiB")
    print(f"wardend: {'up' if alive else 'DIED'} to the end, exit status {status} after SIGTERM")

    failures = []
    if server_errors:
        failures.append(f"{server_errors} responses were 5xx")
    if conn_errors:
        failures.append(f"{conn_errors} connection errors")
    if unexpected:
        failures.append(f"{unexpected} unexpected statuses")
    if not alive:
        failures.append("wardend died: " + "".join(stderr_tail)[-2000:])
    elif growth >= args.max_rss_growth:
        failures.append(f"RSS grew {growth * 100:.1f} %")
    if status != 0:
        failures.append(f"wardend exited with {status}")
    if failures:
        print("soak: FAILED: " + "; ".join(failures))
        return 1
    print("soak: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
