"""GET /openapi.json against the real wardend: the document validates as OpenAPI 3.1 with
@apidevtools/swagger-parser (tests/openapi, pinned by its package-lock.json, installed with
`npm ci` on first use), every operation in it is served, its security matches the guard, and
`--docs off` removes it. Typed path parameters: /api/users/abc is 404, DELETE /api/users/me 405.

Node and npm come from the base image (CI's Debian machine); the registry must be reachable the
first time (node_modules is kept in WARDEN_OPENAPI_VALIDATOR_DIR, the build tree under ctest).
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

import requests

from test_cli import PASSWORD, cli
from wardend import FAST_HASHING, Wardend, WardendTestCase

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "openapi")
VALIDATOR_FILES = ("package.json", "package-lock.json", "validate.js")


def validator_dir():
    """A directory with the validator and its node_modules, installed with `npm ci` when missing
    or when the lock file changed since."""
    target = os.environ.get("WARDEN_OPENAPI_VALIDATOR_DIR") or os.path.join(
        tempfile.gettempdir(), "warden-openapi-validator")
    os.makedirs(target, exist_ok=True)
    changed = False
    for name in VALIDATOR_FILES:
        with open(os.path.join(SOURCE, name), "rb") as f:
            wanted = f.read()
        path = os.path.join(target, name)
        if not os.path.exists(path) or open(path, "rb").read() != wanted:
            with open(path, "wb") as f:
                f.write(wanted)
            changed = changed or name != "validate.js"
    if changed or not os.path.isdir(os.path.join(target, "node_modules")):
        shutil.rmtree(os.path.join(target, "node_modules"), ignore_errors=True)
        r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=target,
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise RuntimeError(f"npm ci failed in {target}: {r.stdout}{r.stderr}")
    return target


def validate(document):
    """Runs the validator on a document; returns (exit status, output)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(document, f)
    try:
        r = subprocess.run(["node", os.path.join(validator_dir(), "validate.js"), f.name],
                           capture_output=True, text=True, timeout=120)
        return r.returncode, r.stdout + r.stderr
    finally:
        os.unlink(f.name)


def operations(document):
    """(method, path template) of every operation, upper-case methods."""
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item}


