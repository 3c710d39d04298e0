"""--trusted-proxy: only a trusted peer may name the client (X-Forwarded-For, Forwarded), and the
per-address login lockout and the access log follow that client address. Every other peer's
forwarding headers are ignored: a client cannot pick an address to escape the lockout.

Connections leave from chosen loopback addresses (all of 127.0.0.0/8 reach the server), so one
server sees both a trusted proxy (127.0.0.1) and untrusted clients (127.0.5.x).
"""
import collections
import http.client
import re
import time
import unittest
import urllib.parse

from wardend import FAST_HASHING, Wardend

LOCKOUT = ("--login-max-failures", "3", "--login-lockout", "60s")


def failed_login(server, email, source="127.0.0.1", headers=None):
    """A login with a wrong password from `source`, with extra request headers; its status."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30, source_address=(source, 0))
    body = urllib.parse.urlencode({"username": email, "password": "wrong password"})
    conn.request("POST", "/api/auth/login", body,
                 {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.status


def logged_clients(server, count):
    """How often each client address appears in the access log's login lines, once `count` lines
    are in. wardend writes them to stderr, all by the time it exits, each I/O thread its own in
    order (not in order across threads); the harness reads stderr on a thread of its own."""
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in server.stderr().splitlines() if "POST /api/auth/login" in line]
        if len(lines) >= count or time.monotonic() > deadline:
            return collections.Counter(re.search(r"client=(\S+)", line).group(1) for line in lines)
        time.sleep(0.05)


class untrusted_peers(unittest.TestCase):
    def test_a_spoofed_x_forwarded_for_does_not_escape_the_per_address_lockout(self):
        with Wardend(*FAST_HASHING, *LOCKOUT) as server:
            for i in range(3):
                status = failed_login(server, f"guess{i}@example.com",
                                      headers={"X-Forwarded-For": f"203.0.113.{i + 1}"})
                self.assertEqual(status, 401)
            # A fresh account and yet another claimed address: the peer's own counter is full.
            self.assertEqual(failed_login(server, "fresh@example.com",
                                          headers={"X-Forwarded-For": "198.51.100.99"}), 429)
            self.assertEqual(failed_login(server, "fresh@example.com",
                                          headers={"Forwarded": "for=198.51.100.98"}), 429)
            # Another peer address has its own counter.
            self.assertEqual(failed_login(server, "fresh@example.com", source="127.0.5.2"), 401)
        self.assertEqual(logged_clients(server, 6), {"127.0.0.1": 5, "127.0.5.2": 1}, server.stderr())
        self.assertNotIn("203.0.113.", server.stderr())
        self.assertNotIn("198.51.100.", server.stderr())

    def test_a_peer_outside_the_trusted_ranges_is_not_believed(self):
        with Wardend(*FAST_HASHING, *LOCKOUT, "--trusted-proxy", "127.0.0.1") as server:
            for i in range(3):
                status = failed_login(server, f"guess{i}@example.com", source="127.0.5.1",
                                      headers={"X-Forwarded-For": f"203.0.113.{i + 1}"})
                self.assertEqual(status, 401)
            self.assertEqual(failed_login(server, "fresh@example.com", source="127.0.5.1",
                                          headers={"X-Forwarded-For": "198.51.100.99"}), 429)
        self.assertEqual(logged_clients(server, 4), {"127.0.5.1": 4}, server.stderr())


class trusted_proxy(unittest.TestCase):
    def test_each_forwarded_address_has_its_own_counter(self):
        with Wardend(*FAST_HASHING, *LOCKOUT, "--trusted-proxy", "127.0.0.1") as server:
            for i in range(3):
                status = failed_login(server, f"a{i}@example.com",
                                      headers={"X-Forwarded-For": "198.51.100.7"})
                self.assertEqual(status, 401)
            # The same forwarded address is locked, whatever the account.
            self.assertEqual(failed_login(server, "fresh@example.com",
                                          headers={"X-Forwarded-For": "198.51.100.7"}), 429)
            # Addresses the client writes left of it change nothing: the proxy appended .7.
            self.assertEqual(failed_login(server, "fresh@example.com",
                                          headers={"X-Forwarded-For": "203.0.113.1, 198.51.100.7"}), 429)
            # Another client behind the same proxy, and the proxy itself, are not locked.
            self.assertEqual(failed_login(server, "fresh@example.com",
                                          headers={"X-Forwarded-For": "198.51.100.8"}), 401)
            self.assertEqual(failed_login(server, "fresh2@example.com"), 401)
        self.assertEqual(logged_clients(server, 7),
                         {"198.51.100.7": 5, "198.51.100.8": 1, "127.0.0.1": 1}, server.stderr())
        self.assertNotIn("203.0.113.1", server.stderr())

    def test_forwarded_ipv6_and_x_forwarded_for_name_the_same_client(self):
        with Wardend(*FAST_HASHING, *LOCKOUT, "--trusted-proxy", "127.0.0.0/8") as server:
            headers = {"Forwarded": 'for="[2001:db8::7]:4711";proto=https'}
            for i in range(3):
                self.assertEqual(failed_login(server, f"v6-{i}@example.com", headers=headers), 401)
            # Canonical form: the address written another way is the same counter.
            self.assertEqual(failed_login(server, "fresh@example.com",
                                          headers={"X-Forwarded-For": "2001:DB8:0::7"}), 429)
            # A proxy chain: 127.0.0.5 is trusted too, so the client is the hop left of it.
            self.assertEqual(failed_login(server, "fresh@example.com", source="127.0.0.9",
                                          headers={"X-Forwarded-For": "2001:db8::7, 127.0.0.5"}), 429)
        self.assertEqual(logged_clients(server, 5), {"2001:db8::7": 5}, server.stderr())

    def test_garbage_in_the_header_counts_against_the_proxy_address(self):
        with Wardend(*FAST_HASHING, *LOCKOUT, "--trusted-proxy", "127.0.0.1") as server:
            for value in ("unknown", "198.51.100.7, not-an-address", "1.2.3.4.5"):
                self.assertEqual(failed_login(server, f"{len(value)}@example.com",
                                              headers={"X-Forwarded-For": value}), 401)
            self.assertEqual(failed_login(server, "fresh@example.com"), 429)
        self.assertEqual(logged_clients(server, 4), {"127.0.0.1": 4}, server.stderr())


if __name__ == "__main__":
    unittest.main()
