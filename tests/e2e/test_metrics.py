"""GET /metrics (issue 11, SPEC §3): the Prometheus text format 0.0.4 on the main listener, or alone
on --metrics-listen. Scrapes, makes known requests, scrapes again and checks the exact deltas;
every scrape must pass a strict parser (below) and the parser of python3-prometheus-client."""
import math
import re
import time
import unittest

import jwt
import requests
from prometheus_client.parser import text_string_to_metric_families

from wardend import FAST_HASHING, Wardend, WardendTestCase

SECRET = "metrics-e2e-secret-0123456789abcdef-0123"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL_NAME = r"[a-zA-Z_][a-zA-Z0-9_]*"
SAMPLE = re.compile(rf"^({NAME})(?:\{{(.*)\}})? (\S+)$")
LABEL = re.compile(rf'({LABEL_NAME})="((?:[^"\\\n]|\\[\\"n])*)"')
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse_value(text):
    if text in ("+Inf", "-Inf", "NaN"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text):
        raise ValueError(f"bad value {text!r}")
    return float(text)


def unescape(value):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "\\": "\\", '"': '"'}[m.group(1)], value)


def parse_labels(text):
    labels = {}
    at = 0
    while at < len(text):
        match = LABEL.match(text, at)
        if not match:
            raise ValueError(f"bad labels {text!r}")
        name, value = match.group(1), unescape(match.group(2))
        if name in labels:
            raise ValueError(f"label {name} twice in {text!r}")
        labels[name] = value
        at = match.end()
        if at < len(text):
            if text[at] != ",":
                raise ValueError(f"bad labels {text!r}")
            at += 1
    return labels


def parse_strict(text):
    """The text format 0.0.4, strictly: each family's HELP then TYPE line once, before its samples;
    every sample belongs to the family of the TYPE line above it (histograms: _bucket, _sum,
    _count); labels well formed and escaped; no sample twice; histogram buckets cumulative, with
    +Inf equal to _count. Returns ({(name, sorted label items): value}, {family: type})."""
    if not text.endswith("\n"):
        raise ValueError("the exposition must end with a line feed")
    samples, types, helped = {}, {}, set()
    family = None
    for number, line in enumerate(text[:-1].split("\n"), 1):
        if line.startswith("# HELP "):
            name = line.split(" ", 3)[2]
            if name in helped or not re.fullmatch(NAME, name):
                raise ValueError(f"line {number}: HELP for {name} again or bad name")
            helped.add(name)
            family = None
            continue
        if line.startswith("# TYPE "):
            parts = line.split(" ")
            if len(parts) != 4 or parts[3] not in TYPES or parts[2] in types:
                raise ValueError(f"line {number}: bad TYPE line {line!r}")
            if parts[2] not in helped:
                raise ValueError(f"line {number}: TYPE of {parts[2]} without its HELP first")
            family = parts[2]
            types[family] = parts[3]
            continue
        if line.startswith("#") or not line:
            raise ValueError(f"line {number}: unexpected {line!r}")
        match = SAMPLE.match(line)
        if not match:
            raise ValueError(f"line {number}: not a sample {line!r}")
        name, labels, value = match.group(1), parse_labels(match.group(2) or ""), parse_value(match.group(3))
        if family is None:
            raise ValueError(f"line {number}: sample {name} without a TYPE line before it")
        allowed = {family}
        if types[family] == "histogram":
            allowed = {family + "_bucket", family + "_sum", family + "_count"}
        if name not in allowed:
            raise ValueError(f"line {number}: sample {name} in family {family}")
        key = (name, tuple(sorted(labels.items())))
        if key in samples:
            raise ValueError(f"line {number}: sample {key} twice")
        samples[key] = value
    for family, kind in types.items():
        if kind == "histogram":
            check_histogram(family, samples)
    return samples, types


def check_histogram(family, samples):
    series = {}
    for (name, labels), value in samples.items():
        if name == family + "_bucket":
            rest = tuple(item for item in labels if item[0] != "le")
            le = dict(labels)["le"]
            series.setdefault(rest, []).append((parse_value(le), value))
    for rest, buckets in series.items():
        buckets.sort()
        counts = [count for _, count in buckets]
        if counts != sorted(counts):
            raise ValueError(f"{family}{rest}: buckets not cumulative {buckets}")
        if not math.isinf(buckets[-1][0]):
            raise ValueError(f"{family}{rest}: no +Inf bucket")
        if samples.get((family + "_count", rest)) != buckets[-1][1]:
            raise ValueError(f"{family}{rest}: +Inf is not the count")
        if (family + "_sum", rest) not in samples:
            raise ValueError(f"{family}{rest}: no sum")


