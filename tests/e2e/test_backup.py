"""`warden db backup FILE` against a running wardend: the copy is consistent and complete while
registrations and logins commit (SQLite's online backup API, issue 9)."""
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import threading
import time
import unittest

from wardend import FAST_HASHING, WARDEN_CLI, Wardend

PASSWORD = "correct horse"


def warden(*args):
    if not WARDEN_CLI:
        raise RuntimeError("WARDEN_CLI is not set: run the e2e tests through ctest")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env["WARDEN_ARGON2"] = "m=7168,t=1,p=1"
    return subprocess.run([WARDEN_CLI, *args], input="", capture_output=True, text=True, env=env,
                          timeout=120)


def emails_in(path):
    db = sqlite3.connect(path)
    try:
        check = db.execute("PRAGMA integrity_check").fetchall()
        emails = {row[0] for row in db.execute("SELECT email FROM users")}
        return check, emails
    finally:
        db.close()


class backup(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Wardend(*FAST_HASHING, "--login-max-failures", "100000")
        cls.server.start()
        cls.work = tempfile.mkdtemp(prefix="warden-e2e-backup-")

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        cls.server.cleanup()
        shutil.rmtree(cls.work, ignore_errors=True)
        assert status == 0, f"wardend exited with {status}: {cls.server.stderr()}"

    def backup(self, target, *extra):
        return warden("--data-dir", self.server.data_dir, "db", "backup", target, *extra)

    def test_a_backup_while_logins_run_opens_and_holds_every_acknowledged_user(self):
        acknowledged = []  # (email, monotonic time of the 201), in order
        errors = []
        stop = threading.Event()
        run_id = time.monotonic_ns()

        def register():
            for i in range(2000):  # bounded; stopped once the backup is done
                if stop.is_set():
                    return
                email = f"b{i}.{run_id}@example.com"
                r = self.server.post("/api/auth/register", json={"email": email, "password": PASSWORD})
                if r.status_code == 201:
                    acknowledged.append((email, time.monotonic()))
                else:
                    errors.append(("register", r.status_code, r.text))

        def log_in():
            for i in range(2000):
                if stop.is_set():
                    return
                if not acknowledged:
                    time.sleep(0.01)
                    continue
                email = acknowledged[i % len(acknowledged)][0]
                r = self.server.login(email, PASSWORD)
                if r.status_code != 200:
                    errors.append(("login", r.status_code, r.text))

        threads = [threading.Thread(target=register), threading.Thread(target=log_in),
                   threading.Thread(target=log_in)]
        for t in threads:
            t.start()
        try:
            deadline = time.monotonic() + 60
            while len(acknowledged) < 30 and time.monotonic() < deadline and not errors:
                time.sleep(0.02)
            self.assertGreaterEqual(len(acknowledged), 30, errors)
            copy = os.path.join(self.work, "during-logins.db")
            started = time.monotonic()
            before = {email for email, at in list(acknowledged) if at < started}
            r = self.backup(copy)
            acknowledged_during = len(acknowledged)
            time.sleep(0.3)  # writes go on after the copy: none of them may break it
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("copied", r.stderr)
        self.assertEqual(errors, [])
        self.assertGreater(len(acknowledged), 30)
        self.assertEqual(stat.S_IMODE(os.stat(copy).st_mode), 0o600)
        self.assertEqual([f for f in os.listdir(self.work) if f.startswith(".")], [])  # no temp file

        check, stored = emails_in(copy)
        self.assertEqual(check, [("ok",)])
        self.assertEqual(before - stored, set(), "acknowledged before the backup, missing in the copy")
        self.assertLessEqual(len(stored), acknowledged_during + 1)

        # The copy is a warden database: the CLI opens it as a store.
        other = os.path.join(self.work, "other-data")
        r = warden("--data-dir", other, "--database", f"sqlite:///{copy}", "user", "list", "--limit", "100000")
        self.assertEqual(r.returncode, 0, r.stderr)
        listed = {json.loads(line)["email"] for line in r.stdout.splitlines() if line.strip()}
        self.assertEqual(listed, stored)

    def test_an_existing_file_is_kept_unless_force(self):
        target = os.path.join(self.work, "existing.db")
        with open(target, "w") as f:
            f.write("keep me")
        r = self.backup(target)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertTrue(r.stderr.startswith("warden: "), r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("--force", r.stderr)
        with open(target) as f:
            self.assertEqual(f.read(), "keep me")

        r = self.backup(target, "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        check, _ = emails_in(target)
        self.assertEqual(check, [("ok",)])

    def test_the_database_itself_postgresql_and_bad_usage_are_refused(self):
        database = os.path.join(self.server.data_dir, "warden.db")
        r = self.backup(database, "--force")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("the database itself", r.stderr)

        r = warden("--database", "postgresql://warden:hunter2@127.0.0.1:1/warden", "db", "backup",
                   os.path.join(self.work, "pg.db"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("PostgreSQL", r.stderr)
        self.assertNotIn("hunter2", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.work, "pg.db")))

        self.assertEqual(warden("db", "backup").returncode, 2)
        self.assertEqual(warden("db").returncode, 2)

    def test_help_documents_the_command(self):
        r = warden("db", "backup", "--help")
        self.assertEqual(r.returncode, 0)
        for word in ("FILE", "--force", "0600", "--database"):
            self.assertIn(word, r.stdout)
        self.assertIn("backup", warden("--help").stdout)


if __name__ == "__main__":
    unittest.main()
