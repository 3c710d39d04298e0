"""Issue 9, scale-out: two wardend processes (A and B, each its own port and data directory) with
one secret and one PostgreSQL database behave as one service. What one process writes (sessions,
rotations, revocations, failure counters, users, deactivations) the other honours at once, and the
races that one process settles with transactions are settled across both by the database.

The shared test body is `scale_out_tests`; a concrete class adds the servers' extra arguments:
`without_redis` (the database holds revocations and counters) and `with_redis` (both processes
get `--redis` to one throwaway redis-server, which then holds the revoked jtis and the failure
counters; it adds checks that they are Redis keys and not rows). The database is a fresh one on
the shared CTest cluster (WARDEN_TEST_POSTGRES_URL_FILE); without PostgreSQL (or redis-server,
for `with_redis`) the tests skip outside CI and fail with CI=true.

Races are bounded (a fixed number of requests, pre-connected clients released together, several
offsets) and every assertion is an exact outcome, never a timing."""
import base64
import http.client
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from test_servers import RedisServer, redis_command, require_or_skip, shared_postgres
from wardend import FAST_HASHING, WARDEN_CLI, Wardend

PASSWORD = "correct horse"
WRONG = "wrong password 3"
BAD_LOGIN = "Incorrect email or password"
TAKEN = "Email already registered"
MAX_FAILURES = 5


class Reply:
    def __init__(self, status, headers, body):
        self.status_code = status
        self.headers = headers
        self.text = body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.text)


class Client:
    """One HTTP/1.1 connection, from a chosen loopback source address (the per-address failure
    counter's key). connect() first, send() later: a race releases connected clients together."""

    def __init__(self, url, source="127.0.0.1"):
        u = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60,
                                               source_address=(source, 0))

    def connect(self):
        self.conn.connect()
        return self

    def send(self, method, path, form=None, json_body=None, token=None):
        headers = {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())

    def close(self):
        self.conn.close()


def together(calls, workers=None):
    """Runs every `(server, source, delay, method, path, kwargs)` on its own pre-connected client:
    all connect first, then a barrier releases them (each after its delay). Returns the replies
    in order. At most `workers` threads (default: one per call)."""
    workers = workers or len(calls)
    assert len(calls) <= workers, "a barrier needs every call running at once"
    clients = [Client(server.url, source).connect() for server, source, *_ in calls]
    barrier = threading.Barrier(len(calls))

    def one(i):
        _, _, delay, method, path, kw = calls[i]
        barrier.wait(timeout=60)
        if delay:
            time.sleep(delay)
        return clients[i].send(method, path, **kw)

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, range(len(calls))))
    finally:
        for c in clients:
            c.close()


def statuses(replies):
    counts = {}
    for r in replies:
        counts[r.status_code] = counts.get(r.status_code, 0) + 1
    return counts


