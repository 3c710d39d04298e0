"""Every endpoint of issue 4 against the real wardend: statuses, bodies and headers of SPEC §3."""
import time
import unittest

import jwt  # Debian python3-jwt (PyJWT)

from wardend import FAST_HASHING, Wardend, WardendTestCase


class register(WardendTestCase):
    def test_creates_a_user_and_returns_it_without_the_hash(self):
        email = self.unique_email()
        r = self.server.post("/api/auth/register", json={"email": email, "password": "correct horse",
                                                         "full_name": "Jo Doe"})
        self.assertEqual(r.status_code, 201)
        body = r.json()
        self.assertEqual(set(body), {"id", "email", "full_name", "is_active", "is_verified", "scopes",
                                     "created_at"})
        self.assertIs(body["is_verified"], False)
        self.assertEqual(body["email"], email)
        self.assertEqual(body["full_name"], "Jo Doe")
        self.assertTrue(body["is_active"])
        self.assertEqual(body["scopes"], [])
        self.assertRegex(body["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertNotIn("correct horse", r.text)

    def test_duplicate_email_is_409_in_any_letter_case(self):
        email = self.unique_email("dup")
        self.server.register(email)
        for variant in (email, email.upper(), email.capitalize()):
            r = self.server.post("/api/auth/register", json={"email": variant, "password": "another pass"})
            self.assertEqual(r.status_code, 409, variant)
            self.assertEqual(r.json(), {"detail": "Email already registered"})

    def test_missing_fields_are_422_fastapi_shaped(self):
        r = self.server.post("/api/auth/register", json={})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["detail"], [
            {"type": "missing", "loc": ["body", "email"], "msg": "Field required", "input": None},
            {"type": "missing", "loc": ["body", "password"], "msg": "Field required", "input": None},
        ])

    def test_invalid_values_are_422(self):
        cases = [
            ({"email": "not-an-email", "password": "correct horse"}, "email", "value_error"),
            ({"email": 42, "password": "correct horse"}, "email", "string_type"),
            ({"email": self.unique_email(), "password": "short"}, "password", "string_too_short"),
            ({"email": self.unique_email(), "password": "x" * 1025}, "password", "string_too_long"),
            ({"email": self.unique_email(), "password": "has\u0000nul inside"}, "password", "value_error"),
            ({"email": self.unique_email(), "password": "correct horse", "is_admin": True}, "is_admin",
             "extra_forbidden"),
        ]
        for body, field, kind in cases:
            r = self.server.post("/api/auth/register", json=body)
            self.assertEqual(r.status_code, 422, body)
            errors = r.json()["detail"]
            self.assertIn(["body", field], [e["loc"] for e in errors], body)
            self.assertIn(kind, [e["type"] for e in errors], body)
            self.assertNotIn("correct horse", r.text)

    def test_malformed_bodies_are_rejected_and_leave_no_user(self):
        email = self.unique_email("bad")
        bad = [
            ('{"email": "%s", "password": "correct horse"' % email, "application/json", 422),
            ('{"email": "%s", "email": "x@y.z", "password": "correct horse"}' % email, "application/json", 422),
            (b'{"email": "\xff@x.com", "password": "correct horse"}', "application/json", 422),
            ('["not", "an", "object"]', "application/json", 422),
            ('email=%s&password=correct+horse' % email, "application/x-www-form-urlencoded", 415),
        ]
        for body, content_type, status in bad:
            r = self.server.post("/api/auth/register", data=body, headers={"Content-Type": content_type})
            self.assertEqual(r.status_code, status, body)
        self.assertEqual(self.server.login(email).status_code, 401)


class login(WardendTestCase):
    def setUp(self):
        self.email = self.unique_email("login")
        self.server.register(self.email)

    def test_password_grant_returns_a_bearer_token_not_cached(self):
        r = self.server.login(self.email)
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["token_type"], "bearer")
        self.assertEqual(body["expires_in"], 1800)
        self.assertTrue(body["access_token"].count(".") == 2)
        self.assertGreaterEqual(len(body["refresh_token"]), 43)
        self.assertEqual(body["scope"], "")
        self.assertEqual(r.headers["Cache-Control"], "no-store")
        self.assertEqual(r.headers["Pragma"], "no-cache")

    def test_email_matches_case_insensitively(self):
        self.assertEqual(self.server.login(self.email.upper()).status_code, 200)

    def test_wrong_password_and_unknown_email_get_the_same_401(self):
        wrong = self.server.login(self.email, "wrong password")
        unknown = self.server.login("nobody." + self.email, "correct horse")
        for r in (wrong, unknown):
            self.assertEqual(r.status_code, 401)
            self.assertEqual(r.headers["WWW-Authenticate"], "Bearer")
            self.assertEqual(r.json()["detail"], "Incorrect email or password")
            self.assertEqual(r.json()["error"], "invalid_grant")
        self.assertEqual(wrong.json(), unknown.json())

    def test_missing_form_fields_are_422(self):
        r = self.server.post("/api/auth/login", data={"username": self.email})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["detail"], [
            {"type": "missing", "loc": ["body", "password"], "msg": "Field required", "input": None}])
        r = self.server.post("/api/auth/login", data={})
        self.assertEqual([e["loc"] for e in r.json()["detail"]], [["body", "username"], ["body", "password"]])

    def test_other_grant_types_are_400(self):
        # client_credentials is a registered client's grant (test_clients.py).
        for grant in ("authorization_code", "urn:ietf:params:oauth:grant-type:device_code", "PASSWORD"):
            r = self.server.login(self.email, grant_type=grant)
            self.assertEqual(r.status_code, 400)
            self.assertEqual(r.json()["error"], "unsupported_grant_type")

    def test_json_login_is_415(self):
        r = self.server.post("/api/auth/login", json={"username": self.email, "password": "correct horse"})
        self.assertEqual(r.status_code, 415)

    def test_repeated_form_fields_are_400(self):
        r = self.server.post("/api/auth/login", data="username=a%40b.c&username=d%40e.f&password=x",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status_code, 400)


