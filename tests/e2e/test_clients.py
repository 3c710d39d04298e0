"""OAuth2 clients against the real wardend and warden (issue 12): `warden client add|list|delete|
rotate-secret`, the client_credentials grant (RFC 6749 §4.4) through requests-oauthlib and authlib
with client_secret_basic and client_secret_post (§2.3.1), the token's claims (PyJWT), the guard's
403 for a client token on user routes, and introspection (RFC 7662) of live, revoked, expired,
refresh, garbage and empty tokens.
"""
import base64
import json
import os
import time
import unittest

import jwt
import requests
from authlib.integrations.requests_client import OAuth2Session as AuthlibSession
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth2Session

from test_cli import cli
from wardend import FAST_HASHING, Wardend, WardendTestCase

# Both libraries refuse plain HTTP unless told: the tests talk to a loopback wardend.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

SECRET = "clients-e2e-secret-0123456789abcdef0123456789"
TOKEN_TTL = 1800


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def add_client(data_dir, client_id, scopes=""):
    r = cli("--data-dir", data_dir, "--secret-key", SECRET, "client", "add", client_id, "--scope", scopes,
            "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


class clients(WardendTestCase):
    wardend_args = ["--secret-key", SECRET]

    _count = 0

    def new_client(self, scopes="read write"):
        clients._count += 1
        client_id = f"svc-{clients._count}.{time.monotonic_ns()}"
        added = add_client(self.server.data_dir, client_id, scopes)
        return client_id, added["client_secret"]

    def token_url(self):
        return self.server.url + "/api/auth/login"

    def grant(self, client_id, secret, **form):
        return self.server.post("/api/auth/login", data={"grant_type": "client_credentials", **form},
                                headers={"Authorization": basic(client_id, secret)})

    def client_token(self, client_id, secret, **form):
        r = self.grant(client_id, secret, **form)
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()["access_token"]

    def introspect(self, token, client=None, **form):
        client = client or self.introspector
        r = self.server.post("/api/auth/introspect", data={"token": token, **form},
                             headers={"Authorization": basic(*client)})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers["Cache-Control"], "no-store")
        return r.json()

    def assert_invalid_client(self, r):
        self.assertEqual(r.status_code, 401, r.text)
        self.assertEqual(r.json()["error"], "invalid_client")
        self.assertNotIn("access_token", r.json())
        self.assertTrue(r.headers["WWW-Authenticate"].startswith("Basic"), r.headers)
        self.assertEqual(r.headers["Cache-Control"], "no-store")

    def setUp(self):
        if not hasattr(clients, "introspector"):
            clients.introspector = self.new_client("")

    # --- the grant

    def test_requests_oauthlib_backend_application_client_with_basic(self):
        client_id, secret = self.new_client("read write")
        with OAuth2Session(client=BackendApplicationClient(client_id=client_id)) as session:
            # client_id and client_secret go as HTTP Basic credentials (client_secret_basic).
            token = session.fetch_token(token_url=self.token_url(), client_id=client_id, client_secret=secret)
        self.assertEqual(token["token_type"].lower(), "bearer")
        self.assertEqual(token["expires_in"], TOKEN_TTL)
        self.assertEqual(token["scope"], ["read", "write"])
        self.assertNotIn("refresh_token", token)

    def test_authlib_with_client_secret_post_and_basic(self):
        client_id, secret = self.new_client("read write")
        for method in ("client_secret_post", "client_secret_basic"):
            with self.subTest(method=method):
                with AuthlibSession(client_id, secret, token_endpoint_auth_method=method, scope="read") as session:
                    token = session.fetch_token(self.token_url(), grant_type="client_credentials")
                self.assertEqual(token["scope"], "read")
                self.assertNotIn("refresh_token", token)
                self.assertTrue(self.introspect(token["access_token"])["active"])

    def test_the_token_names_the_client_and_no_user(self):
        client_id, secret = self.new_client("read write")
        r = self.grant(client_id, secret)
        self.assertEqual(r.headers["Cache-Control"], "no-store")
        body = r.json()
        self.assertEqual(set(body), {"access_token", "token_type", "expires_in", "scope"})
        claims = jwt.decode(body["access_token"], SECRET, algorithms=["HS256"])
        self.assertEqual(claims["sub"], client_id)
        self.assertEqual(claims["client_id"], client_id)
        self.assertEqual(claims["scope"], "read write")
        self.assertEqual(claims["exp"] - claims["iat"], TOKEN_TTL)
        self.assertTrue(claims["jti"])
        self.assertNotIn("sid", claims)
        self.assertNotIn("ver", claims)

    def test_scope_asks_for_a_subset_never_more(self):
        client_id, secret = self.new_client("read write")
        self.assertEqual(self.grant(client_id, secret, scope="write").json()["scope"], "write")
        self.assertEqual(self.grant(client_id, secret, scope="").json()["scope"], "read write")
        for scope in ("admin", "read admin", 'bad"scope'):
            with self.subTest(scope=scope):
                r = self.grant(client_id, secret, scope=scope)
                self.assertEqual(r.status_code, 400, r.text)
                self.assertEqual(r.json()["error"], "invalid_scope")

    def test_bad_client_credentials_are_401_invalid_client(self):
        client_id, secret = self.new_client()
        self.assert_invalid_client(self.grant(client_id, secret[:-1] + ("A" if secret[-1] != "A" else "B")))
        self.assert_invalid_client(self.grant("no-such-client", secret))
        self.assert_invalid_client(self.grant(client_id, ""))
        # client_credentials needs a client: none at all is invalid_client too.
        self.assert_invalid_client(self.server.post("/api/auth/login", data={"grant_type": "client_credentials"}))
        self.assert_invalid_client(self.server.post("/api/auth/login", data={
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": "wrong"}))

    def test_both_authentication_methods_at_once_are_400_invalid_request(self):
        client_id, secret = self.new_client()
        r = self.server.post("/api/auth/login", headers={"Authorization": basic(client_id, secret)},
                             data={"grant_type": "client_credentials", "client_id": client_id,
                                   "client_secret": secret})
        self.assertEqual(r.status_code, 400, r.text)
        self.assertEqual(r.json()["error"], "invalid_request")

    def test_rotated_away_and_deleted_clients_are_refused(self):
        client_id, secret = self.new_client()
        token = self.client_token(client_id, secret)
        r = cli("--data-dir", self.server.data_dir, "client", "rotate-secret", client_id, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        new_secret = json.loads(r.stdout)["client_secret"]
        self.assertNotEqual(new_secret, secret)
        self.assert_invalid_client(self.grant(client_id, secret))
        self.assertEqual(self.grant(client_id, new_secret).status_code, 200)
        self.assertTrue(self.introspect(token)["active"])  # its tokens outlive a new secret
        r = cli("--data-dir", self.server.data_dir, "client", "delete", client_id)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_invalid_client(self.grant(client_id, new_secret))
        self.assertEqual(self.introspect(token), {"active": False})  # not live once its client is gone

    def test_a_client_token_is_refused_on_user_routes_with_403(self):
        client_id, secret = self.new_client("admin")
        token = self.client_token(client_id, secret)
        for path in ("/api/users/me", "/api/users"):
            with self.subTest(path=path):
                r = self.server.get(path, token=token)
                self.assertEqual(r.status_code, 403, r.text)
                self.assertEqual(r.json(), {"detail": "Not enough permissions"})
        self.assertEqual(self.server.post("/api/auth/logout", token=token).status_code, 403)

    def test_password_grant_with_a_registered_client(self):
        # A registered client's credentials are accepted with the password grant too.
        client_id, secret = self.new_client()
        email = self.unique_email("with-client")
        self.server.register(email)
        r = self.server.login(email, headers={"Authorization": basic(client_id, secret)})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertIn("refresh_token", r.json())

    # --- introspection

    def test_introspection_of_a_live_client_token(self):
        client_id, secret = self.new_client("read write")
        token = self.client_token(client_id, secret, scope="read")
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        found = self.introspect(token, token_type_hint="access_token")
        self.assertEqual(found, {"active": True, "scope": "read", "client_id": client_id, "sub": client_id,
                                 "exp": claims["exp"], "iat": claims["iat"], "jti": claims["jti"],
                                 "token_type": "access_token"})

    def test_introspection_with_client_secret_post(self):
        client_id, secret = self.new_client()
        token = self.client_token(client_id, secret)
        r = self.server.post("/api/auth/introspect",
                             data={"token": token, "client_id": client_id, "client_secret": secret})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertTrue(r.json()["active"])

    def test_introspection_of_user_tokens_live_then_revoked_by_logout(self):
        email = self.unique_email("introspected")
        user = self.server.register(email)
        tokens = self.server.token(email, scope="")
        claims = jwt.decode(tokens["access_token"], SECRET, algorithms=["HS256"])
        access = self.introspect(tokens["access_token"])
        self.assertEqual(access, {"active": True, "scope": "", "sub": str(user["id"]), "exp": claims["exp"],
                                  "iat": claims["iat"], "jti": claims["jti"], "token_type": "access_token"})
        refresh = self.introspect(tokens["refresh_token"], token_type_hint="refresh_token")
        self.assertTrue(refresh["active"])
        self.assertEqual(refresh["token_type"], "refresh_token")
        self.assertEqual(refresh["sub"], str(user["id"]))
        self.assertNotIn("jti", refresh)
        self.assertEqual(self.server.post("/api/auth/logout", token=tokens["access_token"]).status_code, 204)
        self.assertEqual(self.introspect(tokens["access_token"]), {"active": False})
        self.assertEqual(self.introspect(tokens["refresh_token"]), {"active": False})

    def test_a_spent_refresh_token_is_not_live(self):
        email = self.unique_email("refreshed")
        self.server.register(email)
        tokens = self.server.token(email)
        r = self.server.post("/api/auth/login", data={"grant_type": "refresh_token",
                                                      "refresh_token": tokens["refresh_token"]})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(self.introspect(tokens["refresh_token"]), {"active": False})
        self.assertTrue(self.introspect(r.json()["refresh_token"])["active"])

    def test_a_client_token_revoked_by_rfc7009_is_not_live(self):
        client_id, secret = self.new_client()
        token = self.client_token(client_id, secret)
        self.assertEqual(self.server.post("/api/auth/revoke", data={"token": token}).status_code, 200)
        self.assertEqual(self.introspect(token), {"active": False})

    def test_garbage_and_empty_tokens_are_just_not_active(self):
        client_id, secret = self.new_client()
        token = self.client_token(client_id, secret)
        forged = jwt.encode({"sub": client_id, "client_id": client_id, "exp": int(time.time()) + 60},
                            "another-secret-0123456789abcdef0123", algorithm="HS256")
        for garbage in ("", "garbage", "a.b.c", token + "x", forged, "A" * 43, "x" * 5000):
            with self.subTest(token=garbage[:20]):
                self.assertEqual(self.introspect(garbage), {"active": False})

    def test_introspection_needs_an_authenticated_client(self):
        client_id, secret = self.new_client()
        token = self.client_token(client_id, secret)
        email = self.unique_email("not-a-client")
        self.server.register(email)
        user_token = self.server.token(email)["access_token"]
        for headers in ({}, {"Authorization": basic(client_id, "wrong")}, {"Authorization": basic("nobody", secret)},
                        {"Authorization": f"Bearer {user_token}"}, {"Authorization": "Basic Og=="}):
            with self.subTest(headers=headers):
                r = self.server.post("/api/auth/introspect", data={"token": token}, headers=headers)
                self.assert_invalid_client(r)
        r = self.server.post("/api/auth/introspect", data={"token": token, "client_id": client_id})
        self.assert_invalid_client(r)

    def test_metadata_lists_introspection_and_the_grant(self):
        metadata = self.server.get("/.well-known/oauth-authorization-server").json()
        self.assertEqual(metadata["introspection_endpoint"], self.server.url + "/api/auth/introspect")
        self.assertIn("client_credentials", metadata["grant_types_supported"])
        self.assertEqual(set(metadata["introspection_endpoint_auth_methods_supported"]),
                         {"client_secret_basic", "client_secret_post"})
        self.assertEqual(set(metadata["token_endpoint_auth_methods_supported"]),
                         {"none", "client_secret_basic", "client_secret_post"})

    # --- the CLI

    def test_cli_list_shows_no_secret_and_bad_input_is_usage(self):
        client_id, secret = self.new_client("read")
        r = cli("--data-dir", self.server.data_dir, "client", "list", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        listed = [json.loads(line) for line in r.stdout.splitlines()]
        mine = [c for c in listed if c["client_id"] == client_id]
        self.assertEqual(len(mine), 1)
        self.assertEqual(set(mine[0]), {"client_id", "scopes", "created_at", "updated_at"})
        self.assertEqual(mine[0]["scopes"], ["read"])
        table = cli("--data-dir", self.server.data_dir, "client", "list")
        self.assertIn(client_id, table.stdout)
        for output in (r.stdout, table.stdout, r.stderr, table.stderr):
            self.assertNotIn(secret, output)
        self.assertEqual(cli("--data-dir", self.server.data_dir, "client", "add", "12345").returncode, 2)
        self.assertEqual(cli("--data-dir", self.server.data_dir, "client", "add", "a b").returncode, 2)
        self.assertEqual(cli("--data-dir", self.server.data_dir, "client", "add", client_id).returncode, 1)
        self.assertEqual(cli("--data-dir", self.server.data_dir, "client", "delete", "nobody").returncode, 1)
        self.assertEqual(cli("--data-dir", self.server.data_dir, "client", "rotate-secret", "nobody").returncode,
                         1)
        text = cli("--data-dir", self.server.data_dir, "client", "add", client_id + "-text", "--scope", "a,b")
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertRegex(text.stdout, r"client_secret +[A-Za-z0-9_-]{43}\n")
        self.assertIn("shown only now", text.stderr)


class expired_client_tokens(unittest.TestCase):
    def test_an_expired_token_is_not_live(self):
        with Wardend(*FAST_HASHING, "--secret-key", SECRET, "--access-token-ttl", "1s",
                     "--token-leeway", "0s") as server:
            client_id, secret = "expiring", add_client(server.data_dir, "expiring")["client_secret"]
            auth = {"Authorization": basic(client_id, secret)}
            token = server.post("/api/auth/login", data={"grant_type": "client_credentials"},
                                headers=auth).json()["access_token"]
            live = server.post("/api/auth/introspect", data={"token": token}, headers=auth).json()
            self.assertTrue(live["active"])
            time.sleep(2.2)
            gone = server.post("/api/auth/introspect", data={"token": token}, headers=auth)
            self.assertEqual(gone.json(), {"active": False})


if __name__ == "__main__":
    unittest.main()
