"""Issue 9, faults of Redis (`--redis`) while wardend runs on PostgreSQL or starts:

- Redis stopped and started again on its port (append-only, so the revocations it holds survive)
  under a bounded client loop: during the outage GET /api/users/me and logins are answered 503
  {"detail": "Service unavailable"} with Retry-After, each within 2 s, and so are a revoked
  access token (fail closed: never 200), a logout and a replayed refresh token (which change
  nothing); registrations and refresh rotations, which need only the database, go on answering
  2xx; /readyz is 503 and /healthz 200; a second
  after Redis is back everything is 2xx again (the revoked token 401) without a restart of
  wardend, which never exits; every registration that was answered 201 is in the database.
- Redis unreachable at start: wardend retries for --connect-timeout, then exits non-zero with a
  message that names the Redis URL with its password redacted.
- Redis that comes up within --connect-timeout: wardend waits for it, then serves.

Each test runs its own redis-server (tests/support/test_servers.py) and a fresh database on the
shared CTest PostgreSQL cluster, which is never stopped here. Without redis-server or PostgreSQL
the tests skip (CI=true: fail).
"""
import base64
import json
import threading
import time
import unittest

import requests

from test_servers import RedisServer, free_port, redis_command, require_or_skip, shared_postgres
from test_store_faults import ClientLoop as StoreClientLoop
from wardend import FAST_HASHING, Wardend

UNAVAILABLE = {"detail": "Service unavailable"}
BAD_TOKEN = {"detail": "Could not validate credentials"}
ANSWER_WITHIN = 2.0  # seconds: the longest a request may take during the outage
GRACE = 1.0  # seconds after Redis is back before every request must succeed again
PASSWORD = "correct horse"


def jti_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["jti"]


class ClientLoop(StoreClientLoop):
    """test_store_faults' loop (registration, /me, a /readyz and /healthz poller), each client also
    reading /me with a revoked token and logging in."""

    def __init__(self, server, login_email, access, revoked, threads=3, pause=0.01):
        self.login_email = login_email
        self.revoked = revoked
        super().__init__(server, access, threads=threads, pause=pause)

    def _client(self, n):
        try:
            with requests.Session() as session:
                i = 0
                while not self.stopping.is_set():
                    i += 1
                    email = f"loop{n}.{i}.{time.monotonic_ns()}@example.com"
                    self._send(session, "register", "POST", "/api/auth/register", email=email,
                               json={"email": email, "password": PASSWORD})
                    time.sleep(self.pause)
                    self._send(session, "me", "GET", "/api/users/me",
                               headers={"Authorization": f"Bearer {self.access}"})
                    time.sleep(self.pause)
                    self._send(session, "revoked", "GET", "/api/users/me",
                               headers={"Authorization": f"Bearer {self.revoked}"})
                    time.sleep(self.pause)
                    self._send(session, "login", "POST", "/api/auth/login",
                               data={"username": self.login_email, "password": PASSWORD})
                    time.sleep(self.pause)
        except BaseException as e:  # re-raised by stop()
            self.errors.append(e)


class redis_fault_case(unittest.TestCase):
    """A fresh database on the shared cluster per test; the test starts its own Redis."""

    @classmethod
    def setUpClass(cls):
        require_or_skip("redis", cls)
        cls.postgres = shared_postgres(cls)

    def setUp(self):
        self.database = self.postgres.create_database()
        self.addCleanup(self.postgres.drop_database, self.database)

    def start_redis(self, **kw):
        redis = RedisServer(**kw)
        self.addCleanup(redis.destroy)
        return redis.start()

    def wardend(self, redis_url, *args):
        # --cache-size 0: every /me reads the store (the subject here). With the guard's cache a
        # /me may still be answered from memory for up to --sync-interval after Redis stops (the
        # cache's own fail-closed rule, tested in test_guard_cache.py).
        server = Wardend(*FAST_HASHING, "--cache-size", "0", "--login-max-failures", "100000",
                         "--database", self.database, "--redis", redis_url, *args)
        self.addCleanup(server.cleanup)
        return server

    def emails_in_database(self):
        name = self.database.rsplit("/", 1)[1]
        return set(self.postgres.psql("SELECT email FROM users", database=name).split())


