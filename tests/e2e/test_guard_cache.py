"""Issue 10, the guard answers from memory: each wardend caches what the guard and /me need and
the revoked jtis, and follows the store's change feed.

- Same process: logout, RFC 7009 revoke, password change, deactivation, scope removal, deletion
  and an e-mail change are enforced on the very next request. The server runs with
  `--sync-interval 1h`, so only its own read of the feed after the write can explain that.
- Another writer: the CLI on the same SQLite file, and a second wardend on the same file. The
  change is enforced within `--sync-interval` (1 s) plus a margin, found by polling, and not
  before the writer committed (every request before the CLI ran answered as before).
- Two wardend on PostgreSQL, without and with Redis (then revocations reach the other process
  through Redis's feed, users through the database's, woken by NOTIFY): a logout and a
  deactivation on A are enforced by B within `--sync-interval`.
- Eviction: `--cache-size 1` with many users answers exactly as the store does.
- Fail closed: PostgreSQL stopped under a cached user; once `--sync-interval` has passed since
  the stop, no request is answered 200 from memory (503 instead).
"""
import os
import subprocess
import time
import unittest

from test_servers import PostgresServer, RedisServer, require_or_skip, shared_postgres
from wardend import FAST_HASHING, WARDEN_CLI, Wardend

SYNC = 1.0  # --sync-interval in the cross-process tests, seconds
MARGIN = 1.5  # scheduling slack on a loaded machine, seconds
BASE = [*FAST_HASHING, "--login-max-failures", "100000"]


