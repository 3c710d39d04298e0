"""The warden admin CLI (SPEC §5) against the real binaries: users, tokens, hashes and imports,
on the same data directory as a running wardend (both open the SQLite file; WAL makes it safe).

Every CliCase class runs a second time on PostgreSQL (test_cli_postgres.py), so a test reaches the
store only through CliCase's database hooks (`create_database`, `database_args`, `database_env`,
`database_url`, `query_value`), never by naming <data-dir>/warden.db itself. (SQLite files that
are an import's source are the test's own and stay SQLite in both runs.)"""
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest

import jwt  # Debian python3-jwt (PyJWT)
from passlib.hash import argon2 as passlib_argon2
from passlib.hash import bcrypt as passlib_bcrypt
from passlib.hash import bcrypt_sha256 as passlib_bcrypt_sha256
from passlib.hash import pbkdf2_sha256 as passlib_pbkdf2_sha256

from wardend import FAST_HASHING, WARDEN_CLI, Wardend

PASSWORD = "correct horse"


def cli(*args, password=None, stdin=None, env=None):
    """Runs warden; `password` becomes the first line of stdin. Fast hashing unless overridden."""
    if not WARDEN_CLI:
        raise RuntimeError("WARDEN_CLI is not set: run the e2e tests through ctest")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    full_env["WARDEN_ARGON2"] = "m=7168,t=1,p=1"
    full_env.update(env or {})
    if password is not None:
        stdin = password + "\n"
    return subprocess.run([WARDEN_CLI, *args], input=stdin if stdin is not None else "", capture_output=True,
                          text=True, env=full_env, timeout=60)


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class CliCase(unittest.TestCase):
    """One wardend with a data dir the CLI shares, and the store both use. By default that is the
    SQLite file in the data dir, named by no flag (the default path is what is tested); a subclass
    puts the store elsewhere by overriding the database hooks below."""

    database = None  # the store's URL when it is not the default; set by create_database()

    @classmethod
    def setUpClass(cls):
        cls.database = cls.create_database()
        # --cache-size 0: the server reads the store on every request, so a CLI change shows at
        # once; with the guard's cache it takes up to --sync-interval (test_guard_cache.py).
        cls.server = Wardend(*FAST_HASHING, "--cache-size", "0", "--login-max-failures", "1000",
                             *cls.database_args())
        cls.addClassCleanup(cls.server.cleanup)  # also when start() fails; runs before the database's
        cls.server.start()
        cls.data_dir = cls.server.data_dir

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        cls.server.cleanup()
        assert status == 0, f"wardend exited with {status}: {cls.server.stderr()}"

    # --- database hooks ---------------------------------------------------------------------

    @classmethod
    def create_database(cls):
        """A URL for a fresh store (registering its removal with cls.addClassCleanup), or None
        for the default: <data-dir>/warden.db."""
        return None

    @classmethod
    def database_args(cls):
        """What wardend and every CLI call get to open the store: [] for the default."""
        return ["--database", cls.database] if cls.database else []

    @classmethod
    def database_env(cls):
        """The same as WARDEN_* variables."""
        return {"WARDEN_DATABASE": cls.database} if cls.database else {}

    @classmethod
    def database_url(cls):
        """The store's URL, spelled out also for the default."""
        return cls.database or "sqlite:///" + os.path.join(cls.data_dir, "warden.db")

    def query_value(self, sql):
        """Runs one statement on the store and commits; the first column of its first row as text
        (None without a row). SQL both engines take (TRUE, RETURNING)."""
        db = sqlite3.connect(os.path.join(self.data_dir, "warden.db"))
        try:
            row = db.execute(sql).fetchone()
            db.commit()
        finally:
            db.close()
        return None if row is None else str(row[0])

    # --- helpers ------------------------------------------------------------------------------

    _counter = 0

    def unique_email(self, prefix="cli"):
        CliCase._counter += 1
        return f"{prefix}{CliCase._counter}.{time.monotonic_ns()}@example.com"

    def warden(self, *args, **kw):
        return cli("--data-dir", self.data_dir, *self.database_args(), *args, **kw)

    def ok(self, *args, **kw):
        r = self.warden(*args, **kw)
        self.assertEqual(r.returncode, 0, (args, r.stdout, r.stderr))
        return r

    def add_user(self, email=None, *extra, password=PASSWORD):
        email = email or self.unique_email()
        r = self.ok("user", "add", "--email", email, "--password-stdin", *extra, password=password)
        return json.loads(r.stdout)

    def assert_fails(self, r, status, fragment=None):
        self.assertEqual(r.returncode, status, (r.stdout, r.stderr))
        self.assertTrue(r.stderr.startswith("warden: "), r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        if fragment:
            self.assertIn(fragment, r.stderr)

    def stored_hash(self, user_id):
        return self.query_value(f"SELECT password_hash FROM users WHERE id = {int(user_id)}")

    def user_count(self):
        return int(self.query_value("SELECT count(*) FROM users"))

    def secret(self):
        with open(os.path.join(self.data_dir, "secret.key")) as f:
            return f.read().strip()


class user_commands(CliCase):
    def test_added_user_logs_in_through_wardend(self):
        email = self.unique_email()
        r = self.ok("user", "add", "--email", email, "--full-name", "Jo Admin", "--password-stdin", password=PASSWORD)
        user = json.loads(r.stdout)
        self.assertEqual(user["email"], email)
        self.assertEqual(user["full_name"], "Jo Admin")
        self.assertTrue(user["is_active"])
        self.assertEqual(user["scopes"], [])
        self.assertEqual(user["password_scheme"], "argon2id")
        self.assertNotIn(PASSWORD, r.stdout + r.stderr)
        self.assertNotIn("$argon2", r.stdout)
        token = self.server.token(email)["access_token"]
        me = self.server.get("/api/users/me", token=token)
        self.assertEqual(me.status_code, 200)
        self.assertEqual(me.json()["id"], user["id"])

    def test_password_line_break_is_stripped_crlf_too(self):
        email = self.unique_email()
        self.ok("user", "add", "--email", email, "--password-stdin", stdin="spaces kept  \r\nsecond line\n")
        self.assertEqual(self.server.login(email, "spaces kept  ").status_code, 200)

    def test_first_admin_can_use_the_admin_api(self):
        admin = self.unique_email("admin")
        self.add_user(admin, "--scopes", "admin")
        token = self.server.token(admin)["access_token"]
        r = self.server.get("/api/users", token=token)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertIn(admin, [u["email"] for u in r.json()["items"]])
        plain = self.add_user()["email"]
        self.assertEqual(self.server.get("/api/users", token=self.server.token(plain)["access_token"]).status_code,
                         403)

    def test_scopes_take_spaces_or_commas(self):
        a = self.add_user(None, "--scopes", "users:read admin")
        b = self.add_user(None, "--scopes", "admin,users:read")
        self.assertEqual(a["scopes"], ["admin", "users:read"])
        self.assertEqual(b["scopes"], ["admin", "users:read"])

    def test_inactive_flag(self):
        user = self.add_user(None, "--inactive")
        self.assertFalse(user["is_active"])
        r = self.server.login(user["email"])
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["detail"], "Inactive user")

    def test_verified_flag(self):
        self.assertIs(self.add_user()["is_verified"], False)
        user = self.add_user(None, "--verified")
        self.assertIs(user["is_verified"], True)
        shown = json.loads(self.ok("user", "show", str(user["id"])).stdout)
        self.assertIs(shown["is_verified"], True)
        token = self.server.token(user["email"])["access_token"]
        self.assertIs(self.server.get("/api/users/me", token=token).json()["is_verified"], True)

    def test_configuration_before_or_after_the_command_or_from_the_environment(self):
        user = self.add_user()
        after = cli("user", "show", str(user["id"]), "--data-dir", self.data_dir, *self.database_args())
        before = cli("--data-dir", self.data_dir, *self.database_args(), "user", "show", str(user["id"]))
        env = cli("user", "show", str(user["id"]), env={"WARDEN_DATA_DIR": self.data_dir, **self.database_env()})
        database = cli("user", "show", str(user["id"]), "--data-dir", self.data_dir,
                       "--database", self.database_url())  # explicit also for the default
        for r in (after, before, env, database):
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(json.loads(r.stdout)["email"], user["email"])

    def test_show_by_id_or_email_in_any_case(self):
        user = self.add_user()
        for ref in (str(user["id"]), user["email"], user["email"].upper()):
            shown = json.loads(self.ok("user", "show", ref).stdout)
            self.assertEqual(shown["id"], user["id"], ref)
            self.assertEqual(set(shown), {"id", "email", "full_name", "is_active", "is_verified", "scopes",
                                          "created_at", "updated_at", "password_scheme"})

    def test_list_is_json_lines_with_limit_and_offset(self):
        made = [self.add_user()["id"] for _ in range(3)]
        everyone = json_lines(self.ok("user", "list", "--limit", "100000").stdout)
        ids = [u["id"] for u in everyone]
        self.assertEqual(ids, sorted(ids))
        for i in made:
            self.assertIn(i, ids)
        position = ids.index(made[0])
        page = json_lines(self.ok("user", "list", "--limit", "2", "--offset", str(position)).stdout)
        self.assertEqual([u["id"] for u in page], ids[position:position + 2])

    def test_list_table(self):
        user = self.add_user()
        r = self.ok("user", "list", "--table", "--limit", "100000")
        lines = r.stdout.splitlines()
        self.assertTrue(lines[0].split()[:3] == ["ID", "EMAIL", "ACTIVE"], lines[0])
        self.assertTrue(any(user["email"] in line for line in lines))
        self.assertRegex(lines[-1], r"^\d+-\d+ of \d+ users$")

    def test_set_active_false_refuses_login_and_revokes_tokens(self):
        user = self.add_user()
        token = self.server.token(user["email"])["access_token"]
        self.assertEqual(self.server.get("/api/users/me", token=token).status_code, 200)
        r = self.ok("user", "set-active", user["email"], "false")
        self.assertFalse(json.loads(r.stdout)["is_active"])
        login = self.server.login(user["email"])
        self.assertEqual(login.status_code, 400)
        self.assertEqual(login.json(), {"detail": "Inactive user"})
        # FastAPI's get_current_active_user: 400 while inactive; the token stays dead afterwards.
        inactive = self.server.get("/api/users/me", token=token)
        self.assertEqual((inactive.status_code, inactive.json()), (400, {"detail": "Inactive user"}))
        self.ok("user", "set-active", str(user["id"]), "true")
        self.assertEqual(self.server.get("/api/users/me", token=token).status_code, 401)
        self.assertEqual(self.server.login(user["email"]).status_code, 200)

    def test_set_verified_marks_the_address_and_back(self):
        user = self.add_user()
        token = self.server.token(user["email"])["access_token"]
        r = self.ok("user", "set-verified", user["email"], "true")
        self.assertIs(json.loads(r.stdout)["is_verified"], True)
        # wardend reads the store (--cache-size 0): the API shows it at once, the session lives on.
        me = self.server.get("/api/users/me", token=token)
        self.assertEqual(me.status_code, 200, me.text)
        self.assertIs(me.json()["is_verified"], True)
        table = self.ok("user", "list", "--table", "--limit", "100000").stdout.splitlines()
        self.assertEqual(table[0].split()[3], "VERIFIED")
        self.assertEqual(next(line.split() for line in table if user["email"] in line)[3], "yes")
        r = self.ok("user", "set-verified", str(user["id"]), "false")
        self.assertIs(json.loads(r.stdout)["is_verified"], False)
        self.assertIs(self.server.get("/api/users/me", token=token).json()["is_verified"], False)
        # Nothing else changed.
        shown = json.loads(self.ok("user", "show", str(user["id"])).stdout)
        self.assertEqual({k: shown[k] for k in ("is_active", "scopes", "email")},
                         {k: user[k] for k in ("is_active", "scopes", "email")})

    def test_set_scopes_replaces_the_granted_scopes(self):
        user = self.add_user(None, "--scopes", "a b")
        r = self.ok("user", "set-scopes", str(user["id"]), "admin users:write")
        self.assertEqual(json.loads(r.stdout)["scopes"], ["admin", "users:write"])
        self.assertEqual(self.server.token(user["email"])["scope"], "admin users:write")
        cleared = self.ok("user", "set-scopes", user["email"], "")
        self.assertEqual(json.loads(cleared.stdout)["scopes"], [])

    def test_delete_removes_the_user(self):
        user = self.add_user()
        token = self.server.token(user["email"])["access_token"]
        r = self.ok("user", "delete", user["email"])
        self.assertEqual(json.loads(r.stdout)["id"], user["id"])
        self.assertEqual(self.server.login(user["email"]).status_code, 401)
        self.assertEqual(self.server.get("/api/users/me", token=token).status_code, 401)
        self.assert_fails(self.warden("user", "show", str(user["id"])), 1, "no such user")

    def test_duplicate_email_is_exit_1_in_any_case(self):
        user = self.add_user()
        r = self.warden("user", "add", "--email", user["email"].upper(), "--password-stdin", password=PASSWORD)
        self.assert_fails(r, 1, "already registered")

    def test_unknown_user_is_exit_1(self):
        for args in (["user", "show", "999999"], ["user", "show", "nobody@example.com"],
                     ["user", "set-active", "999999", "false"], ["user", "set-verified", "999999", "true"],
                     ["user", "set-scopes", "999999", "a"],
                     ["user", "delete", "nobody@example.com"], ["token", "issue", "--user", "999999"]):
            self.assert_fails(self.warden(*args), 1, "no such user")

    def test_bad_usage_is_exit_2(self):
        cases = [
            [],
            ["frobnicate"],
            ["user"],
            ["user", "frob"],
            ["user", "add", "--password-stdin"],                       # no --email
            ["user", "add", "--email", "a@example.com"],               # no --password-stdin
            ["user", "add", "--email", "not-an-email", "--password-stdin"],
            ["user", "add", "--email", "a@example.com", "--scopes", 'bad"scope', "--password-stdin"],
            ["user", "show"],
            ["user", "show", "bob"],
            ["user", "show", "0"],
            ["user", "set-active", "1", "maybe"],
            ["user", "set-verified", "1", "yes"],
            ["user", "set-verified", "1", "TRUE"],
            ["user", "set-verified", "1"],
            ["user", "set-verified", "bob", "true"],
            ["user", "add", "--email", "a@example.com", "--verified=false", "--password-stdin"],
            ["user", "list", "--limit", "0"],
            ["user", "list", "--limit", "ten"],
            ["token", "issue"],
            ["token", "decode"],
            ["verify", "--password-stdin"],
            ["import"],
            ["--access-token-ttl", "soon", "user", "list"],
        ]
        for args in cases:
            r = self.warden(*args, password=PASSWORD)
            self.assertEqual(r.returncode, 2, (args, r.stdout, r.stderr))
            self.assertTrue(r.stderr.startswith("warden: "), (args, r.stderr))
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, (args, r.stderr))
            self.assertEqual(r.stdout, "", args)

    def test_a_password_on_the_command_line_is_refused_and_never_echoed(self):
        email = self.unique_email()
        for args in (["--password", "hunter2secret"], ["--password=hunter2secret"],
                     ["--password-stdin=hunter2secret"], ["--password-stdin", "hunter2secret"]):
            r = self.warden("user", "add", "--email", email, *args, password=PASSWORD)
            self.assert_fails(r, 2)
            self.assertNotIn("hunter2secret", r.stderr + r.stdout, args)
        self.assertEqual(self.server.login(email).status_code, 401)

    def test_password_policy_and_empty_stdin_are_exit_2(self):
        email = self.unique_email()
        self.assert_fails(self.warden("user", "add", "--email", email, "--password-stdin", password="short"), 2,
                          "too short")
        self.assert_fails(self.warden("user", "add", "--email", email, "--password-stdin", stdin=""), 2,
                          "standard input")
        self.assert_fails(self.warden("user", "add", "--email", email, "--password-stdin", password="x" * 1025), 2,
                          "too long")
        self.assert_fails(self.warden("user", "add", "--email", email, "--password-stdin",
                                      password="has\x00nul inside"), 2, "NUL")
        self.assertEqual(self.server.login(email).status_code, 401)

    def test_help_documents_every_command(self):
        r = cli("--help")
        self.assertEqual(r.returncode, 0)
        for word in ("user", "token", "hash", "verify", "import", "--data-dir", "WARDEN_DATA_DIR", "--database",
                     "Exit status"):
            self.assertIn(word, r.stdout)
        commands = {
            ("user",): ["add", "list", "show", "set-active", "set-verified", "set-scopes", "delete"],
            ("user", "add"): ["--email", "--full-name", "--scopes", "--inactive", "--verified", "--password-stdin"],
            ("user", "list"): ["--limit", "--offset", "--table"],
            ("user", "show"): ["ID|EMAIL"],
            ("user", "set-active"): ["true|false"],
            ("user", "set-verified"): ["ID|EMAIL", "true|false"],
            ("user", "set-scopes"): ["LIST"],
            ("user", "delete"): ["ID|EMAIL"],
            ("token",): ["issue", "decode", "verify"],
            ("token", "issue"): ["--user", "--scope", "--json"],
            ("token", "decode"): ["UNVERIFIED".lower()],
            ("token", "verify"): ["TOKEN|-"],
            ("hash",): ["--password-stdin"],
            ("verify",): ["--hash", "--password-stdin"],
            ("import",): ["--csv", "--sqlite", "--table", "--email-column", "--hash-column", "--dry-run", "RFC 4180"],
        }
        for command, words in commands.items():
            r = cli(*command, "--help")
            self.assertEqual(r.returncode, 0, command)
            for word in words:
                self.assertIn(word.lower(), r.stdout.lower(), (command, word))


