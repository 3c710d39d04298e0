"""Client authentication at the token endpoint (RFC 6749 §2.3, §5.2). No client is registered
here: a request either authenticates no client, or its client credentials are wrong (401
invalid_client). Registered clients: test_clients.py.

Swagger UI's password flow sends `Authorization: Basic Og==` (base64 of ":", an empty client id and
secret): that is no client authentication, and the login must work.
"""
import base64
import unittest

from wardend import WardendTestCase


def basic(credentials):
    return "Basic " + base64.b64encode(credentials.encode()).decode()


class token_endpoint_clients(WardendTestCase):
    def setUp(self):
        self.email = self.unique_email("client")
        self.server.register(self.email)

    def login(self, headers=None, **form):
        fields = {"username": self.email, "password": "correct horse", **form}
        return self.server.post("/api/auth/login", data=fields, headers=headers or {})

    def assert_invalid_client(self, r):
        self.assertEqual(r.status_code, 401, r.text)
        body = r.json()
        self.assertEqual(body["error"], "invalid_client")
        self.assertEqual(body["detail"], "Client authentication failed")
        self.assertNotIn("access_token", body)
        self.assertTrue(r.headers["WWW-Authenticate"].startswith("Basic"), r.headers)
        self.assertEqual(r.headers["Cache-Control"], "no-store")

    def test_swagger_uis_empty_client_is_no_client_authentication(self):
        # Exactly the form Swagger UI sends: grant_type, an empty scope, the user's credentials.
        for header in ("Basic Og==", "basic Og==", "BASIC   Og==  "):
            with self.subTest(header=header):
                r = self.login({"Authorization": header}, grant_type="password", scope="")
                self.assertEqual(r.status_code, 200, r.text)
                token = r.json()["access_token"]
                me = self.server.get("/api/users/me", token=token)
                self.assertEqual(me.json()["email"], self.email)

    def test_swagger_uis_empty_client_may_refresh(self):
        tokens = self.login({"Authorization": "Basic Og=="}).json()
        r = self.server.post("/api/auth/login", headers={"Authorization": "Basic Og=="},
                             data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
        self.assertEqual(r.status_code, 200, r.text)

    def test_a_named_client_that_is_not_registered_gets_no_tokens(self):
        for credentials in ("some-client:its-secret", "some-client:", ":a-secret", "x:y:z"):
            with self.subTest(credentials=credentials):
                self.assert_invalid_client(self.login({"Authorization": basic(credentials)}))

    def test_malformed_basic_credentials_are_bad_client_credentials(self):
        for header in ("Basic", "Basic ", "Basic !!!", "Basic Og", "Basic Og==Og==", "Basic b2s="):
            with self.subTest(header=header):
                self.assert_invalid_client(self.login({"Authorization": header}))

    def test_a_client_secret_in_the_form_is_bad_client_credentials(self):
        self.assert_invalid_client(self.login(client_id="some-client", client_secret="its-secret"))
        self.assert_invalid_client(self.login({"Authorization": "Basic Og=="}, client_secret="s"))

    def test_a_public_client_id_alone_is_accepted(self):
        # RFC 6749 §3.2.1; FastAPI's OAuth2PasswordRequestForm accepts it; so do empty fields.
        self.assertEqual(self.login(client_id="public-app").status_code, 200)
        self.assertEqual(self.login(client_id="", client_secret="").status_code, 200)

    def test_other_authorization_schemes_are_not_client_authentication(self):
        self.assertEqual(self.login({"Authorization": "Bearer whatever"}).status_code, 200)
        self.assertEqual(self.login({"Authorization": "Basicx Og=="}).status_code, 200)

    def test_a_refresh_with_an_unknown_client_does_not_spend_the_refresh_token(self):
        tokens = self.login().json()
        form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
        refused = self.server.post("/api/auth/login", data=form,
                                   headers={"Authorization": basic("some-client:its-secret")})
        self.assert_invalid_client(refused)
        self.assertEqual(self.server.post("/api/auth/login", data=form).status_code, 200)

    def test_an_unknown_client_is_refused_before_the_password_is_checked(self):
        # A wrong password too: the client is what the answer is about.
        r = self.login({"Authorization": basic("some-client:its-secret")}, password="wrong")
        self.assert_invalid_client(r)


if __name__ == "__main__":
    unittest.main()
