"""The TOTP second factor end to end (issue 13): enrolment, confirmation and login with codes made by
Debian's python3-pyotp, as an authenticator app makes them; replays, recovery codes, lockout, turning it
off, concurrent logins with one code, and no secret in clear in the database."""
import concurrent.futures
import json
import os
import subprocess
import threading
import time
import unittest
import urllib.parse

import pyotp

from test_servers import shared_postgres
from wardend import FAST_HASHING, WARDEN_CLI, Wardend, WardendTestCase

PASSWORD = "correct horse"
MFA_REQUIRED = {"detail": "Second factor required", "error": "mfa_required"}
WRONG_FACTOR = {"detail": "Invalid second factor", "error": "invalid_grant"}


def subset(body, expected):
    return {k: body.get(k) for k in expected}


def wrong_code(totp):
    """A six-digit code that is none of the codes the server could accept now or soon."""
    now = time.time()
    near = {totp.at(now + k * 30) for k in range(-3, 4)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555", "666666",
                            "777777", "888888") if c not in near)


def next_code(totp):
    """The code of the next time step: within the ±1 step the server accepts, and newer than the
    confirmation's."""
    return totp.at(time.time() + 30)


class totp_flow(WardendTestCase):

    def enrol(self, email=None):
        """A registered user with a started enrolment: (email, access token, enrolment body)."""
        email = email or self.unique_email("totp")
        self.server.register(email)
        access = self.server.token(email)["access_token"]
        r = self.server.post("/api/users/me/totp", token=access)
        self.assertEqual(r.status_code, 200, r.text)
        return email, access, r

    def enrolled(self):
        """A user with TOTP on: (email, pyotp.TOTP, recovery codes, access token)."""
        email, access, r = self.enrol()
        body = r.json()
        totp = pyotp.TOTP(body["secret"])
        c = self.server.post("/api/users/me/totp/confirm", token=access, json={"code": totp.now()})
        self.assertEqual(c.status_code, 204, c.text)
        return email, totp, body["recovery_codes"], access

    def test_enrolment_gives_a_secret_an_app_reads_and_ten_recovery_codes_once(self):
        email, _, r = self.enrol()
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        body = r.json()
        self.assertEqual(set(body), {"secret", "otpauth_uri", "recovery_codes"})
        self.assertRegex(body["secret"], r"^[A-Z2-7]{32}$")  # 160 bits
        parsed = pyotp.parse_uri(body["otpauth_uri"])
        self.assertIsInstance(parsed, pyotp.TOTP)
        self.assertEqual(parsed.secret, body["secret"])
        self.assertEqual(parsed.issuer, "warden")
        self.assertEqual(parsed.name, email)
        self.assertEqual((parsed.digits, parsed.interval), (6, 30))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(body["otpauth_uri"]).query)
        self.assertEqual(query["algorithm"], ["SHA1"])
        codes = body["recovery_codes"]
        self.assertEqual(len(codes), 10)
        self.assertEqual(len(set(codes)), 10)
        for code in codes:
            self.assertRegex(code, r"^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$")

    def test_an_unconfirmed_enrolment_changes_nothing_at_login(self):
        email, _, _ = self.enrol()
        r = self.server.login(email)
        self.assertEqual(r.status_code, 200, r.text)

    def test_confirmation_needs_a_current_code_of_the_newest_enrolment(self):
        email, access, first = self.enrol()
        second = self.server.post("/api/users/me/totp", token=access)
        self.assertEqual(second.status_code, 200, second.text)
        self.assertNotEqual(first.json()["secret"], second.json()["secret"])
        old = pyotp.TOTP(first.json()["secret"])
        new = pyotp.TOTP(second.json()["secret"])
        r = self.server.post("/api/users/me/totp/confirm", token=access, json={"code": old.now()})
        self.assertEqual((r.status_code, r.json()), (400, {"detail": "Invalid TOTP code"}))
        r = self.server.post("/api/users/me/totp/confirm", token=access,
                             json={"code": wrong_code(new)})
        self.assertEqual((r.status_code, r.json()), (400, {"detail": "Invalid TOTP code"}))
        r = self.server.post("/api/users/me/totp/confirm", token=access, json={"code": "12345"})
        self.assertEqual((r.status_code, r.json()), (400, {"detail": "Invalid TOTP code"}))
        r = self.server.post("/api/users/me/totp/confirm", token=access, json={"code": new.now()})
        self.assertEqual(r.status_code, 204, r.text)
        # On: confirming or enrolling again is a conflict, and the old recovery codes never worked.
        r = self.server.post("/api/users/me/totp/confirm", token=access, json={"code": new.now()})
        self.assertEqual((r.status_code, r.json()), (409, {"detail": "TOTP is already enabled"}))
        r = self.server.post("/api/users/me/totp", token=access)
        self.assertEqual((r.status_code, r.json()), (409, {"detail": "TOTP is already enabled"}))
        r = self.server.login(email, otp=first.json()["recovery_codes"][0])
        self.assertEqual((r.status_code, subset(r.json(), WRONG_FACTOR)), (401, WRONG_FACTOR))

    def test_confirmation_without_an_enrolment_or_a_code(self):
        email = self.unique_email("none")
        self.server.register(email)
        access = self.server.token(email)["access_token"]
        r = self.server.post("/api/users/me/totp/confirm", token=access, json={"code": "123456"})
        self.assertEqual((r.status_code, r.json()), (400, {"detail": "TOTP enrolment not started"}))
        r = self.server.post("/api/users/me/totp/confirm", token=access, json={})
        self.assertEqual(r.status_code, 422, r.text)
        self.assertEqual(r.json()["detail"][0]["loc"], ["body", "code"])
        r = self.server.delete("/api/users/me/totp", token=access, json={"password": PASSWORD})
        self.assertEqual((r.status_code, r.json()), (400, {"detail": "TOTP is not enabled"}))

    def test_the_routes_need_a_bearer_token(self):
        for method, path in (("post", "/api/users/me/totp"), ("post", "/api/users/me/totp/confirm"),
                             ("delete", "/api/users/me/totp")):
            r = getattr(self.server, method)(path, json={})
            self.assertEqual((r.status_code, r.json()), (401, {"detail": "Not authenticated"}), path)
            self.assertEqual(r.headers.get("WWW-Authenticate"), "Bearer")

    def test_login_needs_the_second_factor_once_it_is_on(self):
        email, totp, _, _ = self.enrolled()
        r = self.server.login(email)
        self.assertEqual(r.status_code, 401, r.text)
        self.assertEqual(subset(r.json(), MFA_REQUIRED), MFA_REQUIRED)
        self.assertEqual(r.headers.get("WWW-Authenticate"), "Bearer")
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        # The wrong password still says only that.
        r = self.server.login(email, "wrong password", otp=next_code(totp))
        self.assertEqual((r.status_code, r.json()["detail"]), (401, "Incorrect email or password"))
        code = next_code(totp)
        r = self.server.login(email, otp=code)
        self.assertEqual(r.status_code, 200, r.text)
        me = self.server.get("/api/users/me", token=r.json()["access_token"])
        self.assertEqual(me.json()["email"], email)
        # The refresh token of that login keeps working without a code.
        refreshed = self.server.post("/api/auth/login", data={"grant_type": "refresh_token",
                                                              "refresh_token": r.json()["refresh_token"]})
        self.assertEqual(refreshed.status_code, 200, refreshed.text)
        # Replayed within its window, the same code is refused; so is an older one.
        for replay in (code, totp.now(), f"{code[:3]} {code[3:]}"):
            r = self.server.login(email, otp=replay)
            self.assertEqual((r.status_code, subset(r.json(), WRONG_FACTOR)), (401, WRONG_FACTOR),
                             replay)

    def test_logins_asked_for_a_code_are_counted_apart(self):
        def count(outcome):
            text = self.server.get("/metrics").text
            line = next(l for l in text.splitlines()
                        if l.startswith(f'warden_logins_total{{outcome="{outcome}"}} '))
            return float(line.split()[1])

        email, totp, _, _ = self.enrolled()
        asked, bad = count("mfa_required"), count("bad_credentials")
        self.assertEqual(self.server.login(email).status_code, 401)
        self.assertEqual(self.server.login(email, otp=wrong_code(totp)).status_code, 401)
        self.assertEqual(count("mfa_required") - asked, 1)
        self.assertEqual(count("bad_credentials") - bad, 1)

    def test_the_confirmation_code_cannot_log_in(self):
        email, access, r = self.enrol()
        code = pyotp.TOTP(r.json()["secret"]).now()
        c = self.server.post("/api/users/me/totp/confirm", token=access, json={"code": code})
        self.assertEqual(c.status_code, 204, c.text)
        r = self.server.login(email, otp=code)
        self.assertEqual((r.status_code, subset(r.json(), WRONG_FACTOR)), (401, WRONG_FACTOR))

    def test_a_code_with_a_space_as_apps_show_it_is_accepted(self):
        email, totp, _, _ = self.enrolled()
        code = next_code(totp)
        r = self.server.login(email, otp=f"{code[:3]} {code[3:]}")
        self.assertEqual(r.status_code, 200, r.text)

    def test_a_recovery_code_works_once_in_any_case_with_or_without_dashes(self):
        email, _, codes, _ = self.enrolled()
        r = self.server.login(email, otp=codes[0])
        self.assertEqual(r.status_code, 200, r.text)
        r = self.server.login(email, otp=codes[0])
        self.assertEqual((r.status_code, subset(r.json(), WRONG_FACTOR)), (401, WRONG_FACTOR))
        r = self.server.login(email, otp=codes[1].replace("-", "").upper())
        self.assertEqual(r.status_code, 200, r.text)
        r = self.server.login(email, otp=codes[1])
        self.assertEqual(r.status_code, 401, r.text)
        r = self.server.login(email, otp="aaaa-bbbb-cccc-dddd")
        self.assertEqual((r.status_code, subset(r.json(), WRONG_FACTOR)), (401, WRONG_FACTOR))

    def test_turning_it_off_needs_the_password(self):
        email, totp, codes, access = self.enrolled()
        r = self.server.delete("/api/users/me/totp", token=access, json={"password": "wrong one"})
        self.assertEqual((r.status_code, r.json()), (400, {"detail": "Incorrect current password"}))
        self.assertEqual(self.server.login(email).status_code, 401)
        r = self.server.delete("/api/users/me/totp", token=access, json={})
        self.assertEqual(r.status_code, 422, r.text)
        r = self.server.delete("/api/users/me/totp", token=access, json={"password": PASSWORD})
        self.assertEqual(r.status_code, 204, r.text)
        r = self.server.login(email)
        self.assertEqual(r.status_code, 200, r.text)
        # The codes went with it; an otp given to a user without TOTP is ignored.
        r = self.server.login(email, otp=codes[0])
        self.assertEqual(r.status_code, 200, r.text)
        r = self.server.delete("/api/users/me/totp", token=access, json={"password": PASSWORD})
        self.assertEqual((r.status_code, r.json()), (400, {"detail": "TOTP is not enabled"}))
        # And it can be enrolled again, with a new secret.
        _, _, again = (email, access, self.server.post("/api/users/me/totp", token=access))
        self.assertEqual(again.status_code, 200, again.text)
        self.assertNotEqual(again.json()["secret"], totp.secret)

    def cli(self, *args):
        """warden on this server's data directory and store."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
        return subprocess.run([WARDEN_CLI, *args, "--data-dir", self.server.data_dir, *self.wardend_args],
                              capture_output=True, text=True, env=env, timeout=60)

    def test_an_admin_turns_it_off_with_the_cli(self):
        email, _, _, _ = self.enrolled()
        done = self.cli("user", "disable-totp", email)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["email"], email)
        self.assertEqual(self.server.login(email).status_code, 200)
        again = self.cli("user", "disable-totp", email)
        self.assertEqual(again.returncode, 1, again.stdout)
        self.assertIn("TOTP is not enabled", again.stderr)
        gone = self.cli("user", "disable-totp", "nobody@example.com")
        self.assertEqual(gone.returncode, 1, gone.stdout)
        self.assertIn("no such user", gone.stderr)

    def test_the_login_form_and_the_routes_are_documented(self):
        doc = self.server.get("/openapi.json").json()
        self.assertIn("otp", doc["components"]["schemas"]["LoginForm"]["properties"])
        self.assertEqual(set(doc["paths"]["/api/users/me/totp"]), {"post", "delete"})
        self.assertIn("post", doc["paths"]["/api/users/me/totp/confirm"])

    def test_the_database_holds_no_secret_in_clear(self):
        _, totp, codes, _ = self.enrolled()
        raw = __import__("base64").b32decode(totp.secret)
        found = []
        for root, _, files in os.walk(self.server.data_dir):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    data = f.read()
                for needle in (raw, totp.secret.encode(), codes[2].encode(),
                               codes[2].replace("-", "").encode()):
                    if needle in data:
                        found.append(name)
        self.assertEqual(found, [])
        self.assertTrue(any(n.endswith(".db") for n in os.listdir(self.server.data_dir)))

    def race(self, email, otp, clients=8):
        """`clients` logins with one code at once: their status codes."""
        barrier = threading.Barrier(clients)

        def attempt(_):
            barrier.wait()
            return self.server.login(email, otp=otp).status_code

        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            return sorted(pool.map(attempt, range(clients)))

    def test_of_concurrent_logins_with_one_code_exactly_one_succeeds(self):
        for round_ in range(3):
            email, totp, _, _ = self.enrolled()
            self.assertEqual(self.race(email, next_code(totp)), [200] + [401] * 7, round_)

    def test_of_concurrent_logins_with_one_recovery_code_exactly_one_succeeds(self):
        for round_ in range(3):
            email, _, codes, _ = self.enrolled()
            self.assertEqual(self.race(email, codes[round_]), [200] + [401] * 7, round_)


class totp_lockout(unittest.TestCase):
    """Wrong codes count as failed logins; asking for the code does not."""

    def setUp(self):
        self.server = Wardend(*FAST_HASHING, "--login-max-failures", "3", "--login-lockout", "1m")
        self.server.start()

    def tearDown(self):
        status = self.server.stop()
        self.server.cleanup()
        self.assertEqual(status, 0, self.server.stderr())

    def enrolled(self, email):
        self.server.register(email)
        access = self.server.token(email)["access_token"]
        totp = pyotp.TOTP(self.server.post("/api/users/me/totp", token=access).json()["secret"])
        c = self.server.post("/api/users/me/totp/confirm", token=access, json={"code": totp.now()})
        self.assertEqual(c.status_code, 204, c.text)
        return totp

    def test_wrong_codes_lock_the_account(self):
        email = "locked@example.com"
        totp = self.enrolled(email)
        for _ in range(3):
            r = self.server.login(email, otp=wrong_code(totp))
            self.assertEqual((r.status_code, subset(r.json(), WRONG_FACTOR)), (401, WRONG_FACTOR))
        r = self.server.login(email, otp=next_code(totp))
        self.assertEqual(r.status_code, 429, r.text)
        self.assertIn("Retry-After", r.headers)

    def test_a_missing_code_is_no_failure_and_does_not_clear_the_wrong_ones(self):
        email = "asked@example.com"
        totp = self.enrolled(email)
        for _ in range(6):
            r = self.server.login(email)
            self.assertEqual((r.status_code, subset(r.json(), MFA_REQUIRED)), (401, MFA_REQUIRED))
        for _ in range(2):
            self.assertEqual(self.server.login(email, otp=wrong_code(totp)).status_code, 401)
        self.assertEqual(self.server.login(email).status_code, 401)
        # Two failures stand: the third wrong code locks.
        self.assertEqual(self.server.login(email, otp=wrong_code(totp)).status_code, 401)
        self.assertEqual(self.server.login(email, otp=next_code(totp)).status_code, 429)

    def test_wrong_passwords_to_turn_it_off_lock_too(self):
        email = "off@example.com"
        totp = self.enrolled(email)
        access = self.server.token(email, otp=next_code(totp))["access_token"]
        for _ in range(3):
            r = self.server.delete("/api/users/me/totp", token=access, json={"password": "nope"})
            self.assertEqual(r.status_code, 400, r.text)
        r = self.server.delete("/api/users/me/totp", token=access, json={"password": PASSWORD})
        self.assertEqual(r.status_code, 429, r.text)


class totp_key(unittest.TestCase):
    def test_a_process_with_another_kek_refuses_to_start_once_a_secret_is_stored(self):
        server = Wardend(*FAST_HASHING)
        self.addCleanup(server.cleanup)
        server.start()
        kek = os.path.join(server.data_dir, "kek.key")
        server.register("kek@example.com")
        access = server.token("kek@example.com")["access_token"]
        self.assertEqual(server.post("/api/users/me/totp", token=access).status_code, 200)
        self.assertEqual(server.stop(), 0)
        with open(kek) as f:
            original = f.read()
        with open(kek, "w") as f:
            f.write("ab" * 32 + "\n")
        server.start(expect_failure=True)
        self.assertEqual(server.process.wait(timeout=60), 1)
        time.sleep(0.1)
        self.assertIn("TOTP secrets in the store do not open with the key-encryption key", server.stderr())
        self.assertIn("same --kek-file", server.stderr())
        with open(kek, "w") as f:
            f.write(original)
        server.start()
        self.assertEqual(server.login("kek@example.com").status_code, 200)  # not confirmed
        self.assertEqual(server.stop(), 0)


class totp_on_postgres(totp_flow):
    """The races and the flows on the shared PostgreSQL cluster."""

    @classmethod
    def setUpClass(cls):
        cls.postgres = shared_postgres(cls)
        url = cls.postgres.create_database()
        cls.addClassCleanup(cls.postgres.drop_database, url)
        cls.wardend_args = ["--database", url]
        super().setUpClass()

    test_the_database_holds_no_secret_in_clear = None  # the SQLite file; see totp_flow


if __name__ == "__main__":
    unittest.main()
