"""Issue 8, HTTP layer, against the real wardend over raw sockets: request framing (no body is
ever served as a second request), the header limit for the whole head, the access log with
hostile bytes, the bounded 422, and multipart/form-data on the token endpoints."""
import json
import socket
import time
import unittest

import requests

from wardend import FAST_HASHING, Wardend, WardendTestCase, raw_exchange


SMUGGLED = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"


class framing(WardendTestCase):
    def assert_one_400(self, data):
        reply = raw_exchange(self.server, data)
        self.assertTrue(reply.startswith(b"HTTP/1.1 400"), (data[:80], reply[:120]))
        self.assertEqual(reply.count(b"X-Request-Id:"), 1, (data[:80], reply))
        self.assertIn(b"Connection: close", reply)

    def test_transfer_codings_other_than_chunked_alone_are_400_and_close(self):
        for te in (b"identity", b"compress", b"xchunked", b"chunked, identity", b"identity, chunked"):
            self.assert_one_400(b"POST /api/auth/revoke HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                b"application/x-www-form-urlencoded\r\nTransfer-Encoding: " + te +
                                b"\r\n\r\n" + SMUGGLED)

    def test_transfer_encoding_in_http_1_0_is_400_and_closes(self):
        self.assert_one_400(b"POST /api/auth/revoke HTTP/1.0\r\nConnection: keep-alive\r\n"
                            b"Transfer-Encoding: chunked\r\n\r\n7\r\ntoken=x\r\n0\r\n\r\n" + SMUGGLED)

    def test_transfer_encoding_with_content_length_is_400_and_closes(self):
        self.assert_one_400(b"POST /api/auth/revoke HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n"
                            b"Content-Length: %d\r\n\r\n" % len(SMUGGLED) + SMUGGLED)

    def test_http_1_1_needs_one_valid_host(self):
        for head in (b"", b"Host: a\r\nHost: b\r\n", b"Host: lo\x9fost\r\n"):
            self.assert_one_400(b"GET /healthz HTTP/1.1\r\n" + head + b"\r\n")
        self.assertTrue(raw_exchange(self.server, b"GET /healthz HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 200"))

    def test_chunked_still_works(self):
        reply = raw_exchange(self.server, b"POST /api/auth/revoke HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                             b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                             b"7\r\ntoken=x\r\n0\r\n\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 200"), reply[:80])


class header_limit(WardendTestCase):
    def head(self, size):
        out = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        i = 0
        while len(out) < size - 200:
            out += b"X-Pad-%03d: %s\r\n" % (i, b"a" * 85)
            i += 1
        out += b"X-Last: " + b"b" * (size - len(out) - 12) + b"\r\n\r\n"
        assert len(out) == size, len(out)
        return out

    def test_200_headers_of_100_bytes_are_431(self):
        data = self.head(20000)
        self.assertTrue(raw_exchange(self.server, data).startswith(b"HTTP/1.1 431"))
        self.assertTrue(raw_exchange(self.server, data, pieces=1000).startswith(b"HTTP/1.1 431"))

    def test_the_limit_is_16_kib_for_the_request_line_and_headers_to_the_byte(self):
        for pieces in (None, 700, 4000):
            self.assertTrue(raw_exchange(self.server, self.head(16384), pieces=pieces).startswith(b"HTTP/1.1 200"))
            self.assertTrue(raw_exchange(self.server, self.head(16385), pieces=pieces).startswith(b"HTTP/1.1 431"))


class bounded_422(WardendTestCase):
    def test_thousands_of_unknown_keys_get_a_small_fastapi_shaped_422(self):
        body = {"%x" % i: 0 for i in range(6000)}  # ~59 KB with the long email below
        body["email"] = "x" * 5000
        r = self.server.post("/api/auth/register", data=json.dumps(body, separators=(",", ":")),
                             headers={"Content-Type": "application/json"})
        self.assertEqual(r.status_code, 422)
        self.assertLess(len(r.content), 16 * 1024)
        detail = r.json()["detail"]
        self.assertEqual(len(detail), 32)
        for entry in detail:
            self.assertEqual(set(entry), {"type", "loc", "msg", "input"})


class multipart_forms(WardendTestCase):
    def test_login_accepts_multipart_form_data_like_oauth2_password_request_form(self):
        email = self.unique_email()
        self.server.register(email)
        r = self.server.post("/api/auth/login", files={"username": (None, email), "password": (None, "correct horse")})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["token_type"], "bearer")
        wrong = self.server.post("/api/auth/login", files={"username": (None, email), "password": (None, "nope")})
        self.assertEqual(wrong.status_code, 401)

    def test_revoke_accepts_multipart(self):
        r = self.server.post("/api/auth/revoke", files={"token": (None, "not-a-token")})
        self.assertEqual(r.status_code, 200, r.text)

    def test_files_and_broken_multipart_are_400(self):
        r = self.server.post("/api/auth/login", files={"username": ("name.txt", b"a"), "password": (None, "b")})
        self.assertEqual(r.status_code, 400, r.text)
        r = self.server.post("/api/auth/login", data=b"--b\r\nno headers\r\n\r\nx\r\n--b--",
                             headers={"Content-Type": "multipart/form-data; boundary=b"})
        self.assertEqual(r.status_code, 400, r.text)
        r = self.server.post("/api/auth/login", data=b"x", headers={"Content-Type": "multipart/form-data"})
        self.assertEqual(r.status_code, 400, r.text)


class access_log(unittest.TestCase):
    def test_hostile_paths_are_escaped_in_text_and_json_logs(self):
        for fmt in ("json", "text"):
            with self.subTest(fmt=fmt):
                server = Wardend(*FAST_HASHING, "--log-format", fmt)
                server.start()
                try:
                    raw_exchange(server, b"GET /a\xff\x9b31m\\x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    raw_exchange(server, b"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                finally:
                    self.assertEqual(server.stop(), 0)
                    server.cleanup()
                lines = [line for line in server.stderr_lines if "/a" in line]
                self.assertEqual(len(lines), 1, server.stderr())
                line = lines[0].rstrip("\n")
                self.assertTrue(all(0x20 <= ord(c) < 0x7f for c in line), repr(line))
                if fmt == "text":
                    self.assertIn(" /a\\xff\\x9b31m\\x5cx ", line)
                else:
                    self.assertEqual(json.loads(line)["msg"]["path"], "/a\\xff\\x9b31m\\x5cx")


if __name__ == "__main__":
    unittest.main()