class scale_out_tests:
    """The shared body: mixed into a unittest.TestCase whose `extra_args()` completes the servers'
    command line. Class attributes after setUpClass: `a`, `b` (Wardend), `database` (URL),
    `postgres` (a PostgresClient), `admin` (an admin's access token)."""

    @classmethod
    def extra_args(cls):
        """Arguments both servers get on top of the shared ones (e.g. ["--redis", url]). May start
        what they name and register its stop with cls.addClassCleanup."""
        return []

    @classmethod
    def setUpClass(cls):
        cls.postgres = shared_postgres(cls)
        cls.database = cls.postgres.create_database()
        cls.addClassCleanup(cls.postgres.drop_database, cls.database)
        cls.work_dir = tempfile.mkdtemp(prefix="warden-scale-out-")
        cls.addClassCleanup(shutil.rmtree, cls.work_dir, True)
        cls.secret_file = os.path.join(cls.work_dir, "secret.key")
        with open(os.open(cls.secret_file, os.O_CREAT | os.O_WRONLY, 0o600), "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        # --cache-size 0: each process reads the store on every request, so what one wrote the
        # other honours at once; with the guard's cache that takes up to --sync-interval
        # (test_guard_cache.py checks that, also on PostgreSQL with Redis).
        args = [*FAST_HASHING, "--cache-size", "0", "--bcrypt-rounds", "10",
                "--login-max-failures", str(MAX_FAILURES),
                "--database", cls.database, "--secret-file", cls.secret_file, *cls.extra_args()]
        cls.a = Wardend(*args)
        cls.addClassCleanup(cls.a.cleanup)
        cls.a.start()
        cls.b = Wardend(*args)
        cls.addClassCleanup(cls.b.cleanup)
        cls.b.start()
        admin = f"admin.{time.monotonic_ns()}@example.com"
        cls.cli("user", "add", "--email", admin, "--password-stdin", "--scopes", "admin",
                stdin="admin password\n")
        cls.admin = json.loads(cls.cli("token", "issue", "--user", admin, "--json"))["access_token"]

    @classmethod
    def tearDownClass(cls):
        for name, server in (("A", cls.a), ("B", cls.b)):
            status = server.stop()
            assert status == 0, f"wardend {name} exited with {status}: {server.stderr()}"

    @classmethod
    def cli(cls, *args, stdin=""):
        """warden on the shared database and secret; returns stdout, failing on a non-zero exit."""
        if not WARDEN_CLI:
            raise RuntimeError("WARDEN_CLI is not set: run the e2e tests through ctest")
        env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
        env["WARDEN_ARGON2"] = "m=7168,t=1,p=1"
        cmd = [WARDEN_CLI, "--data-dir", os.path.join(cls.work_dir, "cli"), "--database",
               cls.database, "--secret-file", cls.secret_file, *args]
        r = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"warden {' '.join(args[:2])} exited {r.returncode}: {r.stderr}")
        return r.stdout

    _counter = 0
    _address = 0

    def unique_email(self, prefix="user"):
        scale_out_tests._counter += 1
        return f"{prefix}{scale_out_tests._counter}.{time.monotonic_ns()}@example.com"

    def address(self):
        """A loopback source address no other test uses (its own per-address failure counter)."""
        scale_out_tests._address += 1
        n = scale_out_tests._address
        return f"127.0.{10 + n // 250}.{1 + n % 250}"

    def servers(self):
        return (("A", self.a), ("B", self.b))

    # requests
    def refresh(self, server, refresh_token):
        return server.post("/api/auth/login",
                           data={"grant_type": "refresh_token", "refresh_token": refresh_token})

    def me(self, server, access):
        return server.get("/api/users/me", token=access)

    def login(self, server, email, password=PASSWORD, source=None):
        if source is None:
            return server.login(email, password)
        c = Client(server.url, source).connect()
        try:
            return c.send("POST", "/api/auth/login", form={"username": email, "password": password})
        finally:
            c.close()

    # checks
    def assert_refused_everywhere(self, tokens):
        """Neither server accepts the access token nor rotates the refresh token."""
        for name, server in self.servers():
            with self.subTest(server=name):
                r = self.me(server, tokens["access_token"])
                self.assertEqual(r.status_code, 401, r.text)
                self.assertEqual(r.json()["detail"], "Could not validate credentials")
        for name, server in self.servers():  # a refused rotation changes nothing: ask both
            with self.subTest(server=name):
                r = self.refresh(server, tokens["refresh_token"])
                self.assertEqual(r.status_code, 400, r.text)
                self.assertEqual(r.json()["error"], "invalid_grant")

    def assert_locked(self, r):
        self.assertEqual(r.status_code, 429, r.text)
        self.assertGreater(int(r.headers["retry-after"]), 0)

    # tests
    def test_a_token_issued_by_a_is_accepted_by_b(self):
        email = self.unique_email("issued")
        user = self.a.register(email)
        tokens = self.a.token(email)
        me = self.me(self.b, tokens["access_token"])
        self.assertEqual(me.status_code, 200, me.text)
        self.assertEqual((me.json()["id"], me.json()["email"]), (user["id"], email))
        # B rotates A's refresh token; A accepts what B issued.
        rotated = self.refresh(self.b, tokens["refresh_token"])
        self.assertEqual(rotated.status_code, 200, rotated.text)
        me = self.me(self.a, rotated.json()["access_token"])
        self.assertEqual(me.status_code, 200, me.text)
        self.assertEqual(me.json()["id"], user["id"])
        # A user registered on B logs in on A.
        other = self.unique_email("issued")
        self.b.register(other)
        self.assertEqual(self.me(self.b, self.a.token(other)["access_token"]).status_code, 200)

    def test_logout_on_a_is_honoured_by_b(self):
        email = self.unique_email("logout")
        self.b.register(email)
        tokens = self.b.token(email)
        self.assertEqual(self.me(self.b, tokens["access_token"]).status_code, 200)
        r = self.a.post("/api/auth/logout", token=tokens["access_token"])
        self.assertEqual(r.status_code, 204, r.text)
        self.assert_refused_everywhere(tokens)
        # Another session of the same user is untouched.
        other = self.a.token(email)
        self.assertEqual(self.me(self.b, other["access_token"]).status_code, 200)

    def test_a_rotation_on_a_replayed_on_b_revokes_the_family(self):
        email = self.unique_email("replay")
        self.a.register(email)
        first = self.a.token(email)
        rotated = self.refresh(self.a, first["refresh_token"])
        self.assertEqual(rotated.status_code, 200, rotated.text)
        second = rotated.json()
        self.assertEqual(self.me(self.b, second["access_token"]).status_code, 200)
        replay = self.refresh(self.b, first["refresh_token"])
        self.assertEqual(replay.status_code, 400, replay.text)
        self.assertEqual(replay.json()["error"], "invalid_grant")
        # The whole family is dead: the rotated-to tokens too, on both servers.
        self.assert_refused_everywhere(second)
        self.assertEqual(self.a.login(email).status_code, 200)  # a new login is a new family

    def test_fifty_concurrent_refreshes_over_a_and_b_have_one_winner(self):
        for attempt in range(2):
            with self.subTest(attempt=attempt):
                email = self.unique_email("refresh50")
                self.a.register(email)
                tokens = self.a.token(email)
                calls = [(self.a if i % 2 == 0 else self.b, "127.0.0.1", 0, "POST", "/api/auth/login",
                          {"form": {"grant_type": "refresh_token",
                                    "refresh_token": tokens["refresh_token"]}})
                         for i in range(50)]
                replies = together(calls)
                self.assertEqual(statuses(replies), {200: 1, 400: 49},
                                 [(r.status_code, r.text) for r in replies if r.status_code != 400])
                for r in replies:
                    if r.status_code == 400:
                        self.assertEqual(r.json()["error"], "invalid_grant", r.text)
                winner = next(r.json() for r in replies if r.status_code == 200)
                # The 49 losers presented a spent token: the family, the winner's tokens included,
                # is revoked (RFC 9700 §4.14), and so is the original access token.
                self.assert_refused_everywhere(winner)
                self.assert_refused_everywhere(tokens)

    def test_failed_logins_are_counted_across_both_servers(self):
        # The account's counter: each guess from its own address, alternating A and B.
        email = self.unique_email("lockout")
        self.a.register(email)
        for i in range(MAX_FAILURES):
            name, server = self.servers()[i % 2]
            with self.subTest(guess=i, server=name):
                r = self.login(server, email, WRONG, self.address())
                self.assertEqual((r.status_code, r.json()["detail"]), (401, BAD_LOGIN), r.text)
        for name, server in self.servers():
            with self.subTest(locked_on=name):
                self.assert_locked(self.login(server, email, WRONG, self.address()))
                self.assert_locked(self.login(server, email, PASSWORD, self.address()))

    def test_failed_logins_from_one_address_are_counted_across_both_servers(self):
        # The address's counter: a different unknown account per guess, one address.
        source = self.address()
        for i in range(MAX_FAILURES):
            name, server = self.servers()[i % 2]
            with self.subTest(guess=i, server=name):
                r = self.login(server, self.unique_email("nobody"), WRONG, source)
                self.assertEqual((r.status_code, r.json()["detail"]), (401, BAD_LOGIN), r.text)
        email = self.unique_email("victim")
        self.a.register(email)
        for name, server in self.servers():
            with self.subTest(locked_on=name):
                self.assert_locked(self.login(server, self.unique_email("nobody"), WRONG, source))
                self.assert_locked(self.login(server, email, PASSWORD, source))
        self.assertEqual(self.login(self.b, email, PASSWORD, self.address()).status_code, 200)

    def test_a_burst_of_guesses_over_both_servers_admits_exactly_the_limit(self):
        # Attempts are reserved in the store (the database, or Redis) before the password is
        # checked: of 20 guesses released together over A and B (each from its own address),
        # exactly the limit is verified.
        for attempt in range(2):
            with self.subTest(attempt=attempt):
                email = self.unique_email("burst")
                self.b.register(email)
                calls = [(self.a if i % 2 == 0 else self.b, self.address(), 0, "POST",
                          "/api/auth/login", {"form": {"username": email, "password": WRONG}})
                         for i in range(20)]
                replies = together(calls)
                self.assertEqual(statuses(replies), {401: MAX_FAILURES, 429: 20 - MAX_FAILURES})
                for name, server in self.servers():
                    with self.subTest(locked_on=name):
                        self.assert_locked(self.login(server, email, PASSWORD, self.address()))

    def test_one_email_registered_on_a_and_b_at_once_is_created_once(self):
        # 20 emails, each raced on A and B; every second one in another ASCII letter case on B
        # (one account: the unique index ignores ASCII case). Offsets vary, and who goes first.
        offsets = [0, 0, 0, 0.001, 0.002, 0.003, 0.005, 0.008, 0.012, 0.02]
        for i in range(20):
            email = self.unique_email("same")
            spelled_on_b = email.upper() if i % 2 else email
            offset = offsets[i % len(offsets)]
            a_delay, b_delay = (0, offset) if i % 4 < 2 else (offset, 0)
            with self.subTest(i=i, offset=offset, a_first=a_delay == 0):
                replies = together([
                    (self.a, "127.0.0.1", a_delay, "POST", "/api/auth/register",
                     {"json_body": {"email": email, "password": PASSWORD}}),
                    (self.b, "127.0.0.1", b_delay, "POST", "/api/auth/register",
                     {"json_body": {"email": spelled_on_b, "password": PASSWORD}}),
                ])
                self.assertEqual(sorted(r.status_code for r in replies), [201, 409],
                                 [(r.status_code, r.text) for r in replies])
                loser = next(r for r in replies if r.status_code == 409)
                self.assertEqual(loser.json(), {"detail": TAKEN})
                winner = next(r for r in replies if r.status_code == 201).json()
                count = self.postgres.psql(
                    "SELECT count(*) FROM users WHERE lower(email) = lower("
                    f"'{email}')", database=self.database.rsplit("/", 1)[1])
                self.assertEqual(count.strip(), "1")
                for name, server in self.servers():
                    tokens = server.token(email)
                    me = self.me(server, tokens["access_token"])
                    self.assertEqual(me.json()["id"], winner["id"], name)

    def test_a_deactivation_on_a_refuses_the_user_on_b(self):
        email = self.unique_email("deactivated")
        user = self.b.register(email)
        tokens = self.b.token(email)
        r = self.a.patch(f"/api/users/{user['id']}", token=self.admin, json={"is_active": False})
        self.assertEqual((r.status_code, r.json()["is_active"]), (200, False), r.text)
        me = self.me(self.b, tokens["access_token"])
        self.assertEqual((me.status_code, me.json()), (400, {"detail": "Inactive user"}))
        login = self.b.login(email)
        self.assertEqual((login.status_code, login.json()["detail"]), (400, "Inactive user"))
        r = self.refresh(self.b, tokens["refresh_token"])
        self.assertEqual((r.status_code, r.json()["error"]), (400, "invalid_grant"), r.text)
        # Reactivated on B: the old session stays dead (deactivation swept it), a login works on A.
        r = self.b.patch(f"/api/users/{user['id']}", token=self.admin, json={"is_active": True})
        self.assertEqual((r.status_code, r.json()["is_active"]), (200, True), r.text)
        self.assert_refused_everywhere(tokens)
        self.assertEqual(self.me(self.b, self.a.token(email)["access_token"]).status_code, 200)

    def test_a_login_on_b_racing_a_deactivation_on_a_leaves_no_live_session(self):
        # Every serial order is allowed; none leaves a session that works after reactivation.
        for offset in (0, 0.002, 0.005, 0.01, 0.02, 0.04):
            with self.subTest(offset=offset):
                email = self.unique_email("deacrace")
                user = self.a.register(email)
                login, patch = together([
                    (self.b, "127.0.0.1", 0, "POST", "/api/auth/login",
                     {"form": {"username": email, "password": PASSWORD}}),
                    (self.a, "127.0.0.1", offset, "PATCH", f"/api/users/{user['id']}",
                     {"json_body": {"is_active": False}, "token": self.admin}),
                ])
                self.assertEqual(patch.status_code, 200, patch.text)
                outcome = (login.status_code, login.json().get("detail"))
                self.assertIn(outcome, ((200, None), (400, "Inactive user"), (401, BAD_LOGIN)),
                              login.text)
                for name, server in self.servers():
                    r = server.login(email)
                    self.assertEqual((r.status_code, r.json()["detail"]), (400, "Inactive user"),
                                     name)
                r = self.b.patch(f"/api/users/{user['id']}", token=self.admin,
                                 json={"is_active": True})
                self.assertEqual(r.status_code, 200, r.text)
                if login.status_code == 200:
                    self.assert_refused_everywhere(login.json())
                self.assertEqual(self.b.login(email).status_code, 200)