class token_commands(CliCase):
    def test_issued_token_is_accepted_by_wardend(self):
        user = self.add_user()
        r = self.ok("token", "issue", "--user", user["email"])
        token = r.stdout.strip()
        self.assertEqual(r.stdout.count("\n"), 1)
        me = self.server.get("/api/users/me", token=token)
        self.assertEqual(me.status_code, 200, me.text)
        self.assertEqual(me.json()["id"], user["id"])
        claims = jwt.decode(token, self.secret(), algorithms=["HS256"])
        self.assertEqual(claims["sub"], str(user["id"]))
        self.assertAlmostEqual(claims["exp"] - claims["iat"], 30 * 60, delta=2)

    def test_issue_with_scopes_and_json(self):
        admin = self.add_user(None, "--scopes", "admin reports")
        r = self.ok("token", "issue", "--user", str(admin["id"]), "--scope", "admin", "--json")
        body = json.loads(r.stdout)
        self.assertEqual(body["token_type"], "bearer")
        self.assertEqual(body["scope"], "admin")
        self.assertEqual(body["expires_in"], 1800)
        self.assertEqual(self.server.get("/api/users", token=body["access_token"]).status_code, 200)
        refreshed = self.server.post("/api/auth/login",
                                     data={"grant_type": "refresh_token", "refresh_token": body["refresh_token"]})
        self.assertEqual(refreshed.status_code, 200, refreshed.text)
        narrow = self.ok("token", "issue", "--user", str(admin["id"]), "--scope", "reports").stdout.strip()
        self.assertEqual(self.server.get("/api/users", token=narrow).status_code, 403)

    def test_issue_refuses_scopes_not_granted_and_inactive_users(self):
        user = self.add_user(None, "--scopes", "a")
        self.assert_fails(self.warden("token", "issue", "--user", user["email"], "--scope", "a admin"), 1, "admin")
        inactive = self.add_user(None, "--inactive")
        self.assert_fails(self.warden("token", "issue", "--user", inactive["email"]), 1, "inactive")

    def test_issued_token_is_revoked_by_deactivation_and_logout(self):
        user = self.add_user()
        token = self.ok("token", "issue", "--user", user["email"]).stdout.strip()
        self.assertEqual(self.server.post("/api/auth/logout", token=token).status_code, 204)
        self.assertEqual(self.server.get("/api/users/me", token=token).status_code, 401)
        token = self.ok("token", "issue", "--user", user["email"]).stdout.strip()
        self.ok("user", "set-active", user["email"], "false")
        self.assertEqual(self.server.get("/api/users/me", token=token).status_code, 400)  # Inactive user
        self.ok("user", "set-active", user["email"], "true")
        self.assertEqual(self.server.get("/api/users/me", token=token).status_code, 401)

    def test_verify_accepts_valid_tokens_ours_and_pyjwt(self):
        user = self.add_user()
        ours = self.server.token(user["email"])["access_token"]
        r = self.ok("token", "verify", ours)
        body = json.loads(r.stdout)
        self.assertTrue(body["verified"])
        self.assertEqual(body["header"]["alg"], "HS256")
        self.assertEqual(body["payload"]["sub"], str(user["id"]))
        theirs = jwt.encode({"sub": str(user["id"]), "exp": int(time.time()) + 600}, self.secret(), algorithm="HS256")
        self.assertEqual(json.loads(self.ok("token", "verify", theirs).stdout)["payload"]["sub"], str(user["id"]))
        from_stdin = self.ok("token", "verify", "-", stdin=ours + "\n")
        self.assertEqual(json.loads(from_stdin.stdout)["payload"]["sub"], str(user["id"]))

    def test_verify_rejects_tampered_expired_and_foreign_tokens_with_exit_1(self):
        user = self.add_user(None, "--scopes", "admin")
        token = self.ok("token", "issue", "--user", user["email"]).stdout.strip()
        header, payload, signature = token.split(".")
        claims = jwt.decode(token, options={"verify_signature": False})
        claims["sub"] = "1"
        forged_payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
        cases = {
            "tampered payload": (f"{header}.{forged_payload}.{signature}", "signature"),
            "tampered signature": (f"{header}.{payload}.{signature[:-2]}AA", "signature"),
            "expired": (jwt.encode({"sub": "1", "exp": int(time.time()) - 3600}, self.secret(), algorithm="HS256"),
                        "expired"),
            "other secret": (jwt.encode({"sub": "1", "exp": int(time.time()) + 600}, "x" * 32, algorithm="HS256"),
                             "signature"),
            "alg none": (jwt.encode({"sub": "1", "exp": int(time.time()) + 600}, None, algorithm="none"), "none"),
            "garbage": ("not.a.token", "token"),
        }
        for name, (bad, reason) in cases.items():
            r = self.warden("token", "verify", bad)
            self.assert_fails(r, 1, reason)
            self.assertIn("invalid token", r.stderr, name)
            self.assertNotIn(bad, r.stderr, name)
            self.assertEqual(r.stdout, "", name)

    def test_verify_checks_issuer_and_audience_from_the_configuration(self):
        user = self.add_user()
        token = self.ok("token", "issue", "--user", user["email"]).stdout.strip()
        self.assert_fails(self.warden("token", "verify", token, "--issuer", "https://auth.example.com"), 1,
                          "required claim")
        with_iss = self.ok("token", "issue", "--user", user["email"], "--issuer", "https://a.example.com").stdout
        self.assertEqual(jwt.decode(with_iss.strip(), options={"verify_signature": False})["iss"],
                         "https://a.example.com")
        self.ok("token", "verify", with_iss.strip(), "--issuer", "https://a.example.com")
        self.assert_fails(self.warden("token", "verify", with_iss.strip(), "--issuer", "https://b.example.com"), 1,
                          "issuer")
        with_aud = jwt.encode({"sub": "1", "exp": int(time.time()) + 600, "aud": "api"}, self.secret(),
                              algorithm="HS256")
        self.assert_fails(self.warden("token", "verify", with_aud), 1, "audience")
        self.ok("token", "verify", with_aud, "--audience", "api")

    def test_verify_without_a_key_is_exit_1_and_creates_nothing(self):
        empty = tempfile.mkdtemp(prefix="warden-cli-")
        r = cli("token", "verify", "a.b.c", "--data-dir", empty, *self.database_args())
        self.assert_fails(r, 1, "does not exist")
        self.assertEqual(os.listdir(empty), [])
        os.rmdir(empty)

    def test_decode_prints_unverified_claims(self):
        user = self.add_user(None, "--scopes", "admin")
        token = self.ok("token", "issue", "--user", user["email"]).stdout.strip()
        r = cli("token", "decode", token)  # no configuration needed
        self.assertEqual(r.returncode, 0, r.stderr)
        body = json.loads(r.stdout)
        self.assertIs(body["verified"], False)
        self.assertEqual(body["header"], {"alg": "HS256", "typ": "JWT"})
        self.assertEqual(body["payload"]["sub"], str(user["id"]))
        self.assertEqual(body["payload"]["scope"], "admin")
        self.assertIn("UNVERIFIED", r.stderr)
        tampered = token[:-4] + "AAAA"
        self.assertIs(json.loads(cli("token", "decode", "-", stdin=tampered).stdout)["verified"], False)
        for bad in ("abc", "a.b", "!!!.e30.x", "e30.!!!.x", "a.b.c.d.e"):
            self.assert_fails(cli("token", "decode", bad), 2, "decode")