class openapi_document(WardendTestCase):
    wardend_args = ["--default-scopes", "read"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.get("/openapi.json")
        assert r.status_code == 200, (r.status_code, r.text)
        cls.document = r.json()
        cls.content_type = r.headers.get("Content-Type")

    def admin_token(self):
        email = self.unique_email("admin")
        r = cli("--data-dir", self.server.data_dir, "user", "add", "--email", email, "--scopes", "admin",
                "--password-stdin", password=PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        return self.server.token(email, PASSWORD)["access_token"]

    def test_validates_as_openapi_3_1(self):
        self.assertEqual(self.content_type, "application/json")
        self.assertEqual(self.document["openapi"], "3.1.0")
        self.assertEqual(self.document["info"]["title"], "warden")
        self.assertRegex(self.document["info"]["version"], r"^\d+\.\d+\.\d+$")
        status, output = validate(self.document)
        self.assertEqual(status, 0, output)

    def test_the_validator_refuses_broken_documents(self):
        # Proof that the check above can fail: no info, a dangling $ref, a wrong parameter type.
        broken = json.loads(json.dumps(self.document))
        del broken["info"]
        self.assertEqual(validate(broken)[0], 1)
        dangling = json.loads(json.dumps(self.document))
        dangling["components"]["schemas"].pop("User")
        self.assertEqual(validate(dangling)[0], 1)
        bad_parameter = json.loads(json.dumps(self.document))
        bad_parameter["paths"]["/api/users/{id}"]["get"]["parameters"][0]["in"] = "body"
        self.assertEqual(validate(bad_parameter)[0], 1)

    def test_every_operation_in_the_document_is_served(self):
        for method, path in sorted(operations(self.document)):
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            r = requests.request(method, self.server.url + concrete, timeout=30)
            self.assertNotEqual(r.status_code, 405, (method, path))
            if r.status_code == 404:
                self.assertNotEqual(r.json(), {"detail": "Not Found"}, (method, path))

    def test_served_but_undocumented_routes_stay_out(self):
        paths = self.document["paths"]
        for path in ("/openapi.json", "/docs", "/docs/{file}", "/metrics"):
            self.assertNotIn(path, paths)

    def test_the_users_routes_are_typed(self):
        self.assertIn("/api/users/{id}", self.document["paths"])
        parameter = self.document["paths"]["/api/users/{id}"]["get"]["parameters"][0]
        self.assertEqual(parameter["in"], "path")
        self.assertEqual(parameter["schema"]["type"], "integer")

    def test_security_follows_the_guard(self):
        paths = self.document["paths"]
        self.assertEqual(paths["/api/users/me"]["get"]["security"], [{"OAuth2PasswordBearer": []}])
        self.assertEqual(paths["/api/auth/logout"]["post"]["security"], [{"OAuth2PasswordBearer": []}])
        for method in ("get", "patch", "delete"):
            self.assertEqual(paths["/api/users/{id}"][method]["security"], [{"OAuth2PasswordBearer": ["admin"]}])
        self.assertEqual(paths["/api/users"]["get"]["security"], [{"OAuth2PasswordBearer": ["admin"]}])
        for public in (("post", "/api/auth/register"), ("post", "/api/auth/login"), ("get", "/healthz"),
                       ("post", "/api/auth/verify"), ("post", "/api/auth/forgot-password")):
            self.assertNotIn("security", paths[public[1]][public[0]], public)
        # Each operation that declares security answers 401 without a token; the others do not,
        # but introspection, which authenticates the calling client (RFC 7662 §2.1).
        client_authenticated = {("POST", "/api/auth/introspect")}
        for method, path in operations(self.document):
            guarded = "security" in paths[path][method.lower()]
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            status = requests.request(method, self.server.url + concrete, timeout=30).status_code
            self.assertEqual(status == 401, guarded or (method, path) in client_authenticated,
                             (method, path, status))

    def test_the_password_flow_logs_in_at_its_token_url(self):
        scheme = self.document["components"]["securitySchemes"]["OAuth2PasswordBearer"]
        self.assertEqual(scheme["type"], "oauth2")
        flow = scheme["flows"]["password"]
        self.assertEqual(flow["tokenUrl"], "api/auth/login")
        self.assertEqual(flow["refreshUrl"], "api/auth/login")
        self.assertEqual(set(flow["scopes"]), {"admin", "read"})  # required by routes + --default-scopes
        email = self.server.register(self.unique_email())["email"]
        token_url = urllib.parse.urljoin(self.server.url + "/openapi.json", flow["tokenUrl"])
        r = requests.post(token_url, data={"username": email, "password": "correct horse"}, timeout=30)
        self.assertEqual(r.status_code, 200, r.text)
        token = r.json()
        schema = self.document["components"]["schemas"]["Token"]
        self.assertEqual(set(token), set(schema["properties"]))
        # Only the client_credentials grant leaves out the refresh token (RFC 6749 §4.4.3).
        self.assertEqual(set(schema["properties"]) - set(schema["required"]), {"refresh_token"})

    def test_documented_shapes_match_real_answers(self):
        schemas = self.document["components"]["schemas"]
        user = self.server.register(self.unique_email())
        self.assertEqual(set(user), set(schemas["User"]["required"]))
        r = self.server.post("/api/auth/register", json={"email": "nope", "password": "short", "extra": 1})
        self.assertEqual(r.status_code, 422)
        entry_required = set(schemas["ValidationError"]["required"])
        for entry in r.json()["detail"]:
            self.assertLessEqual(entry_required, set(entry))
        form = schemas["LoginForm"]["properties"]
        self.assertEqual(set(form), {"grant_type", "username", "password", "scope", "client_id",
                                     "client_secret", "refresh_token", "otp"})
        self.assertEqual(form["password"]["format"], "password")
        self.assertEqual(form["otp"]["format"], "password")
        login = self.document["paths"]["/api/auth/login"]["post"]["requestBody"]["content"]
        self.assertEqual(list(login), ["application/x-www-form-urlencoded"])
        self.assertEqual(schemas["Registration"]["properties"]["full_name"]["maxLength"], 200)
        self.assertEqual(schemas["Registration"]["properties"]["email"]["format"], "email")
        self.assertEqual(schemas["Registration"]["properties"]["password"]["minLength"], 8)
        self.assertEqual(set(schemas["HTTPError"]["required"]), {"detail"})
        self.assertIn("client_credentials", form["grant_type"]["enum"])
        introspect = self.document["paths"]["/api/auth/introspect"]["post"]
        self.assertEqual(list(introspect["requestBody"]["content"]), ["application/x-www-form-urlencoded"])
        self.assertEqual(schemas["IntrospectionForm"]["required"], ["token"])
        self.assertEqual(schemas["Introspection"]["required"], ["active"])
        self.assertEqual(set(introspect["responses"]), {"200", "400", "401", "422"})

    def test_non_integer_ids_are_404_and_delete_me_is_405(self):
        admin = self.admin_token()
        for path in ("/api/users/abc", "/api/users/0", "/api/users/-1", "/api/users/1.5", "/api/users/1x"):
            r = self.server.get(path, token=admin)
            self.assertEqual((r.status_code, r.json()), (404, {"detail": "Not Found"}), path)
        for token in (None, admin):
            r = self.server.delete("/api/users/me", token=token)
            self.assertEqual(r.status_code, 405, r.text)
            self.assertEqual(r.headers["Allow"], "GET, PATCH")
        # A real id still reaches the handler (literal `me` and `{id:int}` side by side).
        user = self.server.register(self.unique_email())
        self.assertEqual(self.server.get(f"/api/users/{user['id']}", token=admin).json()["email"], user["email"])
        self.assertEqual(self.server.get(f"/api/users/00{user['id']}", token=admin).status_code, 200)
        missing = self.server.get("/api/users/999999999", token=admin)
        self.assertEqual((missing.status_code, missing.json()), (404, {"detail": "User not found"}))


class docs_off(unittest.TestCase):
    def test_docs_off_removes_the_document(self):
        with Wardend(*FAST_HASHING, "--docs", "off") as server:
            r = server.get("/openapi.json")
            self.assertEqual((r.status_code, r.json()), (404, {"detail": "Not Found"}))
            self.assertEqual(server.get("/healthz").status_code, 200)


if __name__ == "__main__":
    unittest.main()