def labels_key(name, **labels):
    return (name, tuple(sorted(labels.items())))


class StrictParserTest(unittest.TestCase):
    """The parser the tests rely on refuses what Prometheus would."""

    def test_refuses_malformed_expositions(self):
        good = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 3\n"
        self.assertEqual(parse_strict(good)[0], {labels_key("a_total", x="1"): 3.0})
        for bad in [
            "a_total 3\n",  # no TYPE
            "# TYPE a_total counter\na_total 3\n",  # no HELP
            "# HELP a_total A.\n# TYPE a_total counter\nb_total 3\n",  # other family
            "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1} 3\n",  # bad quoting
            "# HELP a_total A.\n# TYPE a_total counter\na_total 3\na_total 4\n",  # twice
            "# HELP a_total A.\n# TYPE a_total counter\na_total three\n",  # value
            "# HELP a_total A.\n# TYPE a_total counter\na_total 3",  # no final line feed
            "# HELP h A.\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
            "h_sum 1\nh_count 1\n",  # not cumulative
            "# HELP h A.\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
        ]:
            with self.assertRaises(ValueError, msg=bad):
                parse_strict(bad)


class MetricsTest(WardendTestCase):
    wardend_args = ["--secret-key", SECRET]

    def scrape(self, session=None):
        r = (session or requests).get(self.server.url + "/metrics", timeout=30)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers["Content-Type"], CONTENT_TYPE)
        samples, types = parse_strict(r.text)
        # The reference parser reads it too, with the same families.
        families = {f.name: f.type for f in text_string_to_metric_families(r.text)}
        for name, kind in types.items():
            self.assertEqual(families.get(name.removesuffix("_total")), kind, name)
        return samples, types, r.text

    def test_every_metric_of_the_issue_is_there_with_its_type(self):
        self.server.get("/healthz")
        samples, types, text = self.scrape()
        expected = {
            "warden_http_requests_total": "counter",
            "warden_http_request_duration_seconds": "histogram",
            "warden_logins_total": "counter",
            "warden_tokens_rejected_total": "counter",
            "warden_refresh_total": "counter",
            "warden_hash_pool_queue_depth": "gauge",
            "warden_hash_pool_rejected_total": "counter",
            "warden_store_errors_total": "counter",
            "warden_open_connections": "gauge",
            "warden_mail_sent_total": "counter",
            "warden_mail_failed_total": "counter",
            "warden_mail_dropped_total": "counter",
            "warden_mail_queue_full_total": "counter",
            "warden_mail_queued": "gauge",
            "process_resident_memory_bytes": "gauge",
            "process_virtual_memory_bytes": "gauge",
            "process_cpu_seconds_total": "counter",
            "process_open_fds": "gauge",
            "process_max_fds": "gauge",
            "process_start_time_seconds": "gauge",
        }
        for name, kind in expected.items():
            self.assertEqual(types.get(name), kind, name)
            self.assertIn(f"# HELP {name} ", text)
        for outcome in ["success", "bad_credentials", "locked", "inactive", "unverified", "mfa_required"]:
            self.assertIn(labels_key("warden_logins_total", outcome=outcome), samples)
        for reason in ["malformed", "bad_signature", "expired", "revoked", "user_gone", "insufficient_scope"]:
            self.assertIn(labels_key("warden_tokens_rejected_total", reason=reason), samples)
        self.assertIn(labels_key("warden_refresh_total", outcome="success"), samples)
        self.assertGreater(samples[labels_key("process_resident_memory_bytes")], 1 << 20)
        self.assertGreaterEqual(samples[labels_key("warden_open_connections")], 1)  # the scrape's own
        self.assertLessEqual(samples[labels_key("process_start_time_seconds")], time.time())
        self.assertEqual(samples[labels_key("warden_hash_pool_queue_depth")], 0)
        # No --smtp-url here: the mail metrics are there all the same, at zero.
        for name in ["warden_mail_sent_total", "warden_mail_failed_total", "warden_mail_dropped_total",
                     "warden_mail_queue_full_total", "warden_mail_queued"]:
            self.assertEqual(samples[labels_key(name)], 0, name)

    def test_counts_match_the_requests_made(self):
        email = self.unique_email("metrics")
        self.server.register(email)
        self.server.register(self.unique_email("other"))
        # One connection for everything: each request's count is in before the next is read.
        with requests.Session() as s:
            url = self.server.url
            before, _, _ = self.scrape(s)

            login = s.post(url + "/api/auth/login", data={"username": email, "password": "correct horse"})
            self.assertEqual(login.status_code, 200, login.text)
            token = login.json()["access_token"]
            wrong = s.post(url + "/api/auth/login", data={"username": email, "password": "wrong horse!"})
            self.assertEqual(wrong.status_code, 401)
            me = s.get(url + "/api/users/me", headers={"Authorization": f"Bearer {token}"})
            self.assertEqual(me.status_code, 200)
            garbage = s.get(url + "/api/users/me", headers={"Authorization": "Bearer not.a.token"})
            self.assertEqual(garbage.status_code, 401)
            sub = me.json()["id"]
            expired = jwt.encode({"sub": str(sub), "exp": int(time.time()) - 3600}, SECRET, algorithm="HS256")
            r = s.get(url + "/api/users/me", headers={"Authorization": f"Bearer {expired}"})
            self.assertEqual(r.status_code, 401)
            forged = jwt.encode({"sub": str(sub), "exp": int(time.time()) + 3600},
                                "another-secret-0123456789abcdef-0123456", algorithm="HS256")
            r = s.get(url + "/api/users/me", headers={"Authorization": f"Bearer {forged}"})
            self.assertEqual(r.status_code, 401)
            admin_only = s.get(url + "/api/users/7", headers={"Authorization": f"Bearer {token}"})
            self.assertEqual(admin_only.status_code, 403)
            unknown = s.get(url + "/no/such/path/12345")
            self.assertEqual(unknown.status_code, 404)
            bad_refresh = s.post(url + "/api/auth/login",
                                 data={"grant_type": "refresh_token", "refresh_token": "no-such-token"})
            self.assertEqual(bad_refresh.status_code, 400)
            refreshed = s.post(url + "/api/auth/login",
                               data={"grant_type": "refresh_token", "refresh_token": login.json()["refresh_token"]})
            self.assertEqual(refreshed.status_code, 200)

            expected = {
                ("/api/auth/login", "POST", "200"): 2,  # the password grant and the refresh
                ("/api/auth/login", "POST", "401"): 1,
                ("/api/auth/login", "POST", "400"): 1,
                ("/api/users/me", "GET", "200"): 1,
                ("/api/users/me", "GET", "401"): 3,
                ("/api/users/{id}", "GET", "403"): 1,
                ("none", "GET", "404"): 1,
            }
            # Counted after each response is written: give the last one a moment to be in.
            deadline = time.monotonic() + 5
            while True:
                after, _, text = self.scrape(s)
                deltas = {}
                for (name, labels), value in after.items():
                    if name == "warden_http_requests_total":
                        d = dict(labels)
                        delta = value - before.get((name, labels), 0)
                        if delta and d["route"] != "/metrics":  # the scrapes: checked below
                            deltas[(d["route"], d["method"], d["status"])] = delta
                if deltas == expected or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            self.assertEqual(deltas, expected)

        def delta(name, **labels):
            key = labels_key(name, **labels)
            return after.get(key, 0) - before.get(key, 0)

        self.assertEqual(delta("warden_logins_total", outcome="success"), 1)
        self.assertEqual(delta("warden_logins_total", outcome="bad_credentials"), 1)
        for outcome in ["locked", "inactive", "unverified", "mfa_required"]:
            self.assertEqual(delta("warden_logins_total", outcome=outcome), 0, outcome)
        self.assertEqual(delta("warden_tokens_rejected_total", reason="malformed"), 1)
        self.assertEqual(delta("warden_tokens_rejected_total", reason="expired"), 1)
        self.assertEqual(delta("warden_tokens_rejected_total", reason="bad_signature"), 1)
        self.assertEqual(delta("warden_tokens_rejected_total", reason="insufficient_scope"), 1)
        for reason in ["revoked", "user_gone", "outdated", "missing"]:
            self.assertEqual(delta("warden_tokens_rejected_total", reason=reason), 0, reason)
        self.assertEqual(delta("warden_refresh_total", outcome="success"), 1)
        self.assertEqual(delta("warden_refresh_total", outcome="invalid_token"), 1)
        self.assertEqual(delta("warden_store_errors_total"), 0)
        self.assertEqual(delta("warden_http_request_duration_seconds_count",
                               route="/api/users/me", method="GET"), 4)
        self.assertEqual(delta("warden_http_request_duration_seconds_bucket",
                               route="/api/users/me", method="GET", le="+Inf"), 4)
        # The route label is the template, never the raw path: no label holds the path asked for.
        self.assertNotIn("/no/such/path", text)
        self.assertNotIn("/api/users/7", text)
        routes = {dict(labels)["route"] for (name, labels) in after if name == "warden_http_requests_total"}
        for route in routes:
            self.assertTrue(route == "none" or (route.startswith("/") and not re.search(r"/\d", route)), route)
        self.assertGreaterEqual(delta("warden_http_requests_total", route="/metrics", method="GET", status="200"), 1)

    def test_logout_then_reuse_counts_a_revoked_token(self):
        email = self.unique_email("revoked")
        self.server.register(email)
        token = self.server.token(email)["access_token"]
        with requests.Session() as s:
            before, _, _ = self.scrape(s)
            r = s.post(self.server.url + "/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
            self.assertEqual(r.status_code, 204)
            r = s.get(self.server.url + "/api/users/me", headers={"Authorization": f"Bearer {token}"})
            self.assertEqual(r.status_code, 401)
            r = s.get(self.server.url + "/api/users/me")
            self.assertEqual(r.status_code, 401)
            after, _, _ = self.scrape(s)
        key = labels_key("warden_tokens_rejected_total", reason="revoked")
        self.assertEqual(after[key] - before[key], 1)
        key = labels_key("warden_tokens_rejected_total", reason="missing")
        self.assertEqual(after[key] - before[key], 1)

    def test_metrics_is_not_in_the_openapi_document(self):
        r = self.server.get("/openapi.json")
        if r.status_code == 404:
            self.skipTest("this build serves no /openapi.json")
        self.assertEqual(r.status_code, 200)
        self.assertNotIn("/metrics", r.json()["paths"])


class SeparateListenerTest(unittest.TestCase):
    def test_metrics_listen_serves_metrics_alone_and_the_main_port_answers_404(self):
        server = Wardend(*FAST_HASHING, "--metrics-listen", "127.0.0.1:0")
        try:
            server.start()
            line = server.process.stdout.readline()
            match = re.search(r"wardend metrics on (http://127\.0\.0\.1:(\d+))/metrics", line)
            self.assertIsNotNone(match, line)
            metrics_url = match.group(1)
            self.assertNotEqual(metrics_url, server.url)

            self.assertEqual(server.get("/metrics").status_code, 404)
            self.assertEqual(server.get("/healthz").status_code, 200)
            self.assertEqual(requests.get(metrics_url + "/healthz", timeout=30).status_code, 404)
            r = requests.get(metrics_url + "/metrics", timeout=30)
            self.assertEqual(r.status_code, 200)
            self.assertEqual(r.headers["Content-Type"], CONTENT_TYPE)
            samples, _ = parse_strict(r.text)
            # The main listener's requests are counted here, its 404 for /metrics as route none.
            self.assertGreaterEqual(samples[labels_key("warden_http_requests_total", route="/healthz",
                                                       method="GET", status="200")], 1)
            self.assertGreaterEqual(samples[labels_key("warden_http_requests_total", route="none",
                                                       method="GET", status="404")], 1)
            # Graceful stop of both listeners: exit 0.
            self.assertEqual(server.stop(), 0, server.stderr())
        finally:
            server.cleanup()

    def test_a_taken_metrics_port_is_a_clear_start_up_error(self):
        with Wardend(*FAST_HASHING) as taken:
            port = taken.url.rsplit(":", 1)[1]
            server = Wardend(*FAST_HASHING, "--metrics-listen", f"127.0.0.1:{port}")
            try:
                server.start(expect_failure=True)
                self.assertEqual(server.process.wait(timeout=30), 1)
                time.sleep(0.2)  # the stderr reader thread
                self.assertIn("cannot listen on", server.stderr())
            finally:
                server.cleanup()


class MetricsOffTest(unittest.TestCase):
    def test_metrics_off_removes_the_route_and_keeps_serving(self):
        with Wardend(*FAST_HASHING, "--metrics", "off") as server:
            r = server.get("/metrics")
            self.assertEqual((r.status_code, r.json()), (404, {"detail": "Not Found"}))
            self.assertEqual(server.get("/healthz").status_code, 200)
            self.assertEqual(server.get("/metrics").status_code, 404)  # still no route

    def test_metrics_off_with_a_metrics_listener_is_a_usage_error(self):
        server = Wardend(*FAST_HASHING, "--metrics", "off", "--metrics-listen", "127.0.0.1:0")
        try:
            server.start(expect_failure=True)
            self.assertEqual(server.process.wait(timeout=30), 2)
            time.sleep(0.2)  # the stderr reader thread
            self.assertIn("--metrics off", server.stderr())
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
