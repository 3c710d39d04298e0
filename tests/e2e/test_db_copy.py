"""Issue 9: `warden db copy` moves a SQLite deployment to PostgreSQL without resetting a password.

A wardend on SQLite gets users with passlib bcrypt and argon2 hashes (imported, as from a FastAPI
app), a native argon2id user and a native bcrypt user; a token pair is issued. wardend stops, the
CLI copies the database to a fresh PostgreSQL database, and a wardend on PostgreSQL with the same
secret accepts the old access token, rotates the old refresh token, and logs every user in with
the same password. A second copy into the now non-empty database is refused without --force."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from passlib.hash import argon2 as passlib_argon2
from passlib.hash import bcrypt as passlib_bcrypt

from test_servers import shared_postgres
from wardend import FAST_HASHING, WARDEN_CLI, Wardend

SECRET = "a-secret-of-more-than-thirty-two-bytes-for-hs256"


def cli(*args, stdin=""):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    return subprocess.run([WARDEN_CLI, *args], input=stdin, capture_output=True, text=True, env=env,
                          timeout=120)


class db_copy(unittest.TestCase):
    def setUp(self):
        self.postgres = shared_postgres(self)
        self.target = self.postgres.create_database()
        self.addCleanup(self.postgres.drop_database, self.target)
        self.data_dir = tempfile.mkdtemp(prefix="warden-copy-")
        self.addCleanup(shutil.rmtree, self.data_dir, ignore_errors=True)
        self.sqlite_url = "sqlite:///" + os.path.join(self.data_dir, "warden.db")

    def server(self, *args):
        return Wardend("--secret-key", SECRET, *FAST_HASHING, *args, data_dir=self.data_dir)

    def test_a_sqlite_deployment_moves_to_postgresql_without_resetting_a_password(self):
        users = {
            "passlib-bcrypt@x.io": ("bcrypt secret 1", passlib_bcrypt.using(rounds=4)),
            "passlib-argon2@x.io": ("argon2 secret 2",
                                    passlib_argon2.using(memory_cost=8192, rounds=1, parallelism=1)),
        }
        csv = "email,hash\n" + "".join(f'{email},"{hasher.hash(pw)}"\n'
                                       for email, (pw, hasher) in users.items())
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write(csv)
        self.addCleanup(os.unlink, f.name)
        r = cli("--data-dir", self.data_dir, "import", "--csv", f.name)
        self.assertEqual(r.returncode, 0, r.stderr)
        passwords = {email: pw for email, (pw, _) in users.items()}
        with self.server() as a:
            a.register("argon2id@x.io", "native argon2id 3")
            passwords["argon2id@x.io"] = "native argon2id 3"
            old = a.token("argon2id@x.io", "native argon2id 3")
        r = cli("--data-dir", self.data_dir, "--password-scheme", "bcrypt", "--bcrypt-rounds", "10",
                "user", "add", "--email", "bcrypt@x.io", "--password-stdin", stdin="native bcrypt 4\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        passwords["bcrypt@x.io"] = "native bcrypt 4"

        r = cli("db", "copy", "--from", self.sqlite_url, "--to", self.target)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("copied 4 users", r.stderr)

        with self.server("--database", self.target) as b:
            me = b.get("/api/users/me", token=old["access_token"])
            self.assertEqual(me.status_code, 200, me.text)
            self.assertEqual(me.json()["email"], "argon2id@x.io")
            rotated = b.post("/api/auth/login", data={"grant_type": "refresh_token",
                                                      "refresh_token": old["refresh_token"]})
            self.assertEqual(rotated.status_code, 200, rotated.text)
            for email, pw in passwords.items():
                self.assertEqual(b.login(email, "not the password").status_code, 401, email)
                token = b.token(email, pw)["access_token"]
                self.assertEqual(b.get("/api/users/me", token=token).json()["email"], email)
            listed = json.loads("[" + ",".join(cli("--data-dir", self.data_dir, "--database",
                                                   self.target, "user", "list")
                                               .stdout.split("\n")[:-1]) + "]")
            self.assertEqual(sorted(u["email"] for u in listed), sorted(passwords))

        again = cli("db", "copy", "--from", self.sqlite_url, "--to", self.target)
        self.assertEqual(again.returncode, 1)
        self.assertIn("is not empty; --force replaces", again.stderr)
        forced = cli("db", "copy", "--from", self.sqlite_url, "--to", self.target, "--force")
        self.assertEqual(forced.returncode, 0, forced.stderr)

    def test_a_missing_source_or_an_unreachable_target_is_an_error_that_names_no_password(self):
        r = cli("db", "copy", "--from", self.sqlite_url + ".typo", "--to", self.target)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no database at", r.stderr)
        open(os.path.join(self.data_dir, "warden.db"), "w").close()
        r = cli("--connect-timeout", "1s", "db", "copy", "--from", self.sqlite_url,
                "--to", "postgresql://warden:hunter2@127.0.0.1:1/none")
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot open --to postgresql://warden:***@127.0.0.1:1/none", r.stderr)
        self.assertNotIn("hunter2", r.stderr)


if __name__ == "__main__":
    unittest.main()
