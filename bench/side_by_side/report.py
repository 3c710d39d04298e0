#!/usr/bin/python3
"""Summarise a bench/side_by_side/run.sh result directory.

usage: report.py OUT_DIR [matplotlib|gnuplot|""]

Reads OUT_DIR/runs.tsv (one line per wrk run: round, config, workload, key=value fields) and
OUT_DIR/meta.txt; writes OUT_DIR/results.json (medians over rounds and the SPEC section 6 ratios),
OUT_DIR/table.md (the Markdown printed to stdout, ready to paste into docs/benchmarks.md) and
OUT_DIR/side_by_side.png (with matplotlib, else gnuplot).
"""
import json
import os
import statistics
import subprocess
import sys

out_dir = sys.argv[1]
plotter = sys.argv[2] if len(sys.argv) > 2 else ""

LABELS = {
    "beast": "bare Beast (2 threads)",
    "wardend": "wardend (default threads)",
    "wardend_1t": "wardend --threads 1",
    "fastify_1p": "Fastify, 1 process",
    "fastify_cluster2": "Fastify, cluster of 2",
    "fastapi_1w": "FastAPI seed, 1 worker",
}
SHORT = {
    "beast": "bare Beast",
    "wardend": "wardend",
    "wardend_1t": "wardend\n--threads 1",
    "fastify_1p": "Fastify\n1 process",
    "fastify_cluster2": "Fastify\ncluster 2",
    "fastapi_1w": "FastAPI\nseed",
}
WORKLOADS = {
    "me": "GET /api/users/me",
    "login": "POST /api/auth/login (-c8)",
    "login1": "POST /api/auth/login (-c1)",
    "me_under_login": "GET /api/users/me while logins run",
}

meta = {}
for line in open(os.path.join(out_dir, "meta.txt")):
    k, _, v = line.rstrip("\n").partition("=")
    meta[k] = v

runs = {}  # (config, workload) -> [dict per round]
order = []
for line in open(os.path.join(out_dir, "runs.tsv")):
    rnd, cfg, wl, rest = line.rstrip("\n").split("\t")
    kv = {k: float(v) for k, v in (x.split("=", 1) for x in rest.split())}
    kv["round"] = int(rnd)
    kv["us_per_req"] = kv["server_cpu_s"] * 1e6 / kv["requests"] if kv["requests"] > 0 else float("nan")
    kv["errors"] = kv["non2xx"] + max(kv["sock_errors"], 0)
    if (cfg, wl) not in runs:
        runs[(cfg, wl)] = []
        order.append((cfg, wl))
    runs[(cfg, wl)].append(kv)

cfg_order = [c for c in LABELS if any(k[0] == c for k in order)]
wl_order = list(WORKLOADS)
keys = [(c, w) for w in wl_order for c in cfg_order if (c, w) in runs]


def med(cfg, wl, field):
    rs = runs.get((cfg, wl))
    if not rs:
        return None
    vals = [r[field] for r in rs if r[field] == r[field]]
    return statistics.median(vals) if vals else None


summary = {}
for cfg, wl in keys:
    rs = runs[(cfg, wl)]
    summary.setdefault(cfg, {})[wl] = {
        "rps": med(cfg, wl, "rps"),
        "rps_runs": [r["rps"] for r in rs],
        "p50_ms": med(cfg, wl, "p50_ms"),
        "p99_ms": med(cfg, wl, "p99_ms"),
        "errors": int(sum(r["errors"] for r in rs)),
        "requests": int(sum(r["requests"] for r in rs)),
        "server_cores": med(cfg, wl, "server_cores"),
        "server_us_per_req": med(cfg, wl, "us_per_req"),
        "wrk_cores": med(cfg, wl, "wrk_cores"),
        "other_cores": med(cfg, wl, "other_cores"),
        "other_cores_max": max(r["other_cores"] for r in rs),
        "load1": [r["load1"] for r in rs],
    }


def num(v, big):
    if v is None:
        return "–"
    return f"{v:,.0f}" if big else f"{v:,.1f}"


def ms(v):
    if v is None:
        return "–"
    return f"{v:,.2f}" if v < 100 else f"{v:,.0f}"


lines = [
    "| server | workload | req/s (median) | per round | p50 ms | p99 ms | errors | server CPU (cores) "
    "| server CPU µs/req | other CPU (cores) |",
    "|---|---|---:|---|---:|---:|---:|---:|---:|---:|",
]
for cfg, wl in keys:
    s = summary[cfg][wl]
    big = s["rps"] >= 100
    per = " / ".join(num(v, big) for v in s["rps_runs"])
    ep = "GET /" if (cfg == "beast" and wl == "me") else WORKLOADS[wl]
    lines.append(
        f"| {LABELS[cfg]} | {ep} | {num(s['rps'], big)} | {per} | {ms(s['p50_ms'])} | {ms(s['p99_ms'])} "
        f"| {s['errors']} | {s['server_cores']:.2f} | {num(s['server_us_per_req'], s['server_us_per_req'] >= 100)} "
        f"| {s['other_cores']:.2f} |"
    )

