"""E-mail verification and password reset end to end (issue 13): wardend sends its mails to a real SMTP
server (tests/support/smtp_sink.py, Debian's python3-aiosmtpd) on a free loopback port; the tests read
the mails it received, take the token from the link in them and follow the flows through the HTTP API."""
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import unittest
import urllib.parse

import requests

from smtp_sink import SmtpSink
from test_servers import shared_postgres
from wardend import FAST_HASHING, WARDEN_CLI, Wardend

PASSWORD = "correct horse"
NEW_PASSWORD = "battery staple 2"
BAD_TOKEN = {"detail": "Invalid or expired token"}
FROM = "warden@example.com"
PUBLIC_URL = "https://auth.example.com"
LINK = re.compile(r"https://auth\.example\.com/(verify-email|reset-password)\?token=([A-Za-z0-9_-]{43})")

_counter = [0]


def unique_email(prefix="user"):
    _counter[0] += 1
    return f"{prefix}{_counter[0]}.{time.monotonic_ns()}@example.com"


def token_of(mail, kind):
    """The token of the link to `kind` (verify-email or reset-password) in the mail's text part."""
    found = LINK.search(mail.text)
    assert found is not None, mail.text
    assert found.group(1) == kind, found.group(0)
    # The code for API clients is the same token, written out in the text.
    assert found.group(2) in mail.text.replace(found.group(0), ""), mail.text
    return found.group(2)


def mail_metrics(server):
    """The warden_mail_* samples of wardend's /metrics, by name."""
    r = server.get("/metrics")
    assert r.status_code == 200, r.text
    return {name: float(value) for name, value in re.findall(r"^(warden_mail_\w+) (\S+)$", r.text, re.M)}


def wait_for_mail_metric(server, name, at_least, timeout=10.0):
    """The mail metrics once `name` reached `at_least`: the queue counts a mail as sent just after
    the SMTP server has it, so a test that has read the mail may scrape a moment too soon."""
    deadline = time.monotonic() + timeout
    while True:
        metrics = mail_metrics(server)
        if metrics.get(name, 0) >= at_least:
            return metrics
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} stayed below {at_least}: {metrics}")
        time.sleep(0.02)


class MailServer:
    """A sink and a wardend sending to it, both stopped by `close`."""

    def __init__(self, *args):
        self.directory = tempfile.mkdtemp(prefix="warden-mail-")
        self.sink = SmtpSink(self.directory)
        self.sink.start()
        defaults = {"--login-max-failures": "1000", "--smtp-url": self.sink.url, "--mail-from": FROM,
                    "--public-url": PUBLIC_URL, "--mail-retry-delay": "1s"}
        for flag in args:
            defaults.pop(flag, None)  # given: the test's value
        self.server = Wardend(*FAST_HASHING, *[x for item in defaults.items() for x in item], *args)
        self.server.start()

    def close(self):
        status = self.server.stop()
        self.server.cleanup()
        self.sink.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
        assert status == 0, f"wardend exited with {status}: {self.server.stderr()}"

    def mails_to(self, address):
        return [m for m in self.sink.messages() if address in m.rcpt_tos]

    def wait_for_mails_to(self, address, count, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            found = self.mails_to(address)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} mails to {address}, expected {count}")
            time.sleep(0.02)