class redis_restart_under_load(redis_fault_case):
    def test_outage_fails_closed_fast_and_service_resumes_without_losing_a_201(self):
        redis = self.start_redis(appendonly=True)
        server = self.wardend(redis.url).start()
        server.register("owner@example.com")
        access = server.token("owner@example.com")["access_token"]
        revoked = server.token("owner@example.com")
        kept = server.token("owner@example.com")
        family = server.token("owner@example.com")
        r = server.post("/api/auth/logout", token=revoked["access_token"])
        self.assertEqual(r.status_code, 204, r.text)
        key = f"warden:revoked:{jti_of(revoked['access_token'])}"
        self.assertEqual(redis_command(redis.port, "EXISTS", key), ":1")
        r = server.get("/api/users/me", token=revoked["access_token"])
        self.assertEqual((r.status_code, r.json()), (401, BAD_TOKEN))

        loop = ClientLoop(server, "owner@example.com", access, revoked["access_token"]).start()
        try:
            time.sleep(1.0)
            stopping = time.monotonic()
            redis.stop()  # SIGTERM: Redis syncs its append-only file and closes every connection
            down = time.monotonic()
            # A logout cannot put its jti on the list: 503, and nothing changes (its session
            # works after the outage). The revoked refresh token is refused by the database.
            logout = server.post("/api/auth/logout", token=kept["access_token"])
            refresh = server.post("/api/auth/login",
                                  data={"grant_type": "refresh_token",
                                        "refresh_token": revoked["refresh_token"]})
            # A rotation needs only the database; replaying the spent token must revoke the
            # family's jtis on Redis: 503, and the family lives on until a replay succeeds.
            rotated = server.post("/api/auth/login",
                                  data={"grant_type": "refresh_token",
                                        "refresh_token": family["refresh_token"]})
            replayed = server.post("/api/auth/login",
                                   data={"grant_type": "refresh_token",
                                         "refresh_token": family["refresh_token"]})
            time.sleep(max(0.0, down + 3.0 - time.monotonic()))
            restarting = time.monotonic()
            redis.start_again()
            up = time.monotonic()
            time.sleep(GRACE + 2.0)
        finally:
            loop.stop()
        self.assertIsNone(server.process.poll(), f"wardend exited: {server.stderr()}")
        samples = sorted(loop.samples, key=lambda s: s.started)

        # At any time: the expected answer or 503, never another, never a dropped connection. The
        # revoked token is never accepted (fail closed). Registration needs only the database.
        expected = {"register": 201, "me": 200, "revoked": 401, "login": 200, "readyz": 200,
                    "healthz": 200}
        for s in samples:
            self.assertIn(s.status, (expected[s.kind], 503), s)
            if s.status == 503:
                self.assertLess(s.ended - s.started, ANSWER_WITHIN, s)
                self.assertIsNotNone(s.retry_after, s)
                self.assertGreater(int(s.retry_after), 0, s)
                if s.kind == "readyz":
                    self.assertEqual(s.body, {"status": "unavailable"}, s)
                else:
                    self.assertEqual(s.body, UNAVAILABLE, s)
            elif s.kind == "revoked":
                self.assertEqual(s.body, BAD_TOKEN, s)
            self.assertNotIn((s.kind, s.status), (("healthz", 503), ("register", 503)), s)

        def phase(first, last):
            return [s for s in samples if s.started >= first and s.ended <= last]

        before = phase(0, stopping)  # before the stop began
        during = phase(down, restarting)  # wholly while Redis was down
        after = [s for s in samples if s.started >= up + GRACE]
        for name, part in (("before", before), ("during", during), ("after", after)):
            with self.subTest(phase=name):
                for kind in expected:
                    self.assertTrue(any(s.kind == kind for s in part), f"no {kind} {name}")
        for s in before + after:
            self.assertEqual(s.status, expected[s.kind], s)
        unavailable = {"me", "revoked", "login", "readyz"}
        for s in during:
            self.assertEqual(s.status, 503 if s.kind in unavailable else expected[s.kind], s)

        self.assertEqual((logout.status_code, logout.json()), (503, UNAVAILABLE), logout.text)
        self.assertGreater(int(logout.headers["Retry-After"]), 0)
        self.assertEqual((refresh.status_code, refresh.json()["error"]), (400, "invalid_grant"),
                         refresh.text)
        self.assertEqual(server.get("/api/users/me", token=kept["access_token"]).status_code, 200)
        r = server.post("/api/auth/login",
                        data={"grant_type": "refresh_token",
                              "refresh_token": kept["refresh_token"]})
        self.assertEqual(r.status_code, 200, r.text)

        self.assertEqual(rotated.status_code, 200, rotated.text)
        self.assertEqual((replayed.status_code, replayed.json()), (503, UNAVAILABLE), replayed.text)
        rotated = rotated.json()
        r = server.get("/api/users/me", token=rotated["access_token"])
        self.assertEqual(r.status_code, 200, r.text)
        r = server.post("/api/auth/login",
                        data={"grant_type": "refresh_token",
                              "refresh_token": family["refresh_token"]})
        self.assertEqual((r.status_code, r.json()["error"]), (400, "invalid_grant"), r.text)
        r = server.get("/api/users/me", token=rotated["access_token"])
        self.assertEqual((r.status_code, r.json()), (401, BAD_TOKEN))

        # The revocation survived the restart (append-only), and is still a Redis key.
        self.assertEqual(redis_command(redis.port, "EXISTS", key), ":1")
        r = server.get("/api/users/me", token=revoked["access_token"])
        self.assertEqual((r.status_code, r.json()), (401, BAD_TOKEN))
        r = server.post("/api/auth/login",
                        data={"grant_type": "refresh_token",
                              "refresh_token": revoked["refresh_token"]})
        self.assertEqual((r.status_code, r.json()["error"]), (400, "invalid_grant"), r.text)

        # Nothing acknowledged is lost: every 201 is a row, also those answered during the outage.
        created = {s.email for s in samples if s.kind == "register" and s.status == 201}
        self.assertTrue(any(s.kind == "register" and s.status == 201 for s in during))
        missing = created - self.emails_in_database()
        self.assertEqual(missing, set(),
                         f"{len(missing)} of {len(created)} acknowledged users lost")
        self.assertEqual(server.login(next(iter(created))).status_code, 200)
        self.assertEqual(server.stop(), 0, server.stderr())