class password_commands(unittest.TestCase):
    def test_hash_and_verify_round_trip(self):
        r = cli("hash", "--password-stdin", password=PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        stored = r.stdout.strip()
        self.assertTrue(stored.startswith("$argon2id$v=19$m=7168,t=1,p=1$"), stored)
        ok = cli("verify", "--hash", stored, "--password-stdin", password=PASSWORD)
        self.assertEqual((ok.returncode, ok.stdout), (0, "match\n"), ok.stderr)
        wrong = cli("verify", "--hash", stored, "--password-stdin", password="wrong horse")
        self.assertEqual(wrong.returncode, 1)
        self.assertIn("does not match", wrong.stderr)
        self.assertNotIn(stored, wrong.stderr)
        self.assertTrue(passlib_argon2.verify(PASSWORD, stored))

    def test_configured_scheme_and_costs(self):
        r = cli("hash", "--password-stdin", "--password-scheme", "bcrypt", "--bcrypt-rounds", "10", password=PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("$2b$10$"), r.stdout)
        self.assertTrue(passlib_bcrypt.verify(PASSWORD, r.stdout.strip()))
        env = cli("hash", "--password-stdin", env={"WARDEN_PASSWORD_SCHEME": "bcrypt", "WARDEN_BCRYPT_ROUNDS": "11"},
                  password=PASSWORD)
        self.assertTrue(env.stdout.startswith("$2b$11$"), env.stdout)
        too_long = cli("hash", "--password-stdin", "--password-scheme", "bcrypt", password="x" * 73)
        self.assertEqual(too_long.returncode, 2)
        self.assertIn("72", too_long.stderr)

    def test_verifies_passlib_hashes(self):
        hashes = {
            "bcrypt": passlib_bcrypt.using(rounds=4).hash(PASSWORD),
            "bcrypt 2a": passlib_bcrypt.using(rounds=4, ident="2a").hash(PASSWORD),
            "bcrypt_sha256": passlib_bcrypt_sha256.using(rounds=4).hash(PASSWORD),
            "pbkdf2_sha256": passlib_pbkdf2_sha256.using(rounds=29000).hash(PASSWORD),
            "argon2": passlib_argon2.using(memory_cost=8192, rounds=1, parallelism=2).hash(PASSWORD),
        }
        for name, stored in hashes.items():
            ok = cli("verify", "--hash", stored, "--password-stdin", password=PASSWORD)
            self.assertEqual(ok.returncode, 0, (name, ok.stderr))
            self.assertEqual(ok.stdout, "match\n", name)
            bad = cli("verify", "--hash", stored, "--password-stdin", password="wrong horse")
            self.assertEqual(bad.returncode, 1, name)
        # A low-cost or old-scheme hash matches and would be upgraded at the next login.
        self.assertIn("replaced", cli("verify", "--hash", hashes["bcrypt"], "--password-stdin",
                                      password=PASSWORD).stderr)

    def test_unusable_hash_is_bad_usage_and_not_echoed(self):
        for stored in ("$2b$garbage", "plaintext", "$argon2id$v=19$m=999999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
                       "$md5$abc"):
            r = cli("verify", "--hash", stored, "--password-stdin", password=PASSWORD)
            self.assertEqual(r.returncode, 2, (stored, r.stderr))
            self.assertNotIn(stored, r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1)

    def test_password_is_never_taken_from_arguments(self):
        r = cli("hash", "--password", "hunter2secret")
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("hunter2secret", r.stderr)
        r = cli("hash", "hunter2secret", "--password-stdin", password=PASSWORD)
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("hunter2secret", r.stderr)
        self.assertEqual(cli("hash", "--password-stdin", stdin="").returncode, 2)


def write_csv(text, suffix=".csv"):
    f = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, newline="", encoding="utf-8")
    f.write(text)
    f.close()
    return f.name


