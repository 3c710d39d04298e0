"""Issue 5 against the real wardend: refresh rotation and reuse detection, logout, RFC 7009
revocation, session kills, scopes and insufficient_scope, the admin API, closed registration,
brute-force lockout, and a real OAuth2 client library driving the flow."""
import http.client
import os
import threading
import urllib.parse
import time
import unittest

import jwt

from wardend import FAST_HASHING, Wardend, WardendTestCase


class refresh_tokens(WardendTestCase):
    def setUp(self):
        self.email = self.unique_email("refresh")
        self.server.register(self.email)

    def refresh(self, token, **form):
        return self.server.post("/api/auth/login", data={"grant_type": "refresh_token", "refresh_token": token,
                                                         **form})

    def me(self, access):
        return self.server.get("/api/users/me", token=access)

    def test_full_refresh_chain(self):
        tokens = self.server.token(self.email)
        seen = {tokens["refresh_token"]}
        for _ in range(5):
            r = self.refresh(tokens["refresh_token"])
            self.assertEqual(r.status_code, 200, r.text)
            self.assertEqual(r.headers["Cache-Control"], "no-store")
            tokens = r.json()
            self.assertNotIn(tokens["refresh_token"], seen)
            seen.add(tokens["refresh_token"])
            self.assertEqual(self.me(tokens["access_token"]).status_code, 200)

    def test_reuse_revokes_the_whole_family(self):
        first = self.server.token(self.email)
        second = self.refresh(first["refresh_token"]).json()
        third = self.refresh(second["refresh_token"]).json()
        reused = self.refresh(first["refresh_token"])
        self.assertEqual(reused.status_code, 400)
        self.assertEqual(reused.json()["error"], "invalid_grant")
        self.assertIn("error_description", reused.json())
        # The newest refresh token and the access tokens of the family are dead too.
        self.assertEqual(self.refresh(third["refresh_token"]).json()["error"], "invalid_grant")
        for access in (first["access_token"], second["access_token"], third["access_token"]):
            self.assertEqual(self.me(access).status_code, 401)
        # Other sessions of the same user are untouched.
        other = self.server.token(self.email)
        self.assertEqual(self.me(other["access_token"]).status_code, 200)

    def test_concurrent_refresh_has_exactly_one_winner(self):
        token = self.server.token(self.email)["refresh_token"]
        results = []
        barrier = threading.Barrier(8)

        def race():
            barrier.wait()
            results.append(self.refresh(token))

        threads = [threading.Thread(target=race) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r.status_code for r in results)
        self.assertEqual(statuses, [200] + [400] * 7)
        for r in results:
            if r.status_code == 400:
                self.assertEqual(r.json()["error"], "invalid_grant")

    def test_bad_refresh_tokens_are_invalid_grant(self):
        for token in ("unknown-token", "x" * 500, "%00", "a b"):
            r = self.refresh(token)
            self.assertEqual(r.status_code, 400, token)
            self.assertEqual(r.json()["error"], "invalid_grant")
        r = self.server.post("/api/auth/login", data={"grant_type": "refresh_token"})
        self.assertEqual(r.status_code, 422)

    def test_access_token_is_not_a_refresh_token(self):
        access = self.server.token(self.email)["access_token"]
        self.assertEqual(self.refresh(access).json()["error"], "invalid_grant")

    def test_logout_revokes_the_session(self):
        tokens = self.server.token(self.email)
        r = self.server.post("/api/auth/logout", token=tokens["access_token"])
        self.assertEqual(r.status_code, 204)
        self.assertEqual(self.me(tokens["access_token"]).status_code, 401)
        self.assertEqual(self.refresh(tokens["refresh_token"]).json()["error"], "invalid_grant")
        self.assertEqual(self.server.post("/api/auth/logout").status_code, 401)

    def test_password_change_kills_other_sessions_only(self):
        mine = self.server.token(self.email)
        other = self.server.token(self.email)
        r = self.server.post("/api/users/me/password", token=mine["access_token"],
                             json={"current_password": "correct horse", "new_password": "new password 1"})
        self.assertEqual(r.status_code, 204)
        self.assertEqual(self.me(other["access_token"]).status_code, 401)
        self.assertEqual(self.refresh(other["refresh_token"]).json()["error"], "invalid_grant")
        self.assertEqual(self.me(mine["access_token"]).status_code, 200)
        self.assertEqual(self.refresh(mine["refresh_token"]).status_code, 200)


