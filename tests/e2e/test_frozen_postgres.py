"""Issue 9, a PostgreSQL that stops answering without closing its connections (frozen: every
server process stopped with SIGSTOP, as a hung host or a cut-off network looks to a client).

wardend gives each statement 2 s for its reply and a connection attempt libpq's 2 s: a request that
needs the store is answered 503 {"detail": "Service unavailable"} within about that (never a
hang), also when many wait at once; /readyz turns 503, and once the server runs again the pool
reconnects by itself."""
import os
import signal
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

from test_servers import PostgresServer, require_or_skip
from wardend import FAST_HASHING, Wardend

UNAVAILABLE = {"detail": "Service unavailable"}
ANSWER_WITHIN = 3.0  # seconds: the 2 s reply (or connect) timeout, plus scheduling on a busy CI box


def cluster_pids(server):
    """The postmaster (first line of postmaster.pid) and every process whose parent it is."""
    with open(os.path.join(server.data_dir, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    pids = [postmaster]
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            pids.append(int(entry))
    return pids


class frozen_postgres(unittest.TestCase):
    def setUp(self):
        require_or_skip("postgres", self)
        self.postgres = PostgresServer()
        self.addCleanup(self.postgres.destroy)
        self.postgres.start()
        # --cache-size 0: every /me reads the store, which is what freezes here.
        self.server = Wardend(*FAST_HASHING, "--cache-size", "0", "--database",
                              self.postgres.create_database())
        self.addCleanup(self.server.cleanup)
        self.addCleanup(self.server.stop)
        self.server.start()
        self.server.register("frozen@x.io")
        self.token = self.server.token("frozen@x.io")["access_token"]

    def timed(self, call):
        started = time.monotonic()
        r = call()
        return r, time.monotonic() - started

    def test_a_frozen_server_is_a_503_within_seconds_and_service_resumes_after(self):
        self.assertEqual(self.server.get("/api/users/me", token=self.token).status_code, 200)
        pids = cluster_pids(self.postgres)
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        try:
            for _ in range(3):  # the stuck connection, then connects that get no answer
                r, took = self.timed(lambda: self.server.get("/api/users/me", token=self.token))
                self.assertEqual(r.status_code, 503, r.text)
                self.assertEqual(r.json(), UNAVAILABLE)
                self.assertIn("Retry-After", r.headers)
                self.assertLess(took, ANSWER_WITHIN)
            # Many at once: a breaker refuses the callers behind the one that waits, so no
            # request waits for the others' timeouts in turn.
            with ThreadPoolExecutor(max_workers=8) as pool:
                results = list(pool.map(
                    lambda _: self.timed(lambda: self.server.get("/api/users/me", token=self.token)),
                    range(16)))
            for r, took in results:
                self.assertEqual(r.status_code, 503, r.text)
                self.assertLess(took, ANSWER_WITHIN)
            r, took = self.timed(lambda: self.server.post(
                "/api/auth/register", json={"email": "during@x.io", "password": "correct horse"}))
            self.assertEqual(r.status_code, 503, r.text)
            self.assertLess(took, ANSWER_WITHIN)
            r, took = self.timed(lambda: self.server.get("/readyz"))
            self.assertEqual(r.status_code, 503, r.text)
            self.assertLess(took, ANSWER_WITHIN)
            self.assertEqual(self.server.get("/healthz").status_code, 200)
        finally:
            for pid in pids:
                os.kill(pid, signal.SIGCONT)
        deadline = time.monotonic() + 20
        while self.server.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(self.server.get("/readyz").status_code, 200)
        self.assertEqual(self.server.get("/api/users/me", token=self.token).status_code, 200)
        self.assertEqual(self.server.register("after@x.io")["email"], "after@x.io")
        self.assertIsNone(self.server.process.poll())  # never exited


if __name__ == "__main__":
    unittest.main()
