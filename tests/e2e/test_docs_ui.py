"""GET /docs: the Swagger UI that wardend serves from the files beside it (README, "Swagger UI").

The page itself is driven in a browser by tests/browser; here: what is served, with which headers,
nothing else, `--docs off`, and a wardend whose files are missing or incomplete.
"""
import os
import shutil
import tempfile
import unittest

from wardend import FAST_HASHING, WARDEND, Wardend, WardendTestCase, raw_exchange

# The package's files the page loads, and ours (web/): name -> Content-Type.
PACKAGE_FILES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "index.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
    "oauth2-redirect.html": "text/html; charset=utf-8",
    "oauth2-redirect.js": "text/javascript; charset=utf-8",
}
OUR_FILES = {
    "index.html": "text/html; charset=utf-8",
    "swagger-initializer.js": "text/javascript; charset=utf-8",
}


def built_ui_directory():
    """The directory the build put next to wardend (the installed layout, mirrored)."""
    return os.path.normpath(os.path.join(os.path.dirname(WARDEND), "..", "share", "warden", "swagger-ui"))


def status_line(raw):
    return raw.split(b"\r\n", 1)[0].decode("latin-1")


UI_BUILT = os.path.isdir(built_ui_directory())
NOT_BUILT = "the build made no Swagger UI (-DWARDEN_DOCS_UI=OFF)"


