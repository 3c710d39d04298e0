"""Security headers on every response: `X-Content-Type-Options: nosniff` everywhere, and
`Cache-Control: no-store` on every response that did not choose a policy of its own (tokens, user
data, errors; the server's own 404/405/413/431 included), while public documents stay cacheable.
"""
import unittest

from wardend import FAST_HASHING, Wardend, WardendTestCase, raw_exchange


def head_of(raw):
    """The status line and headers of a raw HTTP response, as (status line, {lowercase name: value})."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    fields = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return head[0], fields


class security_headers(WardendTestCase):
    # Every registered user is an admin here, so the admin routes answer 200.
    wardend_args = ["--default-scopes", "admin"]

    def assert_no_store(self, r, what):
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff", what)
        self.assertEqual(r.headers.get("Cache-Control"), "no-store", what)

    def test_user_data_and_tokens_are_not_stored(self):
        email = self.unique_email()
        r = self.server.post("/api/auth/register", json={"email": email, "password": "correct horse"})
        self.assertEqual(r.status_code, 201)
        self.assert_no_store(r, "register")
        user_id = r.json()["id"]
        r = self.server.login(email)
        self.assertEqual(r.status_code, 200)
        self.assert_no_store(r, "login")
        self.assertEqual(r.headers.get("Pragma"), "no-cache")
        token = r.json()["access_token"]
        for method, path, body in (("get", "/api/users/me", None),
                                   ("patch", "/api/users/me", {"full_name": "Ada"}),
                                   ("get", "/api/users", None),
                                   ("get", f"/api/users/{user_id}", None),
                                   ("patch", f"/api/users/{user_id}", {"full_name": "Ada L."})):
            r = getattr(self.server, method)(path, token=token, json=body)
            self.assertEqual(r.status_code, 200, (method, path, r.text))
            self.assert_no_store(r, (method, path))
            self.assertIn(email, r.text)

    def test_errors_of_routes_are_not_stored(self):
        r = self.server.get("/api/users/me")
        self.assertEqual(r.status_code, 401)
        self.assert_no_store(r, "401 without a token")
        r = self.server.post("/api/auth/register", json={"email": "not an email", "password": "x"})
        self.assertEqual(r.status_code, 422)
        self.assert_no_store(r, "422")

    def test_the_servers_own_404_and_405_carry_them(self):
        for path in ("/nowhere", "/api/nowhere"):
            r = self.server.get(path)
            self.assertEqual(r.status_code, 404)
            self.assert_no_store(r, path)
        r = self.server.delete("/api/auth/login")
        self.assertEqual(r.status_code, 405)
        self.assert_no_store(r, "405")

    def test_413_and_431_carry_them(self):
        body = b"x" * (65 * 1024)
        raw = raw_exchange(self.server, b"POST /api/auth/register HTTP/1.1\r\nHost: x\r\n"
                           b"Content-Type: application/json\r\n"
                           + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        status, fields = head_of(raw)
        self.assertTrue(status.startswith("HTTP/1.1 413"), status)
        self.assertEqual(fields.get("x-content-type-options"), "nosniff")
        self.assertEqual(fields.get("cache-control"), "no-store")
        raw = raw_exchange(self.server, b"GET /api/users/me HTTP/1.1\r\nHost: x\r\nX-Big: "
                           + b"a" * (17 * 1024) + b"\r\n\r\n")
        status, fields = head_of(raw)
        self.assertTrue(status.startswith("HTTP/1.1 431"), status)
        self.assertEqual(fields.get("x-content-type-options"), "nosniff")
        self.assertEqual(fields.get("cache-control"), "no-store")

    def test_public_documents_stay_cacheable(self):
        r = self.server.get("/.well-known/jwks.json")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.headers.get("Cache-Control"), "public, max-age=300")
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")
        r = self.server.get("/healthz")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")


class security_headers_over_asymmetric_keys(unittest.TestCase):
    def test_a_jwk_set_with_keys_is_cacheable(self):
        with Wardend(*FAST_HASHING, "--algorithm", "ES256") as server:
            r = server.get("/.well-known/jwks.json")
            self.assertEqual(r.status_code, 200)
            self.assertEqual(len(r.json()["keys"]), 1)
            self.assertEqual(r.headers.get("Cache-Control"), "public, max-age=300")


if __name__ == "__main__":
    unittest.main()
