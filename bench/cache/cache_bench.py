#!/usr/bin/env python3
"""Helper for bench/cache/run.sh (standard library only).

  ports N                          N free loopback ports, one a line
  register URL EMAIL PASSWORD      one registration through the API (prints the user's id)
  fill DB N                        add users 2..N to a stopped wardend's SQLite store, copies of
                                   user 1 (same password hash) named bench<id-1>@example.com, in one
                                   transaction
  tokens SECRET_FILE COUNT TOTAL OUT [balanced|random]
                                   COUNT FastAPI-style HS256 tokens {"sub", "exp"} for COUNT distinct
                                   users drawn from ids 1..TOTAL (all of them if COUNT = TOTAL), in a
                                   shuffled order. balanced (the default): as many ids in each of
                                   the cache's 16 shards (id mod 16), so a cache of COUNT holds them
                                   all; random: a uniform sample (some shards get more than their
                                   COUNT/16 share)
  me URL TOKEN                     the status of one GET /api/users/me
  rss PID                          VmRSS and RssAnon in KiB
  cpu PID                          utime + stime in seconds
  table RESULTS                    the Markdown tables (medians over rounds)
"""
import base64
import hashlib
import hmac
import json
import random
import socket
import sqlite3
import statistics
import sys
import time
import urllib.error
import urllib.request


def ports(n):
    socks = []
    for _ in range(int(n)):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    for s in socks:
        print(s.getsockname()[1])
        s.close()