@unittest.skipUnless(UI_BUILT, NOT_BUILT)
class served_files(WardendTestCase):
    def test_the_page_loads_only_this_servers_scripts_under_a_strict_policy(self):
        r = self.server.get("/docs")
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers["Content-Type"], "text/html; charset=utf-8")
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(r.headers["Cache-Control"], "no-cache")
        policy = r.headers["Content-Security-Policy"]
        for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'",
                          "connect-src 'self'", "frame-ancestors 'none'"):
            self.assertIn(directive, policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertIn('src="/docs/swagger-ui-bundle.js"', r.text)
        self.assertIn('src="/docs/swagger-initializer.js"', r.text)
        self.assertNotIn("https://", r.text)  # no CDN
        self.assertEqual(r.text.count("<script"), r.text.count("<script src="))  # no inline script

    def test_each_file_is_served_with_its_type_a_validator_and_a_cache_policy(self):
        for name, content_type in {**PACKAGE_FILES, **OUR_FILES}.items():
            with self.subTest(name=name):
                r = self.server.get("/docs/" + name)
                self.assertEqual(r.status_code, 200, r.text)
                self.assertEqual(r.headers["Content-Type"], content_type)
                self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
                self.assertRegex(r.headers["ETag"], r'^"[A-Za-z0-9_-]{43}"$')
                expected = "no-cache" if name in OUR_FILES else "public, max-age=3600"
                self.assertEqual(r.headers["Cache-Control"], expected)
                with open(os.path.join(built_ui_directory(), name), "rb") as f:
                    self.assertEqual(r.content, f.read())

    def test_the_package_is_the_pinned_swagger_ui_dist(self):
        r = self.server.get("/docs/swagger-ui-bundle.js")
        self.assertGreater(len(r.content), 1_000_000)
        self.assertIn(b"SwaggerUIBundle", r.content)

    def test_the_set_up_reads_our_document_and_logs_in_by_the_password_flow(self):
        script = self.server.get("/docs/swagger-initializer.js").text
        self.assertIn('url: "/openapi.json"', script)
        self.assertIn("persistAuthorization: false", script)
        self.assertIn('"/docs/oauth2-redirect.html"', script)
        self.assertIn("ui.initOAuth(", script)
        self.assertNotIn("clientId", script)

    def test_an_unchanged_file_is_not_sent_again(self):
        first = self.server.get("/docs/swagger-ui.css")
        etag = first.headers["ETag"]
        for header in (etag, "W/" + etag, f'"other", {etag}', "*"):
            with self.subTest(if_none_match=header):
                again = self.server.get("/docs/swagger-ui.css", headers={"If-None-Match": header})
                self.assertEqual(again.status_code, 304)
                self.assertEqual(again.content, b"")
                self.assertEqual(again.headers["ETag"], etag)
                self.assertEqual(again.headers["X-Content-Type-Options"], "nosniff")
        changed = self.server.get("/docs/swagger-ui.css", headers={"If-None-Match": '"stale"'})
        self.assertEqual(changed.status_code, 200)
        self.assertEqual(changed.content, first.content)

    def test_every_other_name_is_not_found(self):
        # Files of the package that the page does not load, the data directory's secret, paths.
        for path in ("/docs/LICENSE", "/docs/NOTICE", "/docs/package.json", "/docs/swagger-ui.js",
                     "/docs/swagger-ui-bundle.js.map", "/docs/index.js", "/docs/secret.key",
                     "/docs/..%2Fsecret.key", "/docs/%2e%2e", "/docs/swagger-ui.css%00",
                     "/docs/SWAGGER-UI.CSS", "/docs/", "/docs/swagger-ui.css/", "/docs/x/swagger-ui.css"):
            with self.subTest(path=path):
                self.assertEqual(self.server.get(path).status_code, 404)

    def test_dot_segments_reach_no_file(self):
        # Sent as they are (a client library would resolve the dots itself).
        for target in (b"/docs/../../../../etc/passwd", b"/docs/../secret.key", b"/docs/./swagger-ui.css",
                       b"/docs/..", b"/docs//swagger-ui.css"):
            with self.subTest(target=target):
                raw = raw_exchange(self.server, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                self.assertEqual(status_line(raw), "HTTP/1.1 404 Not Found")
                self.assertNotIn(b"root:", raw)

    def test_only_get_is_allowed(self):
        for path in ("/docs", "/docs/swagger-ui.css"):
            with self.subTest(path=path):
                r = self.server.post(path, data="x")
                self.assertEqual(r.status_code, 405)
                self.assertEqual(r.headers["Allow"], "GET")


class docs_off(unittest.TestCase):
    def test_docs_off_removes_the_page_and_its_files(self):
        with Wardend(*FAST_HASHING, "--docs", "off") as server:
            for path in ("/docs", "/docs/swagger-ui-bundle.js", "/docs/index.html"):
                with self.subTest(path=path):
                    self.assertEqual(server.get(path).status_code, 404)
            self.assertEqual(server.get("/healthz").status_code, 200)
            self.assertNotIn("/docs is not available", server.stderr())

    def test_the_environment_turns_docs_off_too(self):
        with Wardend(*FAST_HASHING, env={"WARDEN_DOCS": "off"}) as server:
            self.assertEqual(server.get("/docs").status_code, 404)


class installed_elsewhere(unittest.TestCase):
    """wardend copied into a prefix of its own: it looks in <prefix>/bin/../share/warden/swagger-ui."""

    def setUp(self):
        self.prefix = tempfile.mkdtemp(prefix="warden-e2e-prefix-")
        os.mkdir(os.path.join(self.prefix, "bin"))
        self.binary = os.path.join(self.prefix, "bin", "wardend")
        shutil.copy2(WARDEND, self.binary)
        self.ui_dir = os.path.join(self.prefix, "share", "warden", "swagger-ui")

    def tearDown(self):
        shutil.rmtree(self.prefix, ignore_errors=True)

    def install_ui(self, leave_out=()):
        if not UI_BUILT:
            self.skipTest(NOT_BUILT)
        shutil.copytree(built_ui_directory(), self.ui_dir)
        for name in leave_out:
            os.remove(os.path.join(self.ui_dir, name))

    def test_a_relocated_install_finds_its_files(self):
        self.install_ui()
        with open(os.path.join(self.ui_dir, "swagger-initializer.js"), "a") as f:
            f.write("// this copy\n")
        with Wardend(*FAST_HASHING, binary=self.binary) as server:
            r = server.get("/docs/swagger-initializer.js")
            self.assertEqual(r.status_code, 200)
            self.assertTrue(r.text.endswith("// this copy\n"))

    def test_without_its_files_wardend_serves_the_api_and_says_once_why_docs_is_missing(self):
        with Wardend(*FAST_HASHING, binary=self.binary) as server:
            for path in ("/docs", "/docs/swagger-ui-bundle.js"):
                with self.subTest(path=path):
                    r = server.get(path)
                    self.assertEqual(r.status_code, 503)
                    self.assertEqual(r.json(), {"detail": "The Swagger UI is not installed on this server"})
            self.assertEqual(server.get("/docs/unknown.js").status_code, 503)
            server.register("nodocs@example.com")
            self.assertEqual(server.login("nodocs@example.com").status_code, 200)
            self.assertEqual(server.get("/healthz").status_code, 200)
        log = server.stderr()
        self.assertEqual(log.count("/docs is not available"), 1, log)
        self.assertIn(self.ui_dir, log)

    def test_an_incomplete_install_is_not_served_in_part(self):
        self.install_ui(leave_out=["swagger-ui-bundle.js"])
        with Wardend(*FAST_HASHING, binary=self.binary) as server:
            self.assertEqual(server.get("/docs").status_code, 503)
            self.assertEqual(server.get("/docs/swagger-ui.css").status_code, 503)
        self.assertEqual(server.stderr().count("/docs is not available"), 1, server.stderr())


if __name__ == "__main__":
    unittest.main()