def cli(data_dir, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    r = subprocess.run([WARDEN_CLI, "--data-dir", data_dir, *args], capture_output=True, text=True,
                       env=env, stdin=subprocess.DEVNULL, timeout=60)
    assert r.returncode == 0, (args, r.returncode, r.stdout, r.stderr)
    return r


def enforced_within(check, seconds):
    """Polls `check` until it holds; returns the seconds it took, or None past `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start <= seconds:
        if check():
            return time.monotonic() - start
        time.sleep(0.02)
    return None


class cached_server(unittest.TestCase):
    """One wardend whose users all hold the admin scope (so any of them can change another)."""

    extra = []

    @classmethod
    def setUpClass(cls):
        cls.server = Wardend(*BASE, "--default-scopes", "admin", *cls.extra)
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()

    n = 0

    def user(self):
        cached_server.n += 1
        email = f"cache{cached_server.n}.{time.monotonic_ns()}@example.com"
        body = self.server.register(email)
        return body, self.server.token(email)

    def me(self, tokens, server=None):
        return (server or self.server).get("/api/users/me", token=tokens["access_token"])


class same_process(cached_server):
    extra = ["--sync-interval", "1h"]

    def setUp(self):
        self.admin = self.user()[1]["access_token"]

    def cached(self, tokens):
        for _ in range(2):  # the second answer comes from memory
            self.assertEqual(self.me(tokens).status_code, 200)

    def test_logout(self):
        _, tokens = self.user()
        self.cached(tokens)
        self.assertEqual(self.server.post("/api/auth/logout", token=tokens["access_token"]).status_code, 204)
        self.assertEqual(self.me(tokens).status_code, 401)

    def test_rfc7009_revoke_of_the_access_token(self):
        _, tokens = self.user()
        self.cached(tokens)
        r = self.server.post("/api/auth/revoke", data={"token": tokens["access_token"]})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(self.me(tokens).status_code, 401)

    def test_rfc7009_revoke_of_the_refresh_token_ends_its_access_token(self):
        _, tokens = self.user()
        self.cached(tokens)
        r = self.server.post("/api/auth/revoke", data={"token": tokens["refresh_token"]})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(self.me(tokens).status_code, 401)

    def test_password_change_ends_the_other_sessions(self):
        user, tokens = self.user()
        other = self.server.token(user["email"])
        self.cached(tokens)
        self.cached(other)
        r = self.server.post("/api/users/me/password", token=tokens["access_token"],
                             json={"current_password": "correct horse", "new_password": "brand new pass"})
        self.assertEqual(r.status_code, 204, r.text)
        self.assertEqual(self.me(other).status_code, 401)
        self.assertEqual(self.me(tokens).status_code, 200)  # the caller's session stays

    def test_deactivation(self):
        user, tokens = self.user()
        self.cached(tokens)
        r = self.server.patch(f"/api/users/{user['id']}", token=self.admin, json={"is_active": False})
        self.assertEqual(r.status_code, 200, r.text)
        r = self.me(tokens)
        self.assertEqual((r.status_code, r.json()), (400, {"detail": "Inactive user"}))

    def test_scope_removal(self):
        user, tokens = self.user()
        self.assertEqual(self.server.get("/api/users", token=tokens["access_token"]).status_code, 200)
        self.assertEqual(self.server.get("/api/users", token=tokens["access_token"]).status_code, 200)
        r = self.server.patch(f"/api/users/{user['id']}", token=self.admin, json={"scopes": []})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(self.server.get("/api/users", token=tokens["access_token"]).status_code, 403)
        self.assertEqual(self.me(tokens).status_code, 200)

    def test_deletion(self):
        user, tokens = self.user()
        self.cached(tokens)
        r = self.server.delete(f"/api/users/{user['id']}", token=self.admin)
        self.assertEqual(r.status_code, 204, r.text)
        self.assertEqual(self.me(tokens).status_code, 401)

    def test_email_change_shows_at_once(self):
        _, tokens = self.user()
        self.cached(tokens)
        new_email = f"renamed.{time.monotonic_ns()}@example.com"
        r = self.server.patch("/api/users/me", token=tokens["access_token"], json={"email": new_email})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(self.me(tokens).json()["email"], new_email)


class another_writer(cached_server):
    extra = ["--sync-interval", "1s"]

    def enforce(self, tokens, expected_status, server=None):
        took = enforced_within(lambda: self.me(tokens, server).status_code == expected_status,
                               SYNC + MARGIN)
        self.assertIsNotNone(took, f"not {expected_status} within {SYNC + MARGIN} s")

    def test_cli_deactivation_scopes_and_deletion(self):
        for change, expected in ((["set-active", "{email}", "false"], 400),
                                 (["delete", "{email}"], 401)):
            user, tokens = self.user()
            for _ in range(5):  # before the writer committed: as before, from memory
                self.assertEqual(self.me(tokens).status_code, 200)
            cli(self.server.data_dir, "user", *[a.format(email=user["email"]) for a in change])
            self.enforce(tokens, expected)
        user, tokens = self.user()
        self.assertEqual(self.server.get("/api/users", token=tokens["access_token"]).status_code, 200)
        cli(self.server.data_dir, "user", "set-scopes", user["email"], "")
        took = enforced_within(
            lambda: self.server.get("/api/users", token=tokens["access_token"]).status_code == 403,
            SYNC + MARGIN)
        self.assertIsNotNone(took)

    def test_a_second_wardend_on_the_same_file(self):
        with Wardend(*BASE, "--default-scopes", "admin", "--sync-interval", "1s",
                     data_dir=self.server.data_dir) as other:
            user, tokens = self.user()
            self.assertEqual(self.me(tokens).status_code, 200)
            self.assertEqual(self.me(tokens, other).status_code, 200)  # both have it cached
            self.assertEqual(other.post("/api/auth/logout", token=tokens["access_token"]).status_code, 204)
            self.assertEqual(self.me(tokens, other).status_code, 401)  # the writer: at once
            self.enforce(tokens, 401)  # the other process: within the interval

            user, tokens = self.user()
            admin = self.user()[1]["access_token"]
            self.assertEqual(self.me(tokens).status_code, 200)
            r = other.patch(f"/api/users/{user['id']}", token=admin, json={"is_active": False})
            self.assertEqual(r.status_code, 200, r.text)
            self.enforce(tokens, 400)
            other.stop()


class two_processes_on_postgres(unittest.TestCase):
    redis = False

    def setUp(self):
        postgres = shared_postgres(self)
        database = postgres.create_database()
        self.addCleanup(postgres.drop_database, database)
        args = [*BASE, "--default-scopes", "admin", "--sync-interval", "1s", "--database", database]
        if self.redis:
            require_or_skip("redis", self)
            redis = RedisServer()
            self.addCleanup(redis.destroy)
            redis.start()
            args += ["--redis", redis.url]
        self.a = Wardend(*args)
        self.addCleanup(self.a.cleanup)
        self.a.start()
        # The same secret: B reads A's secret file.
        self.b = Wardend(*args, "--secret-file", os.path.join(self.a.data_dir, "secret.key"))
        self.addCleanup(self.b.cleanup)
        self.b.start()

    def me(self, server, tokens):
        return server.get("/api/users/me", token=tokens["access_token"]).status_code

    def test_a_logout_and_a_deactivation_on_a_reach_b(self):
        self.a.register("admin@example.com")
        admin = self.a.token("admin@example.com")["access_token"]
        user = self.a.register("user@example.com")
        tokens = self.a.token("user@example.com")
        other = self.a.token("user@example.com")
        for _ in range(3):  # cached by both
            self.assertEqual((self.me(self.a, tokens), self.me(self.b, tokens)), (200, 200))
            self.assertEqual(self.me(self.b, other), 200)
        self.assertEqual(self.a.post("/api/auth/logout", token=tokens["access_token"]).status_code, 204)
        self.assertEqual(self.me(self.a, tokens), 401)
        self.assertIsNotNone(enforced_within(lambda: self.me(self.b, tokens) == 401, SYNC + MARGIN))
        self.assertEqual(self.me(self.b, other), 200)  # the other session is untouched
        r = self.a.patch(f"/api/users/{user['id']}", token=admin, json={"is_active": False})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertIsNotNone(enforced_within(lambda: self.me(self.b, other) == 400, SYNC + MARGIN))
        for server in (self.a, self.b):
            self.assertEqual(server.stop(), 0, server.stderr())


class two_processes_on_postgres_with_redis(two_processes_on_postgres):
    redis = True


class eviction(cached_server):
    extra = ["--cache-size", "1"]

    def test_many_users_through_a_cache_of_one(self):
        admin = self.user()[1]["access_token"]
        users = [self.user() for _ in range(12)]
        for _ in range(3):
            for user, tokens in users:
                r = self.me(tokens)
                self.assertEqual((r.status_code, r.json()["email"]), (200, user["email"]))
        for user, _ in users[::3]:
            r = self.server.patch(f"/api/users/{user['id']}", token=admin, json={"is_active": False})
            self.assertEqual(r.status_code, 200)
        for _ in range(2):
            for i, (user, tokens) in enumerate(users):
                self.assertEqual(self.me(tokens).status_code, 400 if i % 3 == 0 else 200)


class fail_closed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_or_skip("postgres", cls)
        cls.pg = PostgresServer()
        cls.addClassCleanup(cls.pg.destroy)
        cls.pg.start()

    def test_a_stopped_database_stops_answers_from_memory(self):
        database = self.pg.create_database()
        server = Wardend(*BASE, "--database", database, "--sync-interval", "1s")
        self.addCleanup(server.cleanup)
        server.start()
        server.register("owner@example.com")
        tokens = server.token("owner@example.com")
        for _ in range(3):
            self.assertEqual(server.get("/api/users/me", token=tokens["access_token"]).status_code, 200)
        self.pg.stop("fast")
        stopped = time.monotonic()
        answers = []
        while time.monotonic() - stopped < SYNC + MARGIN + 1.0:
            r = server.get("/api/users/me", token=tokens["access_token"])
            answers.append((time.monotonic() - stopped, r.status_code))
            time.sleep(0.05)
        late = [(t, s) for t, s in answers if t > SYNC + MARGIN]
        self.assertTrue(late)
        self.assertEqual({s for _, s in late}, {503}, answers)
        self.assertFalse([a for a in answers if a[1] not in (200, 503)], answers)
        self.pg.start_again()
        took = enforced_within(
            lambda: server.get("/api/users/me", token=tokens["access_token"]).status_code == 200, 10)
        self.assertIsNotNone(took)
        self.assertEqual(server.stop(), 0, server.stderr())


if __name__ == "__main__":
    unittest.main()