class without_redis(scale_out_tests, unittest.TestCase):
    """A and B on PostgreSQL alone: revocations and failure counters are rows in the database."""


def jti_of(token):
    """The jti claim of a JWT (its payload decoded, the signature not checked)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["jti"]


class with_redis(scale_out_tests, unittest.TestCase):
    """A and B on PostgreSQL with one Redis: the revoked jtis and the failure counters are Redis
    keys (docs/store.md, "Redis"), users and sessions stay in the database."""

    @classmethod
    def extra_args(cls):
        require_or_skip("redis", cls)
        cls.redis = RedisServer()
        cls.addClassCleanup(cls.redis.destroy)
        cls.redis.start()
        return ["--redis", cls.redis.url]

    def rows(self, sql):
        return self.postgres.psql(sql, database=self.database.rsplit("/", 1)[1]).strip()

    def test_a_logout_puts_the_jti_on_redis_with_a_ttl_and_not_in_the_database(self):
        email = self.unique_email("redislogout")
        self.a.register(email)
        tokens = self.b.token(email)
        jti = jti_of(tokens["access_token"])
        key = f"warden:revoked:{jti}"
        self.assertEqual(redis_command(self.redis.port, "EXISTS", key), ":0")
        r = self.a.post("/api/auth/logout", token=tokens["access_token"])
        self.assertEqual(r.status_code, 204, r.text)
        self.assertEqual(redis_command(self.redis.port, "EXISTS", key), ":1")
        ttl = redis_command(self.redis.port, "TTL", key)
        # The token's remaining life (minutes) plus the 5-minute margin: positive, bounded.
        self.assertTrue(ttl.startswith(":"), ttl)
        self.assertGreater(int(ttl[1:]), 5 * 60, ttl)
        self.assertLess(int(ttl[1:]), 24 * 3600, ttl)
        self.assertEqual(self.rows(f"SELECT count(*) FROM revoked_jtis WHERE jti = '{jti}'"), "0")
        self.assert_refused_everywhere(tokens)

    def test_failure_counters_are_redis_keys_not_database_rows(self):
        email = self.unique_email("rediscount")
        self.a.register(email)
        source = self.address()
        for i in range(3):
            name, server = self.servers()[i % 2]
            r = self.login(server, email, WRONG, source)
            self.assertEqual((r.status_code, r.json()["detail"]), (401, BAD_LOGIN), r.text)
        for key in (f"warden:failures:account:{email.lower()}",
                    f"warden:failures:address:{source}"):
            with self.subTest(key=key):
                self.assertEqual(redis_command(self.redis.port, "HGET", key, "count"), "3")
                ttl = redis_command(self.redis.port, "TTL", key)
                self.assertGreater(int(ttl[1:]), 0, ttl)
        self.assertEqual(self.rows("SELECT count(*) FROM login_failures"), "0")


if __name__ == "__main__":
    unittest.main()