class MailTestCase(unittest.TestCase):
    wardend_args = []

    @classmethod
    def setUpClass(cls):
        cls.mail = MailServer(*cls.wardend_args)
        cls.server = cls.mail.server

    @classmethod
    def tearDownClass(cls):
        cls.mail.close()

    def token_for(self, email, kind, count=1, timeout=10.0):
        """The token of the `count`-th mail of `kind` (verify-email or reset-password) to `email`."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.mail.mails_to(email) if f"/{kind}?token=" in (m.text or "")]
            if len(found) >= count:
                return token_of(found[count - 1], kind)
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} {kind} mails to {email}, expected {count}")
            time.sleep(0.02)

    def verify_token_for(self, email, count=1):
        return self.token_for(email, "verify-email", count)

    def reset_token_for(self, email, count=1):
        return self.token_for(email, "reset-password", count)

    def assert_no_mail_to(self, email, wait=1.0):
        time.sleep(wait)
        self.assertEqual(self.mail.mails_to(email), [])


class verification(MailTestCase):
    def test_register_mails_a_link_that_verifies(self):
        email = unique_email()
        user = self.server.register(email)
        self.assertIs(user["is_verified"], False)
        mail = self.mail.wait_for_mails_to(email, 1)[0]
        self.assertEqual(mail.rcpt_tos, [email])
        self.assertEqual(mail.message["To"], email)
        self.assertIn(FROM, mail.message["From"])
        self.assertTrue(mail.message["Subject"])
        token = token_of(mail, "verify-email")
        self.assertIn(token, mail.html)
        r = self.server.post("/api/auth/verify", json={"token": token})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["id"], user["id"])
        self.assertIs(r.json()["is_verified"], True)
        me = self.server.get("/api/users/me", token=self.server.token(email)["access_token"])
        self.assertIs(me.json()["is_verified"], True)
        # /metrics counted the mail the sink received.
        metrics = wait_for_mail_metric(self.server, "warden_mail_sent_total", 1)
        self.assertEqual(metrics["warden_mail_queue_full_total"], 0)

    def test_a_token_is_single_use(self):
        email = unique_email()
        self.server.register(email)
        token = self.verify_token_for(email)
        self.assertEqual(self.server.post("/api/auth/verify", json={"token": token}).status_code, 200)
        r = self.server.post("/api/auth/verify", json={"token": token})
        self.assertEqual((r.status_code, r.json()), (400, BAD_TOKEN))

    def test_bad_tokens(self):
        for token in ["", "x" * 43, "not a token", "y" * 1000]:
            r = self.server.post("/api/auth/verify", json={"token": token})
            self.assertEqual((r.status_code, r.json()), (400, BAD_TOKEN), token)
        self.assertEqual(self.server.post("/api/auth/verify", json={}).status_code, 422)
        # A reset token is no verification token.
        email = unique_email()
        self.server.register(email)
        self.assertEqual(self.server.post("/api/auth/forgot-password", json={"email": email}).status_code, 202)
        reset = self.reset_token_for(email)
        r = self.server.post("/api/auth/verify", json={"token": reset})
        self.assertEqual((r.status_code, r.json()), (400, BAD_TOKEN))

    def test_request_verify_token_answers_202_for_any_address(self):
        email = unique_email()
        self.server.register(email)
        first = self.verify_token_for(email)
        r = self.server.post("/api/auth/request-verify-token", json={"email": email})
        self.assertEqual((r.status_code, r.text), (202, ""))
        second = self.verify_token_for(email, 2)
        self.assertNotEqual(first, second)
        # A new request replaced the older token.
        r = self.server.post("/api/auth/verify", json={"token": first})
        self.assertEqual(r.status_code, 400, r.text)
        self.assertEqual(self.server.post("/api/auth/verify", json={"token": second}).status_code, 200)
        # Verified: no more mail. Unknown: none either. Both 202.
        unknown = unique_email("nobody")
        for address in [email, unknown]:
            r = self.server.post("/api/auth/request-verify-token", json={"email": address})
            self.assertEqual(r.status_code, 202, r.text)
        time.sleep(1)
        self.assertEqual(len(self.mail.mails_to(email)), 2)
        self.assertEqual(self.mail.mails_to(unknown), [])
        r = self.server.post("/api/auth/request-verify-token", json={"email": "not an address"})
        self.assertEqual(r.status_code, 422, r.text)

    def test_admins_set_is_verified(self):
        admin = unique_email("admin")
        self.server.register(admin)
        env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
        subprocess.run([WARDEN_CLI, "--data-dir", self.server.data_dir, "user", "set-scopes", admin, "admin"],
                       check=True, capture_output=True, env=env, timeout=60)
        token = self.server.token(admin)["access_token"]
        user = self.server.register(unique_email())
        r = self.server.patch(f"/api/users/{user['id']}", token=token, json={"is_verified": True})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertIs(r.json()["is_verified"], True)
        r = self.server.patch(f"/api/users/{user['id']}", token=token, json={"is_verified": "yes"})
        self.assertEqual(r.status_code, 422, r.text)


class expired_tokens(MailTestCase):
    wardend_args = ["--verify-token-ttl", "1s", "--reset-token-ttl", "1s"]

    def test_expired_verify_and_reset_tokens(self):
        email = unique_email()
        self.server.register(email)
        verify = self.verify_token_for(email)
        self.server.post("/api/auth/forgot-password", json={"email": email})
        reset = self.reset_token_for(email)
        time.sleep(2.2)
        r = self.server.post("/api/auth/verify", json={"token": verify})
        self.assertEqual((r.status_code, r.json()), (400, BAD_TOKEN))
        r = self.server.post("/api/auth/reset-password", json={"token": reset, "password": NEW_PASSWORD})
        self.assertEqual((r.status_code, r.json()), (400, BAD_TOKEN))
        self.server.token(email, PASSWORD)


class require_verified_email(MailTestCase):
    wardend_args = ["--require-verified-email"]

    def test_login_refused_before_and_accepted_after(self):
        email = unique_email()
        self.server.register(email)
        r = self.server.login(email)
        self.assertEqual((r.status_code, r.json()["detail"]), (400, "Email not verified"), r.text)
        # A wrong password stays a wrong password: nothing tells the account's state.
        self.assertEqual(self.server.login(email, "wrong password").status_code, 401)
        metrics = self.server.get("/metrics").text
        self.assertIn('warden_logins_total{outcome="unverified"} 1', metrics)
        token = self.verify_token_for(email)
        self.assertEqual(self.server.post("/api/auth/verify", json={"token": token}).status_code, 200)
        self.assertEqual(self.server.login(email).status_code, 200)


class password_reset(MailTestCase):
    def test_forgot_then_reset(self):
        email = unique_email()
        self.server.register(email)
        old = self.server.token(email)
        r = self.server.post("/api/auth/forgot-password", json={"email": email})
        self.assertEqual((r.status_code, r.text), (202, ""))
        token = self.reset_token_for(email)
        r = self.server.post("/api/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
        self.assertEqual((r.status_code, r.text), (204, ""))
        self.assertEqual(self.server.login(email, PASSWORD).status_code, 401)
        self.assertEqual(self.server.login(email, NEW_PASSWORD).status_code, 200)
        # Every session of before the reset is over: its access token and its refresh token.
        self.assertEqual(self.server.get("/api/users/me", token=old["access_token"]).status_code, 401)
        r = self.server.post("/api/auth/login", data={"grant_type": "refresh_token",
                                                      "refresh_token": old["refresh_token"]})
        self.assertEqual(r.status_code, 400, r.text)
        # Single use.
        r = self.server.post("/api/auth/reset-password", json={"token": token, "password": "another one 3"})
        self.assertEqual((r.status_code, r.json()), (400, BAD_TOKEN))

    def test_weak_password_is_422_and_keeps_the_token(self):
        email = unique_email()
        self.server.register(email)
        self.server.post("/api/auth/forgot-password", json={"email": email})
        token = self.reset_token_for(email)
        r = self.server.post("/api/auth/reset-password", json={"token": token, "password": "tiny7"})
        self.assertEqual(r.status_code, 422, r.text)
        self.assertNotIn("tiny7", r.text)  # a password is never echoed
        r = self.server.post("/api/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
        self.assertEqual(r.status_code, 204, r.text)

    def test_unknown_email_is_202_and_no_mail(self):
        unknown = unique_email("nobody")
        r = self.server.post("/api/auth/forgot-password", json={"email": unknown})
        self.assertEqual((r.status_code, r.text), (202, ""))
        self.assert_no_mail_to(unknown)

    def test_bad_reset_tokens(self):
        for token in ["", "z" * 43]:
            r = self.server.post("/api/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
            self.assertEqual((r.status_code, r.json()), (400, BAD_TOKEN))

    def test_cr_lf_cannot_add_a_header(self):
        evil = unique_email("evil")
        for field in ["to@example.com\r\nBcc: " + evil, "to@example.com\nBcc: " + evil,
                      "to@example.com\r\n\r\nbody"]:
            for path in ["/api/auth/forgot-password", "/api/auth/request-verify-token"]:
                r = self.server.post(path, json={"email": field})
                self.assertEqual(r.status_code, 422, (path, r.text))
            r = self.server.post("/api/auth/register", json={"email": field, "password": PASSWORD})
            self.assertEqual(r.status_code, 422, r.text)
        # A full name with line breaks is refused, or kept out of the headers.
        email = unique_email()
        r = self.server.post("/api/auth/register",
                             json={"email": email, "password": PASSWORD, "full_name": "Jo\r\nBcc: " + evil})
        self.assertIn(r.status_code, (201, 422), r.text)
        if r.status_code == 201:
            mail = self.mail.wait_for_mails_to(email, 1)[0]
            self.assertIsNone(mail.message["Bcc"])
            self.assertEqual(mail.rcpt_tos, [email])
        time.sleep(0.5)
        self.assertEqual(self.mail.mails_to(evil), [])
        for mail in self.mail.sink.messages():
            self.assertIsNone(mail.message["Bcc"])
            self.assertEqual(mail.message.get_all("To"), mail.rcpt_tos)
            self.assertEqual(len(mail.rcpt_tos), 1)


class postgres_store:
    """Mixin: the class's wardend keeps its users and tokens in a fresh PostgreSQL database."""

    @classmethod
    def setUpClass(cls):
        cls.postgres = shared_postgres(cls)
        url = cls.postgres.create_database()
        cls.addClassCleanup(cls.postgres.drop_database, url)
        cls.wardend_args = ["--database", url]
        super().setUpClass()


