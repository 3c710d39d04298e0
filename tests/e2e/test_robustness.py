"""Bad input and shutdown against the real wardend: every bad request gets its 4xx, the server
keeps serving, slow clients are dropped, and SIGTERM finishes in-flight requests and exits 0."""
import re
import signal
import socket
import threading
import time
import unittest

import requests

from wardend import FAST_HASHING, Wardend, WardendTestCase, raw_exchange


class bad_input(WardendTestCase):
    def assert_still_serving(self):
        self.assertEqual(self.server.get("/healthz").status_code, 200)

    def test_oversized_headers_are_431(self):
        r = self.server.get("/healthz", headers={"X-Padding": "a" * 20000})
        self.assertEqual(r.status_code, 431)
        self.assert_still_serving()

    def test_oversized_body_is_413(self):
        r = self.server.post("/api/auth/register", data=b"{" + b" " * 70000 + b"}",
                             headers={"Content-Type": "application/json"})
        self.assertEqual(r.status_code, 413)
        self.assert_still_serving()

    def test_oversized_chunked_body_is_413(self):
        def chunks():
            for _ in range(20):
                yield b"x" * 8192
        r = self.server.post("/api/auth/login", data=chunks(),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status_code, 413)
        self.assert_still_serving()

    def test_malformed_http_is_400(self):
        for data in (b"GARBAGE\r\n\r\n", b"GET / HTTP/7.0\r\n\r\n", b"GET /healthz HTTP/1.1\r\nNo-Colon\r\n\r\n",
                     b"POST /api/auth/login HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                     b"POST /api/auth/login HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcde"):
            reply = raw_exchange(self.server, data)
            self.assertTrue(reply.startswith(b"HTTP/1.1 400"), (data, reply[:80]))
        self.assert_still_serving()

    def test_deeply_nested_and_invalid_json_is_422(self):
        for body in (b"[" * 5000 + b"]" * 5000, b'{"email": "a@b.co", "password": "\xc3\x28xxxxxxx"}',
                     b'{"email": "a@b.co", "password": "\\ud800xxxxxxxx"}', b"\x00"):
            r = self.server.post("/api/auth/register", data=body, headers={"Content-Type": "application/json"})
            self.assertEqual(r.status_code, 422, body[:40])
        self.assert_still_serving()

    def test_binary_garbage_in_form_fields_is_rejected_cleanly(self):
        for body in (b"username=%FF%FE&password=%00%00%00%00%00%00%00%00", b"username=a&password=%zz",
                     b"\xff\xfe\xfd"):
            r = self.server.post("/api/auth/login", data=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
            self.assertIn(r.status_code, (400, 401, 422), body)
        self.assert_still_serving()

    def test_pipelined_requests_are_answered_in_order(self):
        reply = raw_exchange(self.server, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                          b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                                          b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", reply)
        self.assertEqual(statuses, [b"200", b"404", b"200"])

    def test_slow_client_is_dropped_and_others_are_served(self):
        host, port = self.server.url.removeprefix("http://").rsplit(":", 1)
        slow = socket.create_connection((host, int(port)), timeout=30)
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        started = time.monotonic()
        for _ in range(5):
            self.assert_still_serving()
        slow.settimeout(30)
        try:
            leftover = slow.recv(1024)  # the header timeout (10 s) closes it without an answer
        except ConnectionResetError:
            leftover = b""
        self.assertEqual(leftover, b"")
        self.assertLess(time.monotonic() - started, 25)
        slow.close()
        self.assert_still_serving()


def server_has_read(server_port, client_port):
    """Whether the server side of a loopback connection exists and has read everything the
    client sent (its receive queue in /proc/net/tcp is empty): the request is in the server."""
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if local_port == server_port and remote_port == client_port:
                return int(fields[4].split(":")[1], 16) == 0
    return False


def wait_until(predicate, timeout=60.0, interval=0.005, what="condition"):
    """Polls `predicate` until it is true; fails after `timeout` (generous: a loaded machine)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class shutdown(unittest.TestCase):
    def test_sigterm_right_after_the_listening_line_is_a_clean_stop(self):
        # The stop signals are held from the start until their handler is installed: a stop that
        # arrives early waits for it instead of killing the process (exit -15).
        for _ in range(5):
            server = Wardend(*FAST_HASHING)
            try:
                server.start()
                self.assertEqual(server.stop(), 0, server.stderr())
            finally:
                server.cleanup()

    def test_sigterm_finishes_in_flight_requests_and_exits_zero(self):
        # Default-cost argon2id makes a login take long enough to be in flight at SIGTERM.
        server = Wardend("--argon2", "m=65536,t=3,p=1").start()
        try:
            server.register("slow@example.com")
            host, port = server.url.removeprefix("http://").rsplit(":", 1)
            body = b"username=slow%40example.com&password=correct+horse"
            client = socket.create_connection((host, int(port)), timeout=60)
            client.sendall(b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n"
                           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            # In flight = wardend has accepted the connection and read the whole request (its
            # side's receive queue is empty); the verification then takes tens of ms or more.
            wait_until(lambda: server_has_read(int(port), client.getsockname()[1]),
                       what="wardend to read the login request")
            server.process.send_signal(signal.SIGTERM)
            reply = b""
            while chunk := client.recv(65536):
                reply += chunk
            client.close()
            self.assertTrue(reply.startswith(b"HTTP/1.1 200 "), reply[:200])
            self.assertEqual(server.process.wait(timeout=30), 0)
            with self.assertRaises(requests.exceptions.ConnectionError):
                requests.get(server.url + "/healthz", timeout=5)
        finally:
            server.cleanup()

    def test_sigint_exits_zero_when_idle(self):
        server = Wardend(*FAST_HASHING).start()
        try:
            self.assertEqual(requests.get(server.url + "/healthz", timeout=5).status_code, 200)
            server.process.send_signal(signal.SIGINT)
            self.assertEqual(server.process.wait(timeout=30), 0)
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