class import_commands(CliCase):
    def test_passlib_bcrypt_users_log_in_and_are_rehashed_to_argon2id(self):
        users = [(self.unique_email("bc"), f"password {i} secret") for i in range(3)]
        rows = "".join(f"{email},{passlib_bcrypt.using(rounds=4).hash(pw)}\r\n" for email, pw in users)
        path = write_csv("email,hash\r\n" + rows)
        r = self.ok("import", "--csv", path)
        imported = json_lines(r.stdout)
        self.assertEqual([u["email"] for u in imported], [e for e, _ in users])
        self.assertEqual({u["password_scheme"] for u in imported}, {"bcrypt"})
        self.assertNotIn("$2b$", r.stdout + r.stderr)
        for (email, pw), user in zip(users, imported):
            self.assertTrue(self.stored_hash(user["id"]).startswith("$2b$04$"))
            self.assertEqual(self.server.login(email, "wrong password").status_code, 401)
            token = self.server.token(email, pw)["access_token"]
            self.assertEqual(self.server.get("/api/users/me", token=token).json()["email"], email)
            self.assertTrue(self.stored_hash(user["id"]).startswith("$argon2id$"), self.stored_hash(user["id"]))
            self.assertEqual(json.loads(self.ok("user", "show", email).stdout)["password_scheme"], "argon2id")
            self.assertEqual(self.server.token(email, pw)["token_type"], "bearer")  # the new hash works
        os.unlink(path)

    def test_other_passlib_schemes_log_in(self):
        hashers = {"bcrypt_sha256": passlib_bcrypt_sha256.using(rounds=4),
                   "pbkdf2_sha256": passlib_pbkdf2_sha256.using(rounds=29000),
                   "argon2": passlib_argon2.using(memory_cost=8192, rounds=1, parallelism=2)}
        lines = ["hash,email"]
        users = {}
        for name, hasher in hashers.items():
            email = self.unique_email(name.replace("_", ""))
            users[email] = f"{name} password"
            lines.append(f'"{hasher.hash(users[email])}",{email}')  # argon2 hashes hold commas: quoted
        path = write_csv("\n".join(lines) + "\n")
        self.ok("import", "--csv", path)
        for email, pw in users.items():
            self.assertEqual(self.server.login(email, pw).status_code, 200, email)
        os.unlink(path)

    def test_rfc4180_quoting_any_column_order_and_optional_columns(self):
        a, b, c = (self.unique_email(p) for p in ("qa", "qb", "qc"))
        h = passlib_bcrypt.using(rounds=4).hash
        text = ("\ufeffis_active,full_name,scopes,hash,email\r\n"
                f'true,"Doe, Jane","admin,reports",{h("alpha password")},{a}\r\n'
                f'0,"She said ""hi"", then left",,{h("beta password")},{b}\r\n'
                f',Plain,reports admin,"{h("gamma password")}","{c}"')  # no line break at the end
        path = write_csv(text)
        r = self.ok("import", "--csv", path)
        by_email = {u["email"]: u for u in json_lines(r.stdout)}
        self.assertEqual(by_email[a]["full_name"], "Doe, Jane")
        self.assertEqual(by_email[a]["scopes"], ["admin", "reports"])
        self.assertTrue(by_email[a]["is_active"])
        self.assertEqual(by_email[b]["full_name"], 'She said "hi", then left')
        self.assertFalse(by_email[b]["is_active"])
        self.assertEqual(by_email[b]["scopes"], [])
        self.assertTrue(by_email[c]["is_active"])
        self.assertEqual(by_email[c]["scopes"], ["admin", "reports"])
        self.assertEqual(self.server.token(a, "alpha password")["scope"], "admin reports")
        self.assertEqual(self.server.login(b, "beta password").status_code, 400)  # inactive
        self.assertEqual(self.server.login(c, "gamma password").status_code, 200)
        os.unlink(path)

    def test_a_bad_row_imports_nothing_and_names_its_line(self):
        good = self.unique_email("good")
        h = passlib_bcrypt.using(rounds=4).hash(PASSWORD)
        cases = {
            "invalid email": (f"email,hash\n{good},{h}\nnot-an-email,{h}\n", ":3:", "invalid email"),
            "malformed hash": (f"email,hash\n{good},{h}\nx{good},$2b$04$tooshort\n", ":3:", "malformed"),
            "unknown scheme": (f"email,hash\n{good},{h}\nx{good},plaintext-password\n", ":3:", "unknown scheme"),
            "no hash": (f"email,hash\n{good},{h}\nx{good},\n", ":3:", "no password hash"),
            "duplicate in file": (f"email,hash\n{good},{h}\n{good.upper()},{h}\n", ":3:", ":2"),
            "bad is_active": (f"email,hash,is_active\n{good},{h},true\nx{good},{h},maybe\n", ":3:", "is_active"),
            "bad scope": (f'email,hash,scopes\n{good},{h},a\nx{good},{h},"a\\b"\n', ":3:", "scope"),
            "unquoted comma": (f"email,hash,full_name\n{good},{h},Doe, Jane\n", ":2:", "fields"),
            "stray quote": (f'email,hash,full_name\n{good},{h},Jo "JJ" Doe\n', ":2:", "quote"),
            "unclosed quote": (f'email,hash,full_name\n{good},{h},"Jo\nDoe\n', ":2:", "never closed"),
            "text after quote": (f'email,hash,full_name\n{good},{h},"Jo"x\n', ":2:", "closing quote"),
            "missing column": (f"email\n{good}\n", ":1:", "email and hash"),
            "unknown column": (f"email,hash,password\n{good},{h},x\n", ":1:", "unknown column"),
            "repeated column": (f"email,hash,email\n{good},{h},{good}\n", ":1:", "twice"),
            "empty file": ("", "", "header"),
        }
        before = self.user_count()
        for name, (text, where, reason) in cases.items():
            path = write_csv(text)
            r = self.warden("import", "--csv", path)
            self.assertEqual(r.returncode, 1, (name, r.stdout, r.stderr))
            self.assertEqual(r.stdout, "", name)
            self.assertIn(path + where, r.stderr, name)
            self.assertIn(reason, r.stderr, name)
            self.assertIn("nothing imported", r.stderr, name)
            self.assertNotIn(h, r.stderr, name)
            self.assertNotIn("tooshort", r.stderr, name)
            self.assertNotIn("plaintext-password", r.stderr, name)
            os.unlink(path)
        self.assertEqual(self.user_count(), before)
        self.assertEqual(self.server.login(good).status_code, 401)

    def test_every_refused_row_is_reported_one_line_each(self):
        h = passlib_bcrypt.using(rounds=4).hash(PASSWORD)
        existing = self.add_user()["email"]
        ok = self.unique_email("ok")
        path = write_csv(f"email,hash\n{ok},{h}\nbad1,{h}\n{existing},{h}\n{ok},{h}\n")
        r = self.warden("import", "--csv", path)
        self.assertEqual(r.returncode, 1)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 4, r.stderr)
        self.assertIn(":3: invalid email", lines[0])
        self.assertIn(":4: email", lines[1])
        self.assertIn("already registered", lines[1])
        self.assertIn(":5: email", lines[2])
        self.assertIn("repeats", lines[2])
        self.assertIn("nothing imported", lines[3])
        self.assertEqual(self.server.login(ok).status_code, 401)
        os.unlink(path)

    def test_dry_run_writes_nothing(self):
        email = self.unique_email("dry")
        path = write_csv(f"email,hash\n{email},{passlib_bcrypt.using(rounds=4).hash(PASSWORD)}\n")
        before = self.user_count()
        r = self.ok("import", "--csv", path, "--dry-run")
        self.assertIn("dry run", r.stderr)
        self.assertEqual(self.user_count(), before)
        os.unlink(path)

    def test_csv_from_standard_input(self):
        email = self.unique_email("stdin")
        r = self.ok("import", "--csv", "-", stdin=f"email,hash\n{email},{passlib_bcrypt.using(rounds=4).hash(PASSWORD)}\n")
        self.assertEqual(json_lines(r.stdout)[0]["email"], email)

    def test_unreadable_file_and_bad_options_are_bad_usage(self):
        self.assert_fails(self.warden("import", "--csv", "/nonexistent/users.csv"), 2, "cannot read")
        self.assert_fails(self.warden("import", "--csv", "a.csv", "--sqlite", "b.db"), 2)
        self.assert_fails(self.warden("import", "--sqlite", "b.db"), 2, "--table")
        self.assert_fails(self.warden("import", "--csv", "a.csv", "--table", "users"), 2)

    def sqlite_source(self):
        path = tempfile.mktemp(suffix=".db")
        db = sqlite3.connect(path)
        db.execute('CREATE TABLE "user" (id INTEGER PRIMARY KEY, email TEXT, hashed_password TEXT, '
                   'disabled INTEGER, is_active INTEGER, name TEXT, "order" TEXT)')
        return path, db

    def test_sqlite_import_of_a_fastapi_user_table(self):
        path, db = self.sqlite_source()
        users = {self.unique_email("sq"): f"sqlite pw {i}" for i in range(2)}
        for i, (email, pw) in enumerate(users.items()):
            db.execute('INSERT INTO "user" (email, hashed_password, is_active, name) VALUES (?, ?, ?, ?)',
                       (email, passlib_bcrypt.using(rounds=4).hash(pw), 1, f"Name {i}"))
        db.commit()
        db.close()
        r = self.ok("import", "--sqlite", path, "--table", "user", "--email-column", "email", "--hash-column",
                    "hashed_password", "--full-name-column", "name", "--is-active-column", "is_active")
        imported = json_lines(r.stdout)
        self.assertEqual([u["email"] for u in imported], list(users))
        self.assertEqual(imported[1]["full_name"], "Name 1")
        for email, pw in users.items():
            self.assertEqual(self.server.login(email, pw).status_code, 200)
        os.unlink(path)

    def test_sqlite_names_are_checked_identifiers(self):
        path, db = self.sqlite_source()
        db.execute('INSERT INTO "user" (email, hashed_password) VALUES (?, ?)',
                   (self.unique_email("inj"), passlib_bcrypt.using(rounds=4).hash(PASSWORD)))
        db.commit()
        db.close()
        base = ["import", "--sqlite", path, "--table", "user", "--email-column", "email", "--hash-column",
                "hashed_password"]
        for flag, name in (("--table", 'user" ; DROP TABLE "user'), ("--email-column", "email, 1"),
                           ("--hash-column", "1abc")):
            args = list(base)
            args[args.index(flag) + 1] = name
            self.assert_fails(self.warden(*args), 2, "identifier")
        self.assert_fails(self.warden(*[("nope" if a == "user" else a) for a in base]), 1, "no such table")
        self.assert_fails(self.warden(*[("missing" if a == "hashed_password" else a) for a in base]), 1,
                          "no such column")
        db = sqlite3.connect(path)
        self.assertEqual(db.execute('SELECT count(*) FROM "user"').fetchone()[0], 1)  # untouched
        db.close()
        self.ok(*base, "--dry-run")
        os.unlink(path)