class revocation(WardendTestCase):
    def setUp(self):
        self.email = self.unique_email("revoke")
        self.server.register(self.email)

    def revoke(self, token, hint=None):
        form = {"token": token}
        if hint:
            form["token_type_hint"] = hint
        return self.server.post("/api/auth/revoke", data=form)

    def test_revoking_a_refresh_token_ends_its_family(self):
        tokens = self.server.token(self.email)
        r = self.revoke(tokens["refresh_token"], "refresh_token")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.text, "")
        again = self.server.post("/api/auth/login", data={"grant_type": "refresh_token",
                                                          "refresh_token": tokens["refresh_token"]})
        self.assertEqual(again.status_code, 400)
        self.assertEqual(self.server.get("/api/users/me", token=tokens["access_token"]).status_code, 401)

    def test_revoking_an_access_token(self):
        tokens = self.server.token(self.email)
        self.assertEqual(self.revoke(tokens["access_token"]).status_code, 200)
        self.assertEqual(self.server.get("/api/users/me", token=tokens["access_token"]).status_code, 401)

    def test_garbage_unknown_and_repeated_revocations_are_200(self):
        tokens = self.server.token(self.email)
        for token, hint in (("garbage", None), ("garbage", "access_token"), ("", None),
                            (tokens["refresh_token"], "access_token"), (tokens["refresh_token"], None),
                            (tokens["refresh_token"], "unknown_hint")):
            r = self.server.post("/api/auth/revoke", data={"token": token, **({"token_type_hint": hint} if hint else {})})
            self.assertIn(r.status_code, (200, 422), token)
        self.assertEqual(self.revoke("definitely-not-a-token").status_code, 200)
        self.assertEqual(self.server.post("/api/auth/revoke", data={}).status_code, 422)