def register(url, email, password):
    body = json.dumps({"email": email, "password": password}).encode()
    req = urllib.request.Request(url + "/api/auth/register", body,
                                 {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        print(json.load(r)["id"])


def fill(db, n):
    n = int(n)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")  # what wardend uses; harmless if already set
    (first,) = con.execute("SELECT count(*) FROM users").fetchone()
    if first != 1:
        sys.exit(f"fill: expected exactly one registered user, found {first}")
    h, name, active, scopes, created, updated, ver = con.execute(
        "SELECT password_hash, full_name, is_active, scopes, created_at, updated_at, token_version"
        " FROM users WHERE id = 1").fetchone()
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO users (id, email, password_hash, full_name, is_active, scopes, created_at,"
        " updated_at, token_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((i, f"bench{i - 1}@example.com", h, name, active, scopes, created, updated, ver)
         for i in range(2, n + 1)))
    con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (count,) = con.execute("SELECT count(*) FROM users").fetchone()
    con.close()
    if count != n:
        sys.exit(f"fill: {count} users, expected {n}")


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def pick_ids(count, total, mode, rng):
    if count >= total:
        return list(range(1, total + 1))
    if mode == "random":
        return rng.sample(range(1, total + 1), count)
    shards = 16  # subject_cache.cpp: shard_count, a user's shard is id mod 16
    ids = []
    for r in range(shards):
        members = range(r if r else shards, total + 1, shards)
        ids += rng.sample(members, count // shards + (1 if r < count % shards else 0))
    return ids


def tokens(secret_file, count, total, out, mode="balanced"):
    count, total = int(count), int(total)
    rng = random.Random(10)
    with open(secret_file) as f:
        key = f.read().rstrip("\r\n").encode()  # the text is the key, as FastAPI's SECRET_KEY
    exp = int(time.time()) + 6 * 3600
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    ids = pick_ids(count, total, mode, rng)
    rng.shuffle(ids)
    with open(out, "w") as f:
        for i in ids:
            payload = b64(json.dumps({"sub": str(i), "exp": exp}, separators=(",", ":")).encode())
            signing_input = header + b"." + payload
            sig = b64(hmac.new(key, signing_input, hashlib.sha256).digest())
            f.write((signing_input + b"." + sig).decode() + "\n")


def me(url, token):
    req = urllib.request.Request(url + "/api/users/me", headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            print(r.status)
    except urllib.error.HTTPError as e:
        print(e.code, e.read().decode(errors="replace"))


def rss(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.split()[0] if value.split() else ""
    print(fields["VmRSS"], fields["RssAnon"])


def cpu(pid):
    import os
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    print(f"{ticks / os.sysconf('SC_CLK_TCK'):.2f}")


def table(results, *labels):
    """Lines of RESULTS: kind, store, config, round, then key=value fields, tab-separated.
    LABELS: small=<name> big=<name> cached=<n>."""
    names = dict(label.split("=", 1) for label in labels)
    cached = int(names.get("cached", "0"))
    n_small, n_big = int(names.get("small", "0")), int(names.get("big", "0"))
    rows = {}
    for line in open(results):
        parts = line.rstrip("\n").split("\t")
        kind, store, config = parts[:3]
        values = dict(kv.split("=", 1) for kv in parts[4:])
        rows.setdefault((kind, store, config), []).append(values)

    def got(kind, store, config, key):
        return [float(v[key]) for v in rows.get((kind, store, config), []) if key in v]

    def med(kind, store, config, key):
        values = got(kind, store, config, key)
        return statistics.median(values) if values else float("nan")

    def errors(kind, store, config):
        return sum(int(v.get("non2xx", 0)) + int(v.get("socket_errors", 0))
                   for v in rows.get((kind, store, config), []))

    small, big = f"{n_small:,} users", f"{n_big:,} users"
    what = {
        ("small", "cache"): (small, f"default, all {small} cached"),
        ("small", "nocache"): (small, "`--cache-size 0`"),
        ("big", "cache"): (big, f"default, {cached:,} cached (as many per shard)"),
        ("big", "nocache"): (big, "`--cache-size 0`"),
        ("big", "random"): (big, f"default, {cached:,} uniformly random users"),
        ("big", "hot"): (big, f"default, {n_small:,} users, all cached (the small store's working set)"),
    }
    print("| store | cache | `/me` req/s | p50 ms | p99 ms | server CPU µs/request | errors | req/s by round |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for key, (store_label, label) in what.items():
        if ("me",) + key not in rows:
            continue
        print(f"| {store_label} | {label} | {med('me', *key, 'rps'):,.0f} "
              f"| {med('me', *key, 'p50_ms'):.2f} | {med('me', *key, 'p99_ms'):.2f} "
              f"| {med('me', *key, 'cpu_us'):.1f} | {errors('me', *key)} "
              f"| {' / '.join(f'{v:,.0f}' for v in got('me', *key, 'rps'))} |")
    print()
    print("| store | logins/s (8 connections) | login p50 ms | login p99 ms | errors | p50 by round |")
    print("|---|---:|---:|---:|---:|---|")
    for store, store_label in (("small", small), ("big", big)):
        key = ("login", store, "cache")
        if key not in rows:
            continue
        print(f"| {store_label} | {med(*key, 'rps'):,.1f} | {med(*key, 'p50_ms'):.2f} "
              f"| {med(*key, 'p99_ms'):.2f} | {errors(*key)} "
              f"| {' / '.join(f'{v:.2f}' for v in got(*key, 'p50_ms'))} |")
    print()
    print("| store | cache | RSS fresh, idle (MiB) | RSS after one `/me` per user (MiB) | users "
          "| anonymous RSS growth per user (bytes) |")
    print("|---|---|---:|---:|---:|---:|")
    growth = {}
    for key, (store_label, label) in what.items():
        if ("rss",) + key not in rows:
            continue
        v = rows[("rss",) + key][0]
        idle, warm, users = int(v["idle_kib"]), int(v["warm_kib"]), int(v["users"])
        # RssAnon: the heap, without the binary's and libraries' pages that come and go
        growth[key] = (int(v["warm_anon_kib"]) - int(v["idle_anon_kib"])) * 1024 / users
        print(f"| {store_label} | {label} | {idle / 1024:.1f} | {warm / 1024:.1f} | {users:,} "
              f"| {growth[key]:,.0f} |")
    print()
    if ("big", "cache") in growth and ("big", "nocache") in growth:
        print(f"- RSS per cached user ({big}, anonymous RSS growth with the cache minus "
              f"the same warm-up's with `--cache-size 0`): **{growth[('big', 'cache')] - growth[('big', 'nocache')]:,.0f} bytes**")
    idle = [int(v[0]["idle_kib"]) for k, v in rows.items() if k[0] == "rss"]
    if idle:
        print(f"- idle RSS of a fresh wardend: at most {max(idle) / 1024:.1f} MiB (target < 30 MiB)")
    for metric, label in (("rps", "req/s"), ("p50_ms", "p50"), ("p99_ms", "p99"), ("cpu_us", "CPU per request")):
        a, b = med("me", "small", "cache", metric), med("me", "big", "cache", metric)
        if a == a and b == b:
            print(f"- `/me` {label}, {big} ({cached:,} cached) ÷ {small} (cache on): {b / a:.2f}")
        h = med("me", "big", "hot", metric)
        if a == a and h == h:
            print(f"- `/me` {label}, {big} ({n_small:,} of them in the rotation) ÷ {small} (cache on): {h / a:.2f}")
    for metric, label in (("p50_ms", "p50"), ("p99_ms", "p99")):
        a, b = med("login", "small", "cache", metric), med("login", "big", "cache", metric)
        if a == a and b == b:
            print(f"- login {label}, {big} ÷ {small}: {b / a:.2f}")
    for store, store_label in (("small", small), ("big", big)):
        on, off = med("me", store, "cache", "cpu_us"), med("me", store, "nocache", "cpu_us")
        r_on, r_off = med("me", store, "cache", "rps"), med("me", store, "nocache", "rps")
        if on == on and off == off:
            print(f"- {store_label}: `--cache-size 0` ÷ cache: req/s {r_off / r_on:.2f}, "
                  f"CPU per request {off / on:.2f}")


if __name__ == "__main__":
    commands = {"ports": ports, "register": register, "fill": fill, "tokens": tokens, "me": me,
                "rss": rss, "cpu": cpu, "table": table}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