class current_user(WardendTestCase):
    def setUp(self):
        self.email = self.unique_email("me")
        self.user = self.server.register(self.email, full_name="Me Myself")
        self.access = self.server.token(self.email)["access_token"]

    def secret(self):
        with open(f"{self.server.data_dir}/secret.key") as f:
            return f.read().strip()

    def test_returns_the_user(self):
        r = self.server.get("/api/users/me", token=self.access)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json(), self.user)

    def test_scheme_is_case_insensitive(self):
        r = self.server.get("/api/users/me", headers={"Authorization": "bearer " + self.access})
        self.assertEqual(r.status_code, 200)

    def test_missing_header_is_401_not_authenticated(self):
        for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer"},
                        {"Authorization": "Bearer "}):
            r = self.server.get("/api/users/me", headers=headers)
            self.assertEqual(r.status_code, 401, headers)
            self.assertEqual(r.json(), {"detail": "Not authenticated"})
            self.assertEqual(r.headers["WWW-Authenticate"], "Bearer")

    def assert_invalid_token(self, token):
        r = self.server.get("/api/users/me", token=token)
        self.assertEqual(r.status_code, 401, token)
        self.assertEqual(r.json(), {"detail": "Could not validate credentials"})
        self.assertEqual(r.headers["WWW-Authenticate"], 'Bearer error="invalid_token"')

    def test_garbage_tokens_are_401_invalid_token(self):
        for token in ("garbage", "a.b.c", self.access + "x", self.access[:-2], "e30.e30.", "x" * 9000):
            self.assert_invalid_token(token)

    def test_expired_token_is_rejected(self):
        past = int(time.time()) - 3600
        token = jwt.encode({"sub": str(self.user["id"]), "exp": past}, self.secret(), algorithm="HS256")
        self.assert_invalid_token(token)

    def test_wrong_signature_is_rejected(self):
        token = jwt.encode({"sub": str(self.user["id"]), "exp": int(time.time()) + 600}, "x" * 64,
                           algorithm="HS256")
        self.assert_invalid_token(token)

    def test_alg_none_and_other_algorithms_are_rejected(self):
        claims = {"sub": str(self.user["id"]), "exp": int(time.time()) + 600}
        self.assert_invalid_token(jwt.encode(claims, None, algorithm="none"))
        self.assert_invalid_token(jwt.encode(claims, self.secret(), algorithm="HS512"))

    def test_token_minted_by_pyjwt_with_the_secret_is_accepted(self):
        token = jwt.encode({"sub": str(self.user["id"]), "exp": int(time.time()) + 600}, self.secret(),
                           algorithm="HS256")
        r = self.server.get("/api/users/me", token=token)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["id"], self.user["id"])

    def test_our_token_decodes_in_pyjwt(self):
        claims = jwt.decode(self.access, self.secret(), algorithms=["HS256"])
        self.assertEqual(claims["sub"], str(self.user["id"]))
        self.assertEqual(set(claims) >= {"sub", "exp", "iat", "jti", "scope"}, True)
        self.assertAlmostEqual(claims["exp"] - claims["iat"], 1800, delta=1)

    def test_sub_must_name_an_existing_user(self):
        for sub in ("999999999", "0", "-1", "abc", "01", " 1"):
            token = jwt.encode({"sub": sub, "exp": int(time.time()) + 600}, self.secret(), algorithm="HS256")
            self.assert_invalid_token(token)
        token = jwt.encode({"exp": int(time.time()) + 600}, self.secret(), algorithm="HS256")
        self.assert_invalid_token(token)

    def test_patch_changes_name_and_email(self):
        new_email = self.unique_email("renamed")
        r = self.server.patch("/api/users/me", token=self.access, json={"full_name": "New Name", "email": new_email})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["full_name"], "New Name")
        self.assertEqual(r.json()["email"], new_email)
        self.assertEqual(self.server.get("/api/users/me", token=self.access).json()["email"], new_email)
        self.assertEqual(self.server.login(new_email).status_code, 200)

    def test_patch_to_a_taken_email_is_409(self):
        other = self.unique_email("taken")
        self.server.register(other)
        r = self.server.patch("/api/users/me", token=self.access, json={"email": other.upper()})
        self.assertEqual(r.status_code, 409)
        self.assertEqual(self.server.get("/api/users/me", token=self.access).json()["email"], self.email)

    def test_patch_rejects_invalid_and_privileged_fields(self):
        for body in ({"email": "nope"}, {"full_name": 3}, {"is_active": False}, {"scopes": ["admin"]}):
            r = self.server.patch("/api/users/me", token=self.access, json=body)
            self.assertEqual(r.status_code, 422, body)
        me = self.server.get("/api/users/me", token=self.access).json()
        self.assertEqual(me["scopes"], [])
        self.assertTrue(me["is_active"])

    def test_password_change(self):
        wrong = self.server.post("/api/users/me/password", token=self.access,
                                 json={"current_password": "not it", "new_password": "brand new pass"})
        self.assertEqual(wrong.status_code, 400)
        self.assertEqual(wrong.json(), {"detail": "Incorrect current password"})
        weak = self.server.post("/api/users/me/password", token=self.access,
                                json={"current_password": "correct horse", "new_password": "short"})
        self.assertEqual(weak.status_code, 422)
        ok = self.server.post("/api/users/me/password", token=self.access,
                              json={"current_password": "correct horse", "new_password": "brand new pass"})
        self.assertEqual(ok.status_code, 204)
        self.assertEqual(self.server.login(self.email).status_code, 401)
        self.assertEqual(self.server.login(self.email, "brand new pass").status_code, 200)
        # The caller's own session stays valid.
        self.assertEqual(self.server.get("/api/users/me", token=self.access).status_code, 200)