class redis_unreachable_at_start(redis_fault_case):
    """Nothing listens on the Redis port (the database is up): wardend gives up after
    --connect-timeout."""

    def test_exits_non_zero_after_the_connect_timeout_with_the_url_redacted(self):
        port = free_port()
        server = self.wardend(f"redis://:secretpw@127.0.0.1:{port}/0", "--connect-timeout", "2s")
        started = time.monotonic()
        server.start(expect_failure=True)
        try:
            status = server.process.wait(timeout=60)
        except Exception:
            server.process.kill()
            raise
        took = time.monotonic() - started
        time.sleep(0.1)  # the stderr reader thread's last lines
        stderr, stdout = server.stderr(), server.process.stdout.read()
        self.assertNotEqual(status, 0, stderr)
        self.assertGreater(status, 0, f"killed by a signal: {stderr}")
        # Retried until the timeout (not much sooner), and no hang after it.
        self.assertGreaterEqual(took, 2 - 0.05, stderr)
        self.assertLess(took, 2 + 8, stderr)
        self.assertNotIn("listening", stdout)
        self.assertIn(f"cannot reach Redis at redis://:***@127.0.0.1:{port}/0", stderr)
        self.assertIn("(after 2 s)", stderr)
        self.assertNotIn("secretpw", stderr)
        self.assertNotIn("secretpw", stdout)


class redis_comes_up_during_the_connect_timeout(redis_fault_case):
    def test_wardend_waits_for_redis_and_serves(self):
        redis = RedisServer(port=free_port())
        self.addCleanup(redis.destroy)
        started = time.monotonic()
        redis_up = []
        errors = []

        def start_later():
            try:
                time.sleep(2.0)
                redis.start()
                redis_up.append(time.monotonic())
            except BaseException as e:  # reported below
                errors.append(e)

        starter = threading.Thread(target=start_later)
        starter.start()
        try:
            server = self.wardend(redis.url, "--connect-timeout", "20s").start()
        finally:
            starter.join()
        listening = time.monotonic()
        self.assertEqual(errors, [])
        self.assertGreaterEqual(listening - started, 2.0, "wardend listened before Redis ran")
        self.assertLess(listening - redis_up[0], 10.0)
        self.assertEqual(server.get("/readyz").status_code, 200)
        user = server.register("waited@example.com")
        tokens = server.token("waited@example.com")
        me = server.get("/api/users/me", token=tokens["access_token"])
        self.assertEqual((me.status_code, me.json()["id"]), (200, user["id"]))
        self.assertEqual(server.post("/api/auth/logout", token=tokens["access_token"]).status_code,
                         204)
        self.assertEqual(redis_command(redis.port, "EXISTS",
                                       f"warden:revoked:{jti_of(tokens['access_token'])}"), ":1")
        self.assertEqual(server.get("/api/users/me", token=tokens["access_token"]).status_code,
                         401)
        self.assertIn("waited@example.com", self.emails_in_database())
        self.assertEqual(server.stop(), 0, server.stderr())


if __name__ == "__main__":
    unittest.main()