class scopes_and_admin(WardendTestCase):
    """Every user registered here starts with the `admin` scope; tests demote as needed."""
    wardend_args = ["--default-scopes", "admin"]

    def setUp(self):
        email = self.unique_email("root")
        self.server.register(email)
        self.admin = self.server.token(email)["access_token"]

    def make_user(self, scopes):
        email = self.unique_email("scoped")
        user = self.server.register(email)
        r = self.server.patch(f"/api/users/{user['id']}", token=self.admin, json={"scopes": scopes})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["scopes"], sorted(set(scopes)))
        return email, user

    def test_scope_subset_superset_and_absent(self):
        email, _ = self.make_user(["read", "write"])
        absent = self.server.token(email)
        self.assertEqual(absent["scope"], "read write")
        subset = self.server.token(email, scope="read")
        self.assertEqual(subset["scope"], "read")
        claims = jwt.decode(subset["access_token"], options={"verify_signature": False})
        self.assertEqual(claims["scope"], "read")
        superset = self.server.login(email, scope="read admin")
        self.assertEqual(superset.status_code, 400)
        self.assertEqual(superset.json()["error"], "invalid_scope")

    def test_refresh_narrows_but_never_widens(self):
        email, _ = self.make_user(["read", "write"])
        tokens = self.server.token(email)
        wider = self.server.post("/api/auth/login", data={"grant_type": "refresh_token",
                                                          "refresh_token": tokens["refresh_token"], "scope": "admin"})
        self.assertEqual(wider.json()["error"], "invalid_scope")
        narrower = self.server.post("/api/auth/login", data={"grant_type": "refresh_token",
                                                             "refresh_token": tokens["refresh_token"], "scope": "read"})
        self.assertEqual(narrower.status_code, 200)
        self.assertEqual(narrower.json()["scope"], "read")

    def test_non_admin_gets_403_with_the_scope_challenge(self):
        email, _ = self.make_user(["read"])
        access = self.server.token(email)["access_token"]
        for method, path in (("get", "/api/users"), ("get", "/api/users/1"), ("patch", "/api/users/1"),
                             ("delete", "/api/users/1")):
            r = getattr(self.server, method)(path, token=access, **({"json": {}} if method == "patch" else {}))
            self.assertEqual(r.status_code, 403, path)
            self.assertEqual(r.json(), {"detail": "Not enough permissions"})
            self.assertEqual(r.headers["WWW-Authenticate"], 'Bearer error="insufficient_scope", scope="admin"')

    def test_admin_token_without_the_admin_scope_requested_is_refused(self):
        email, _ = self.make_user(["admin", "read"])
        access = self.server.token(email, scope="read")["access_token"]
        self.assertEqual(self.server.get("/api/users", token=access).status_code, 403)

    def test_demoted_admin_loses_access_at_once(self):
        email, user = self.make_user(["admin"])
        access = self.server.token(email)["access_token"]
        self.assertEqual(self.server.get("/api/users", token=access).status_code, 200)
        self.server.patch(f"/api/users/{user['id']}", token=self.admin, json={"scopes": []})
        self.assertEqual(self.server.get("/api/users", token=access).status_code, 403)

    def test_admin_crud_with_pagination(self):
        created = [self.make_user(["read"])[1] for _ in range(3)]
        first = self.server.get("/api/users?limit=2&offset=0", token=self.admin).json()
        self.assertEqual(set(first), {"items", "total", "limit", "offset"})
        self.assertEqual((first["limit"], first["offset"], len(first["items"])), (2, 0, 2))
        total = first["total"]
        self.assertGreaterEqual(total, 4)
        everyone = self.server.get(f"/api/users?limit=500", token=self.admin).json()
        self.assertEqual(len(everyone["items"]), total)
        ids = [u["id"] for u in everyone["items"]]
        self.assertEqual(ids, sorted(ids))
        last = self.server.get(f"/api/users?limit=2&offset={total - 1}", token=self.admin).json()
        self.assertEqual(len(last["items"]), 1)
        for bad in ("limit=0", "limit=501", "limit=abc", "offset=-1", "limit=1.5"):
            self.assertEqual(self.server.get(f"/api/users?{bad}", token=self.admin).status_code, 422, bad)

        target = created[0]
        r = self.server.get(f"/api/users/{target['id']}", token=self.admin)
        self.assertEqual(r.json(), {**target, "scopes": ["read"]})
        r = self.server.patch(f"/api/users/{target['id']}", token=self.admin,
                              json={"full_name": "Renamed", "email": "Renamed." + target["email"]})
        self.assertEqual((r.status_code, r.json()["full_name"]), (200, "Renamed"))
        self.assertEqual(self.server.patch(f"/api/users/{target['id']}", token=self.admin,
                                           json={"is_active": "no"}).status_code, 422)
        self.assertEqual(self.server.patch(f"/api/users/{target['id']}", token=self.admin,
                                           json={"scopes": ["bad scope"]}).status_code, 422)
        self.assertEqual(self.server.delete(f"/api/users/{target['id']}", token=self.admin).status_code, 204)
        for method in ("get", "delete"):
            r = getattr(self.server, method)(f"/api/users/{target['id']}", token=self.admin)
            self.assertEqual((r.status_code, r.json()), (404, {"detail": "User not found"}))
        self.assertEqual(self.server.patch(f"/api/users/{target['id']}", token=self.admin, json={}).status_code, 404)
        # {id} matches positive integers only: anything else is no route at all.
        for bad_id in ("abc", "0", "-1", "1.0"):
            r = self.server.get(f"/api/users/{bad_id}", token=self.admin)
            self.assertEqual((r.status_code, r.json()), (404, {"detail": "Not Found"}), bad_id)

    def test_deactivation_kills_sessions(self):
        email, user = self.make_user([])
        tokens = self.server.token(email)
        self.server.patch(f"/api/users/{user['id']}", token=self.admin, json={"is_active": False})
        refreshed = self.server.post("/api/auth/login", data={"grant_type": "refresh_token",
                                                              "refresh_token": tokens["refresh_token"]})
        self.assertEqual(refreshed.json()["error"], "invalid_grant")
        self.assertNotEqual(self.server.get("/api/users/me", token=tokens["access_token"]).status_code, 200)