class health(WardendTestCase):
    def test_liveness_and_readiness(self):
        self.assertEqual(self.server.get("/healthz").json(), {"status": "ok"})
        r = self.server.get("/readyz")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json(), {"status": "ready"})

    def test_unknown_path_and_method(self):
        r = self.server.get("/nope")
        self.assertEqual((r.status_code, r.json()), (404, {"detail": "Not Found"}))
        r = self.server.delete("/api/auth/login")
        self.assertEqual(r.status_code, 405)
        self.assertEqual(r.headers["Allow"], "POST")

    def test_jwks_is_empty_with_hs256(self):
        self.assertEqual(self.server.get("/.well-known/jwks.json").json(), {"keys": []})


class admin_effects(WardendTestCase):
    """Deleted and inactive users, through the admin API (every user here is an admin)."""
    wardend_args = ["--default-scopes", "admin"]

    def test_deleted_user_token_is_401(self):
        email = self.unique_email("gone")
        user = self.server.register(email)
        access = self.server.token(email)["access_token"]
        self.assertEqual(self.server.delete(f"/api/users/{user['id']}", token=access).status_code, 204)
        r = self.server.get("/api/users/me", token=access)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.json(), {"detail": "Could not validate credentials"})

    def test_inactive_user_is_400_on_login_and_on_requests(self):
        admin_email = self.unique_email("admin")
        self.server.register(admin_email)
        admin = self.server.token(admin_email)["access_token"]
        email = self.unique_email("sleepy")
        user = self.server.register(email)
        access = self.server.token(email)["access_token"]
        r = self.server.patch(f"/api/users/{user['id']}", token=admin, json={"is_active": False})
        self.assertEqual(r.status_code, 200)
        self.assertFalse(r.json()["is_active"])
        login = self.server.login(email)
        self.assertEqual((login.status_code, login.json()), (400, {"detail": "Inactive user"}))
        # While inactive: 400, as FastAPI's get_current_active_user. Deactivation revoked the
        # sessions; reactivating does not bring old tokens back.
        r = self.server.get("/api/users/me", token=access)
        self.assertEqual((r.status_code, r.json()), (400, {"detail": "Inactive user"}))
        self.server.patch(f"/api/users/{user['id']}", token=admin, json={"is_active": True})
        self.assertEqual(self.server.get("/api/users/me", token=access).status_code, 401)
        self.assertEqual(self.server.login(email).status_code, 200)