# ---- SPEC section 6 ratios ----
ratios = []


def per_round(cfg_a, wl_a, field_a, cfg_b, wl_b, field_b):
    """a/b for each round in which both were measured."""
    a = {r["round"]: r[field_a] for r in runs.get((cfg_a, wl_a), [])}
    b = {r["round"]: r[field_b] for r in runs.get((cfg_b, wl_b), [])}
    return [a[k] / b[k] for k in sorted(a) if k in b and b[k]]


def add(name, value, target, ok, rounds=None, fmt="{:.2f}"):
    ratios.append({
        "what": name,
        "value": value,
        "target": target,
        "met": ok if value is not None else None,
        "per_round": rounds or [],
        "text": "–" if value is None else fmt.format(value),
        "rounds_text": " / ".join(fmt.format(x) for x in (rounds or [])),
    })


def get(cfg, wl, field):
    return summary.get(cfg, {}).get(wl, {}).get(field)


cores = int(meta.get("machine", "2").split()[0])
w_rps, b_rps = get("wardend", "me", "rps"), get("beast", "me", "rps")
if w_rps and b_rps:
    v = w_rps / b_rps
    add("/me req/s: wardend ÷ bare Beast", v, "≥ 0.85", v >= 0.85, per_round("wardend", "me", "rps", "beast", "me", "rps"))
w_us, b_us = get("wardend", "me", "server_us_per_req"), get("beast", "me", "server_us_per_req")
if w_us and b_us:
    v = w_us / b_us
    add("/me server CPU per request: wardend ÷ bare Beast", v, "≤ 1.3", v <= 1.3,
        per_round("wardend", "me", "us_per_req", "beast", "me", "us_per_req"))
f_us = get("fastify_cluster2", "me", "server_us_per_req")
if w_us and f_us:
    v = w_us / f_us
    add("/me server CPU per request: wardend ÷ Fastify cluster of 2", v, "≈ 0.5 (about half)", v <= 0.55,
        per_round("wardend", "me", "us_per_req", "fastify_cluster2", "me", "us_per_req"))
s_us = get("fastapi_1w", "me", "server_us_per_req")
if w_us and s_us:
    v = w_us / s_us
    add("/me server CPU per request: wardend ÷ FastAPI seed", v, "< 1/60 = 0.0167", v < 1 / 60,
        per_round("wardend", "me", "us_per_req", "fastapi_1w", "me", "us_per_req"), "{:.4f}")
p99 = get("wardend", "me", "p99_ms")
if p99 is not None:
    add("/me p99 (ms), wardend", p99, "< 2 ms", p99 < 2, [r["p99_ms"] for r in runs[("wardend", "me")]])
errs = get("wardend", "me", "errors")
if errs is not None:
    add("/me errors (non-2xx + socket), wardend, all rounds", errs, "0", errs == 0, fmt="{:.0f}")
t1 = get("wardend_1t", "me", "rps")
if w_rps and t1:
    v = w_rps / t1
    add("/me req/s: wardend default threads ÷ --threads 1", v, "≥ 1 (the default is the fastest)", v >= 1.0,
        per_round("wardend", "me", "rps", "wardend_1t", "me", "rps"))
one = get("wardend", "login1", "p50_ms")
floor = cores / (one / 1000) if one else None
for cfg in ("wardend", "fastify_1p", "fastify_cluster2", "fastapi_1w"):
    lr = get(cfg, "login", "rps")
    if lr and floor:
        v = lr / floor
        add(f"logins/s ÷ floor ({cores} cores ÷ one bcrypt-12 login {one:.0f} ms = {floor:.2f}/s): {LABELS[cfg]}",
            v, "≥ 0.90" + ("" if cfg == "wardend" else " (SPEC binds wardend; peers for reference)"), v >= 0.9)
mp = get("wardend", "me_under_login", "p99_ms")
if mp is not None:
    add("/me p99 (ms) while 8 connections of logins saturate the hash pool, wardend", mp, "< 10 ms", mp < 10,
        [r["p99_ms"] for r in runs[("wardend", "me_under_login")]])

rlines = ["| SPEC §6 | value (medians) | per round | target | met |", "|---|---:|---|---|---|"]
for r in ratios:
    met = "–" if r["met"] is None else ("yes" if r["met"] else "**no**")
    rlines.append(f"| {r['what']} | {r['text']} | {r['rounds_text']} | {r['target']} | {met} |")