class database_commands(CliCase):
    """`db copy`, `db backup` and `user normalize-emails`: the store as a whole."""

    def scratch_dir(self):
        path = tempfile.mkdtemp(prefix="warden-cli-db-")
        self.addCleanup(shutil.rmtree, path, True)
        return path

    def test_copy_to_a_new_sqlite_file_holds_every_user_and_is_private(self):
        user = self.add_user(None, "--scopes", "admin reports")
        target = "sqlite:///" + os.path.join(self.scratch_dir(), "copy.db")
        r = self.ok("db", "copy", "--from", self.database_url(), "--to", target)
        self.assertIn(f"copied {self.user_count()} users", r.stderr)
        self.assertEqual(os.stat(target.removeprefix("sqlite:///")).st_mode & 0o777, 0o600)
        copied = cli("--data-dir", self.data_dir, "--database", target, "user", "show", user["email"])
        self.assertEqual(copied.returncode, 0, copied.stderr)
        self.assertEqual(json.loads(copied.stdout), json.loads(self.ok("user", "show", user["email"]).stdout))
        self.assert_fails(self.warden("db", "copy", "--from", self.database_url(), "--to", target), 1,
                          "is not empty; --force replaces")
        self.ok("db", "copy", "--from", self.database_url(), "--to", target, "--force")
        self.assert_fails(self.warden("db", "copy", "--from", target + ".typo", "--to", self.database_url()), 1,
                          "no database at")
        self.assert_fails(self.warden("db", "copy", "--from", target), 2)

    def test_backup_copies_a_sqlite_store_and_refuses_any_other(self):
        user = self.add_user()
        copy = os.path.join(self.scratch_dir(), "backup.db")
        r = self.warden("db", "backup", copy)
        if self.database_url().startswith("sqlite:"):
            self.assertEqual(r.returncode, 0, r.stderr)
            backed_up = cli("--data-dir", self.data_dir, "--database", "sqlite:///" + copy, "user", "show",
                            str(user["id"]))
            self.assertEqual(json.loads(backed_up.stdout)["email"], user["email"], backed_up.stderr)
        else:
            self.assert_fails(r, 1, "use pg_dump, or warden db copy")
            self.assertNotIn(self.database_url(), r.stderr)
            self.assertFalse(os.path.exists(copy))

    def test_normalize_emails_rewrites_a_legacy_address(self):
        source = self.add_user()
        legacy = f"JOS\u00c9.{time.monotonic_ns()}@Example.com"  # stored before the rule: not case-folded
        legacy_id = int(self.query_value(
            "INSERT INTO users (email, password_hash, full_name, is_active, scopes, created_at, updated_at) "
            f"SELECT '{legacy}', password_hash, '', TRUE, '', 1, 1 FROM users WHERE id = {source['id']} "
            "RETURNING id"))
        r = self.ok("user", "normalize-emails")
        self.assertEqual(json_lines(r.stdout), [{"id": legacy_id, "from": legacy, "to": legacy.casefold()}])
        again = self.ok("user", "normalize-emails")
        self.assertEqual(again.stdout, "")
        nfd_upper = legacy.replace("\u00c9", "E\u0301").upper()
        self.assertEqual(self.server.login(nfd_upper, PASSWORD).status_code, 200)


if __name__ == "__main__":
    unittest.main()