class startup(unittest.TestCase):
    def test_first_start_generates_a_private_secret_and_says_so(self):
        with Wardend(*FAST_HASHING) as server:
            import os
            import stat
            path = f"{server.data_dir}/secret.key"
            self.assertTrue(os.path.exists(path))
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
            with open(path) as f:
                self.assertEqual(len(f.read().strip()), 64)
        self.assertIn("secret", server.stderr())

    def test_short_secret_is_refused(self):
        server = Wardend("--secret-key", "too short").start(expect_failure=True)
        self.assertEqual(server.process.wait(timeout=20), 2)
        server.cleanup()

    def test_unwritable_data_dir_is_a_clear_error(self):
        server = Wardend(data_dir="/proc/warden-cannot-exist").start(expect_failure=True)
        self.assertEqual(server.process.wait(timeout=20), 1)
        self.assertIn("data directory", server.process.stderr.read() + server.stderr())

    def test_help_documents_the_settings(self):
        import subprocess
        from wardend import WARDEND
        out = subprocess.run([WARDEND, "--help"], capture_output=True, text=True, timeout=20)
        self.assertEqual(out.returncode, 0)
        for flag in ("--listen", "--data-dir", "--database", "--secret-key", "--algorithm",
                     "--access-token-ttl", "--password-scheme", "WARDEN_LISTEN"):
            self.assertIn(flag, out.stdout)


if __name__ == "__main__":
    unittest.main()