head = (
    f"{meta.get('date', '?')}; {meta.get('machine', '?')}; load average at start {meta.get('load_start', '?')}, "
    f"at end {meta.get('load_end', '?')}; /me: `{meta.get('me', '?')}`; login: `{meta.get('login', '?')}`; "
    f"{meta.get('repeats', '?')} round(s), medians; wardend flags `{meta.get('wardend_flags', '?')}`. "
    "\"other CPU\" is what the rest of the machine used during the run besides the server and wrk (noise)."
)
text = head + "\n\n" + "\n".join(lines) + "\n\n" + "\n".join(rlines) + "\n"
with open(os.path.join(out_dir, "table.md"), "w") as f:
    f.write(text)
print(text)
with open(os.path.join(out_dir, "results.json"), "w") as f:
    json.dump({"meta": meta, "results": summary, "spec6": ratios, "login_floor_per_s": floor}, f, indent=1)

# ---- chart ----
png = os.path.join(out_dir, "side_by_side.png")
me_cfgs = [c for c in cfg_order if get(c, "me", "rps")]
login_cfgs = [c for c in cfg_order if get(c, "login", "rps")]
if plotter == "matplotlib" and me_cfgs:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colour = {c: ("#c0392b" if c.startswith("wardend") else "#7f8c8d" if c == "beast" else "#2e86c1") for c in cfg_order}
    panels = 3 if login_cfgs else 2
    fig, axes = plt.subplots(1, panels, figsize=(4.2 * panels, 3.6), dpi=90)
    ax = axes[0]
    vals = [get(c, "me", "rps") for c in me_cfgs]
    ax.bar(range(len(me_cfgs)), vals, color=[colour[c] for c in me_cfgs])
    ax.set_xticks(range(len(me_cfgs)), [SHORT[c] for c in me_cfgs], fontsize=7)
    ax.set_title("GET /api/users/me: req/s (median)\n(bare Beast: GET /)", fontsize=9)
    for i, v in enumerate(vals):
        ax.text(i, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    ax = axes[1]
    vals = [get(c, "me", "server_us_per_req") for c in me_cfgs]
    ax.bar(range(len(me_cfgs)), vals, color=[colour[c] for c in me_cfgs])
    ax.set_yscale("log")
    ax.set_xticks(range(len(me_cfgs)), [SHORT[c] for c in me_cfgs], fontsize=7)
    ax.set_title("server CPU µs per /me request (log scale)", fontsize=9)
    for i, v in enumerate(vals):
        ax.text(i, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    if login_cfgs:
        ax = axes[2]
        vals = [get(c, "login", "rps") for c in login_cfgs]
        ax.bar(range(len(login_cfgs)), vals, color=[colour[c] for c in login_cfgs])
        ax.set_xticks(range(len(login_cfgs)), [SHORT[c] for c in login_cfgs], fontsize=7)
        ax.set_title("logins/s, bcrypt-12 (median)", fontsize=9)
        for i, v in enumerate(vals):
            ax.text(i, v, f"{v:.1f}", ha="center", va="bottom", fontsize=7)
        if floor:
            ax.axhline(floor, color="black", linestyle="--", linewidth=0.8)
            ax.axhline(0.9 * floor, color="black", linestyle=":", linewidth=0.8)
            ax.text(-0.4, floor, f"floor {floor:.1f}/s (dotted: 90 %)", ha="left", va="bottom", fontsize=7)
            ax.set_ylim(0, max(vals + [floor]) * 1.15)
        ax.tick_params(axis="y", labelsize=7)
    fig.suptitle(f"wardend and its peers, {meta.get('date', '')}, {cores} cores, wrk on the same machine "
                 f"(load {meta.get('load_start', '?').split()[0]})", fontsize=9)
    fig.tight_layout()
    fig.savefig(png)
    print(f"chart: {png} (matplotlib)")
elif plotter == "gnuplot" and me_cfgs:
    dat = os.path.join(out_dir, "chart.dat")
    with open(dat, "w") as f:
        for c in me_cfgs:
            f.write(f"\"{SHORT[c].replace(chr(10), ' ')}\" {get(c, 'me', 'rps'):.0f} {get(c, 'me', 'server_us_per_req'):.1f}\n")
    script = f"""set terminal pngcairo size 1000,360 font ",8"
set output "{png}"
set multiplot layout 1,2
set style fill solid; set boxwidth 0.7; set xtics rotate by -20; unset key
set title "GET /api/users/me: req/s (median)"
plot "{dat}" using 0:2:xtic(1) with boxes
set title "server CPU us per /me request (log)"
set logscale y
plot "{dat}" using 0:3:xtic(1) with boxes
unset multiplot
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print(f"chart: {png} (gnuplot)")
