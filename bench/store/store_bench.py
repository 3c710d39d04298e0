#!/usr/bin/env python3
"""Helpers for bench/store/compare.sh (stdlib only).

    store_bench.py ports N                       N free loopback ports, one a line
    store_bench.py pg-durable PG_STATE_DIR on|off
                                                 restarts the throwaway cluster with fsync,
                                                 synchronous_commit and full_page_writes on or off
    store_bench.py createdb URL NAME             a new database; prints its URL
    store_bench.py users BASE_URL N PASSWORD     registers bench0..N-1@example.com, prints an
                                                 access token of bench0
    store_bench.py failover PG_STATE_DIR BASE_URL TOKEN
                                                 GET /api/users/me in a loop while PostgreSQL is
                                                 stopped and started again; prints what it saw
    store_bench.py frozen PG_STATE_DIR BASE_URL TOKEN CLIENTS SECONDS
                                                 CLIENTS loops of GET /api/users/me while every
                                                 PostgreSQL process is stopped (SIGSTOP) for
                                                 SECONDS; prints what the requests saw
    store_bench.py table RESULTS                 the table (median over rounds) and the ratios
"""
import collections
import http.client
import json
import os
import signal
import socket
import statistics
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
import test_servers  # noqa: E402


def free_ports(n):
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def request(base, method, path, body=None, headers=None, timeout=30):
    u = urllib.parse.urlsplit(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def users(base, n, password):
    for k in range(n):
        body = json.dumps({"email": f"bench{k}@example.com", "password": password})
        status, payload = request(base, "POST", "/api/auth/register", body,
                                  {"Content-Type": "application/json"})
        if status != 201:
            raise SystemExit(f"register bench{k}: {status} {payload[:200]!r}")
    form = urllib.parse.urlencode({"username": "bench0@example.com", "password": password})
    status, payload = request(base, "POST", "/api/auth/login", form,
                              {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 200:
        raise SystemExit(f"login bench0: {status} {payload[:200]!r}")
    print(json.loads(payload)["access_token"])


def pg_server(state_dir):
    """The cluster `test_servers.py start postgres STATE_DIR` started."""
    with open(os.path.join(state_dir, "state.json")) as f:
        state = json.load(f)
    return test_servers.PostgresServer(base_dir=state["base_dir"], port=state["port"])


def pg_start(pg, fsync):
    """Starts the stopped cluster as test_servers.py does, but with fsync, synchronous_commit
    and full_page_writes `fsync` ("on" or "off"): test_servers.py turns them off on the command
    line, which ALTER SYSTEM cannot override."""
    options = (f"-k {pg.base_dir} -c listen_addresses=127.0.0.1 -p {pg.port} "
               f"-c fsync={fsync} -c synchronous_commit={fsync} -c full_page_writes={fsync} "
               "-c max_connections=300")
    pg._run([pg._tool("pg_ctl"), "-D", pg.data_dir, "-l", pg.log_file, "-w", "-t", "60",
             "-o", options, "start"])


def pg_durable(state_dir, fsync):
    pg = pg_server(state_dir)
    pg.stop("fast")
    pg_start(pg, fsync)
    client = pg.client
    shown = [client.psql(f"SHOW {n}").strip() for n in ("fsync", "synchronous_commit",
                                                        "full_page_writes", "shared_buffers")]
    print(f"fsync={shown[0]} synchronous_commit={shown[1]} full_page_writes={shown[2]} "
          f"shared_buffers={shown[3]}")


def failover(state_dir, base, token):
    """One wardend on PostgreSQL: /me once per 20 ms; PostgreSQL stopped (fast) after 3 s and
    started again after 6 s of outage; reports the statuses, the slowest answer during the
    outage, the first 503 after the stop and the first 200 after the start."""
    pg = pg_server(state_dir)
    fsync = os.environ.get("PG_FSYNC", "on")
    u = urllib.parse.urlsplit(base)
    events = []  # (t, phase, status or error, seconds)
    phase, t0 = "before", time.monotonic()
    stop_at = start_at = back_at = None
    conn = None

    def get():
        nonlocal conn
        started = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
            conn.request("GET", "/api/users/me", headers={"Authorization": f"Bearer {token}"})
            r = conn.getresponse()
            r.read()
            status = r.status
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as e:
            status = type(e).__name__
            conn = None
        return status, time.monotonic() - started

    import threading

    def driver():
        nonlocal stop_at, start_at, back_at
        time.sleep(3)
        stop_at = time.monotonic()
        pg.stop("fast")
        time.sleep(6)
        start_at = time.monotonic()
        pg_start(pg, fsync)
        back_at = time.monotonic()

    t = threading.Thread(target=driver)
    t.start()
    while True:
        now = time.monotonic()
        if back_at is not None and now - back_at > 5:
            break
        if stop_at is None:
            phase = "before"
        elif start_at is None:
            phase = "outage"
        else:
            phase = "after"
        status, seconds = get()
        events.append((now - t0, phase, status, seconds))
        time.sleep(0.02)
    t.join()

    by_phase = collections.defaultdict(collections.Counter)
    slowest = collections.defaultdict(float)
    for _, ph, status, seconds in events:
        by_phase[ph][status] += 1
        slowest[ph] = max(slowest[ph], seconds)
    first_503 = next((t - (stop_at - t0) for t, ph, s, _ in events if ph == "outage" and s == 503),
                     None)
    first_200_after = None
    for t, ph, s, _ in events:
        if t >= start_at - t0 and s == 200:
            first_200_after = t - (start_at - t0)
            break
    print(f"pg stop took {start_at - stop_at - 6:.2f} s beyond the 6 s outage; "
          f"pg start_again took {back_at - start_at:.2f} s")
    for ph in ("before", "outage", "after"):
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(by_phase[ph].items(), key=str))
        print(f"{ph:7} {counts}; slowest answer {slowest[ph] * 1000:.0f} ms")
    print("first 503 after the stop began: "
          + (f"{first_503 * 1000:.0f} ms" if first_503 is not None else "none"))
    print("first 200 after the start began: "
          + (f"{first_200_after * 1000:.0f} ms" if first_200_after is not None else "none"))
    after_200 = all(s == 200 for t, ph, s, _ in events if ph == "after" and t - (back_at - t0) > 1)
    print("all 200 from 1 s after PostgreSQL was back: " + ("yes" if after_200 else "NO"))


def cluster_pids(pg):
    """The postmaster (first line of postmaster.pid) and its children."""
    with open(os.path.join(pg.data_dir, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    pids = [postmaster]
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            pids.append(int(entry))
    return pids


def frozen(state_dir, base, token, clients, seconds):
    """A PostgreSQL that stops answering without closing its connections (a hung host, a cut-off
    network), as tests/e2e/test_frozen_postgres.py makes it, but with CLIENTS requests at once:
    each client loops GET /api/users/me (keep-alive, 20 ms apart); after 3 s every cluster
    process gets SIGSTOP, SECONDS later SIGCONT; then 8 s more. Prints the statuses and
    latencies of the requests that were in flight or sent during the freeze."""
    import threading
    pg = pg_server(state_dir)
    u = urllib.parse.urlsplit(base)
    events, lock, done = [], threading.Lock(), threading.Event()
    t0 = time.monotonic()

    def client():
        conn = None
        while not done.is_set():
            started = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
                conn.request("GET", "/api/users/me", headers={"Authorization": f"Bearer {token}"})
                r = conn.getresponse()
                r.read()
                status = r.status
            except (OSError, http.client.HTTPException) as e:
                status = type(e).__name__
                conn = None
            with lock:
                events.append((started - t0, time.monotonic() - t0, status))
            time.sleep(0.02)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    pids = []
    try:
        time.sleep(3)
        pids = cluster_pids(pg)
        freeze = time.monotonic() - t0
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        time.sleep(seconds)
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
    thaw = time.monotonic() - t0
    time.sleep(8)
    done.set()
    for t in threads:
        t.join()
    during = [(s, e, st) for s, e, st in events if e > freeze and s < thaw]
    took = sorted(e - s for s, e, _ in during)
    statuses = collections.Counter(st for _, _, st in during)
    print(f"{clients} clients; PostgreSQL frozen {thaw - freeze:.1f} s; requests in flight or sent "
          f"during the freeze: {len(during)} ({', '.join(f'{k}: {v}' for k, v in sorted(statuses.items(), key=str))})")
    if took:
        over = sum(1 for x in took if x > 2.5)
        print(f"  their time to an answer: min {took[0]:.2f} s, median {took[len(took) // 2]:.2f} s, "
              f"max {took[-1]:.2f} s; {over} took over 2.5 s")
    first_503 = sorted(e - freeze for s, e, st in during if st == 503)
    if first_503:
        print(f"  503s answered {first_503[0]:.2f} s to {first_503[-1]:.2f} s after the freeze began")
    after = collections.Counter(st for s, _, st in events if s > thaw + 3)
    print("  requests sent from 3 s after the thaw: "
          + ", ".join(f"{k}: {v}" for k, v in sorted(after.items(), key=str)))


def parse_result(line):
    fields = {}
    for part in line.split()[1:]:
        k, _, v = part.partition("=")
        fields[k] = v
    return fields


def table(path):
    """RESULTS lines: round<TAB>configuration<TAB>workload<TAB>RESULT ...

    req/s, p50 and p99 are medians over the rounds; "vs SQLite" is the median over the rounds of
    each round's req/s divided by the first configuration's req/s in the same round, so a burst
    of load from elsewhere that hits one round moves both sides of its ratio."""
    runs = collections.OrderedDict()  # (config, workload) -> {round: fields}
    rounds = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            rnd, config, workload, result = line.split("\t")
            if rnd not in rounds:
                rounds.append(rnd)
            runs.setdefault((config, workload), {})[rnd] = parse_result(result)
    configs = list(dict.fromkeys(c for c, _ in runs))
    workloads = list(dict.fromkeys(w for _, w in runs))
    n = len(rounds)

    def median(rs, key):
        return statistics.median(float(r[key]) for r in rs.values())

    head = (f"{'configuration':<14} {'workload':<21} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'errors':>6} {'vs SQLite':>9}")
    if n > 1:
        head += "  req/s per round (ratio)"
    print(head)
    print("-" * len(head))
    for workload in workloads:
        base = runs.get((configs[0], workload), {})
        for config in configs:
            rs = runs.get((config, workload))
            if not rs:
                continue
            errors = sum(int(r["non2xx"]) + int(r["socket_errors"]) for r in rs.values())
            ratios = {k: float(r["rps"]) / float(base[k]["rps"]) for k, r in rs.items()
                      if k in base and float(base[k]["rps"]) > 0}
            ratio = f"{statistics.median(ratios.values()):.2f}x" if ratios else "-"
            row = (f"{config:<14} {workload:<21} {median(rs, 'rps'):>8.0f} "
                   f"{median(rs, 'p50_ms'):>7.2f} {median(rs, 'p99_ms'):>7.2f} {errors:>6} "
                   f"{ratio:>9}")
            if n > 1:
                row += "  " + " ".join(
                    f"{float(rs[k]['rps']):.0f}" + (f" ({ratios[k]:.2f})" if k in ratios else "")
                    for k in rounds if k in rs)
            print(row)
    print()
    notes = []
    for (config, workload), rs in runs.items():
        for rnd, r in rs.items():
            if int(r["non2xx"]) or int(r["socket_errors"]):
                notes.append(f"  round {rnd} {config} / {workload}: non-2xx {r['non2xx']}, socket "
                             f"errors {r['socket_errors']}, statuses "
                             f"{r.get('statuses') or '(not counted)'}")
    if notes:
        print("errors:")
        print("\n".join(notes))
    if n > 1:
        print(f"{n} rounds: req/s, p50 and p99 are medians over the rounds, errors are summed, and")
        print("'vs SQLite' is the median of the per-round ratios (in parentheses).")


def main(argv):
    if len(argv) == 2 and argv[0] == "ports":
        print("\n".join(str(p) for p in free_ports(int(argv[1]))))
    elif len(argv) == 3 and argv[0] == "pg-durable" and argv[2] in ("on", "off"):
        pg_durable(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "createdb":
        print(test_servers.PostgresClient(argv[1]).create_database(argv[2]))
    elif len(argv) == 4 and argv[0] == "users":
        users(argv[1], int(argv[2]), argv[3])
    elif len(argv) == 4 and argv[0] == "failover":
        failover(argv[1], argv[2], argv[3])
    elif len(argv) == 2 and argv[0] == "thaw":  # cleanup after an interrupted `frozen`
        try:
            for pid in cluster_pids(pg_server(argv[1])):
                os.kill(pid, signal.SIGCONT)
        except (OSError, ValueError):
            pass
    elif len(argv) == 6 and argv[0] == "frozen":
        frozen(argv[1], argv[2], argv[3], int(argv[4]), float(argv[5]))
    elif len(argv) == 2 and argv[0] == "table":
        table(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