class password_reset_on_postgres(postgres_store, password_reset):
    test_register_mails_a_link_that_verifies = verification.test_register_mails_a_link_that_verifies
    test_a_token_is_single_use = verification.test_a_token_is_single_use


def source_client(url, source):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=30, source_address=(source, 0))


def post_from(url, source, path, body=None, form=None):
    conn = source_client(url, source)
    try:
        if form is not None:
            conn.request("POST", path, body=urllib.parse.urlencode(form),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        else:
            conn.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


class reset_clears_lockout(MailTestCase):
    wardend_args = ["--login-max-failures", "3"]

    def test_reset_lifts_the_account_lockout(self):
        email = unique_email()
        self.server.register(email)
        for i in range(3):
            status, _ = post_from(self.server.url, f"127.0.3.{i + 1}", "/api/auth/login",
                                  form={"username": email, "password": "wrong password"})
            self.assertEqual(status, 401)
        status, _ = post_from(self.server.url, "127.0.3.9", "/api/auth/login",
                              form={"username": email, "password": PASSWORD})
        self.assertEqual(status, 429)
        self.server.post("/api/auth/forgot-password", json={"email": email})
        token = self.reset_token_for(email)
        r = self.server.post("/api/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
        self.assertEqual(r.status_code, 204, r.text)
        status, body = post_from(self.server.url, "127.0.3.10", "/api/auth/login",
                                 form={"username": email, "password": NEW_PASSWORD})
        self.assertEqual(status, 200, body)


class rate_limits(MailTestCase):
    wardend_args = ["--mail-limit-per-email", "2", "--mail-limit-per-client", "4"]

    def test_per_address_limit(self):
        email = unique_email()
        status, _ = post_from(self.server.url, "127.0.4.1", "/api/auth/register",
                              body={"email": email, "password": PASSWORD})
        self.assertEqual(status, 201)
        self.mail.wait_for_mails_to(email, 1)  # the registration's: one of the address's two
        for source in ["127.0.4.2", "127.0.4.3", "127.0.4.4"]:
            status, body = post_from(self.server.url, source, "/api/auth/forgot-password", body={"email": email})
            self.assertEqual((status, body), (202, b""))
        time.sleep(1.5)
        self.assertEqual(len(self.mail.mails_to(email)), 2)

    def test_per_client_limit(self):
        emails = [unique_email() for _ in range(6)]
        for email in emails:
            self.server.register(email)
        for email in emails:
            self.mail.wait_for_mails_to(email, 1)
        for email in emails:
            status, body = post_from(self.server.url, "127.0.5.1", "/api/auth/forgot-password", body={"email": email})
            self.assertEqual((status, body), (202, b""))
        time.sleep(1.5)
        reset_mails = sum(1 for e in emails for m in self.mail.mails_to(e) if "reset-password" in m.text)
        self.assertEqual(reset_mails, 4)


class forgot_password_timing(MailTestCase):
    """As test_races' login_timing: a known and an unknown e-mail answer alike (medians)."""

    wardend_args = ["--mail-limit-per-email", "100000", "--mail-limit-per-client", "100000"]

    def test_known_and_unknown_medians_are_alike(self):
        known = unique_email()
        self.server.register(known)
        session = requests.Session()
        self.addCleanup(session.close)

        def timed(email):
            start = time.perf_counter()
            r = session.post(self.server.url + "/api/auth/forgot-password", json={"email": email}, timeout=30)
            took = time.perf_counter() - start
            self.assertEqual(r.status_code, 202, r.text)
            return took

        emails = {"known": known, "unknown": unique_email("nobody")}
        for email in emails.values():  # warm-up
            timed(email)
            timed(email)
        samples = {kind: [] for kind in emails}
        kinds = list(emails)
        rng = random.Random(13)
        for _ in range(21):
            rng.shuffle(kinds)
            for kind in kinds:
                samples[kind].append(timed(emails[kind]))
        medians = {kind: statistics.median(s) for kind, s in samples.items()}
        shown = {kind: f"{m * 1000:.1f} ms" for kind, m in medians.items()}
        self.assertLess(max(medians.values()) / min(medians.values()), 1.5, shown)


class smtp_down(unittest.TestCase):
    def test_answers_quickly_and_delivers_after_the_server_is_back(self):
        mail = MailServer()
        self.addCleanup(mail.close)
        email = unique_email()
        mail.server.register(email)
        mail.wait_for_mails_to(email, 1)
        mail.sink.stop()
        start = time.monotonic()
        r = mail.server.post("/api/auth/forgot-password", json={"email": email})
        self.assertEqual(r.status_code, 202, r.text)
        self.assertLess(time.monotonic() - start, 1.0)
        time.sleep(1.5)  # at least one failed attempt
        mail.sink.start()
        found = mail.wait_for_mails_to(email, 2, timeout=30)
        token = token_of(found[1], "reset-password")
        r = mail.server.post("/api/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
        self.assertEqual(r.status_code, 204, r.text)


    def test_dropped_after_the_retry_budget_and_logged_without_the_token(self):
        mail = MailServer("--mail-retries", "1")
        self.addCleanup(mail.close)
        email = unique_email()
        mail.server.register(email)
        mail.wait_for_mails_to(email, 1)
        mail.sink.stop()
        r = mail.server.post("/api/auth/forgot-password", json={"email": email})
        self.assertEqual(r.status_code, 202, r.text)
        deadline = time.monotonic() + 15
        while "dropped after 2 attempts" not in mail.server.stderr():
            self.assertLess(time.monotonic(), deadline, mail.server.stderr())
            time.sleep(0.05)
        log = mail.server.stderr()
        self.assertNotIn(email, log)  # the recipient's domain only
        self.assertNotIn("token=", log)
        # Counted before the line is logged: the registration's mail sent, then two attempts
        # of the reset mail failed and it was dropped; nothing waits.
        self.assertEqual(mail_metrics(mail.server),
                         {"warden_mail_sent_total": 1, "warden_mail_failed_total": 2,
                          "warden_mail_dropped_total": 1, "warden_mail_queue_full_total": 0,
                          "warden_mail_queued": 0})
        mail.sink.start()
        time.sleep(2)
        self.assertEqual(len(mail.mails_to(email)), 1)  # only the registration's


class without_smtp(unittest.TestCase):
    def test_routes_answer_the_same(self):
        with Wardend(*FAST_HASHING) as server:
            email = unique_email()
            self.assertIs(server.register(email)["is_verified"], False)
            for path in ["/api/auth/request-verify-token", "/api/auth/forgot-password"]:
                for address in [email, unique_email("nobody")]:
                    r = server.post(path, json={"email": address})
                    self.assertEqual((r.status_code, r.text), (202, ""))
            r = server.post("/api/auth/verify", json={"token": "a" * 43})
            self.assertEqual((r.status_code, r.json()), (400, BAD_TOKEN))


if __name__ == "__main__":
    unittest.main()