class closed_registration(WardendTestCase):
    wardend_args = ["--registration", "closed"]

    def test_register_is_403(self):
        r = self.server.post("/api/auth/register", json={"email": "a@b.co", "password": "correct horse"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(r.json(), {"detail": "Registration is closed"})


def login_from(server, address, email, password):
    """A login from a given loopback source address (127.0.0.0/8 all reach the server)."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30, source_address=(address, 0))
    body = urllib.parse.urlencode({"username": email, "password": password})
    conn.request("POST", "/api/auth/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    r = conn.getresponse()
    result = (r.status, r.getheader("Retry-After"), r.read())
    conn.close()
    return result


class lockout(unittest.TestCase):
    args = (*FAST_HASHING, "--login-max-failures", "3", "--login-lockout", "60s")

    def test_account_locks_after_n_failures_from_anywhere(self):
        with Wardend(*self.args) as server:
            server.register("known@example.com")
            for i in range(3):
                self.assertEqual(login_from(server, f"127.0.1.{i}", "known@example.com", "wrong")[0], 401)
            status, retry_after, body = login_from(server, "127.0.1.9", "known@example.com", "correct horse")
            self.assertEqual(status, 429)
            self.assertTrue(0 < int(retry_after) <= 60)
            self.assertIn(b"detail", body)
            # Another account from the same addresses is not affected.
            server.register("other@example.com")
            self.assertEqual(login_from(server, "127.0.1.9", "other@example.com", "correct horse")[0], 200)

    def test_unknown_emails_lock_exactly_like_known_ones(self):
        with Wardend(*self.args) as server:
            for i in range(3):
                self.assertEqual(login_from(server, f"127.0.2.{i}", "ghost@example.com", "wrong")[0], 401)
            status, retry_after, _ = login_from(server, "127.0.2.9", "ghost@example.com", "anything")
            self.assertEqual(status, 429)
            self.assertTrue(0 < int(retry_after) <= 60)

    def test_address_locks_after_n_failures_on_any_accounts(self):
        with Wardend(*self.args) as server:
            server.register("victim@example.com")
            for i in range(3):
                self.assertEqual(login_from(server, "127.0.3.1", f"guess{i}@example.com", "wrong")[0], 401)
            self.assertEqual(login_from(server, "127.0.3.1", "victim@example.com", "correct horse")[0], 429)
            self.assertEqual(login_from(server, "127.0.3.2", "victim@example.com", "correct horse")[0], 200)

    def test_success_resets_the_account_counter(self):
        with Wardend(*self.args) as server:
            server.register("reset@example.com")
            for i in range(2):
                self.assertEqual(login_from(server, f"127.0.4.{i}", "reset@example.com", "wrong")[0], 401)
            self.assertEqual(login_from(server, "127.0.4.5", "reset@example.com", "correct horse")[0], 200)
            for i in range(2):
                self.assertEqual(login_from(server, f"127.0.4.{10 + i}", "reset@example.com", "wrong")[0], 401)
            self.assertEqual(login_from(server, "127.0.4.20", "reset@example.com", "correct horse")[0], 200)


class oauth2_client_library(WardendTestCase):
    def test_requests_oauthlib_fetches_uses_and_refreshes(self):
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"  # loopback test server speaks plain HTTP
        from oauthlib.oauth2 import LegacyApplicationClient
        from requests_oauthlib import OAuth2Session

        email = self.unique_email("oauthlib")
        self.server.register(email)
        token_url = self.server.url + "/api/auth/login"
        session = OAuth2Session(client=LegacyApplicationClient(client_id="warden-e2e"))
        token = session.fetch_token(token_url=token_url, username=email, password="correct horse",
                                    include_client_id=True)
        self.assertEqual(token["token_type"].lower(), "bearer")
        me = session.get(self.server.url + "/api/users/me")
        self.assertEqual(me.status_code, 200)
        self.assertEqual(me.json()["email"], email)
        refreshed = session.refresh_token(token_url, client_id="warden-e2e", include_client_id=True)
        self.assertNotEqual(refreshed["access_token"], token["access_token"])
        self.assertNotEqual(refreshed["refresh_token"], token["refresh_token"])
        self.assertEqual(session.get(self.server.url + "/api/users/me").status_code, 200)


if __name__ == "__main__":
    unittest.main()
