"""The browser test: wardend's /docs in Debian's chromium (swagger_ui.mjs), logged in by the
password flow as a registered user. Run by CTest (label browser) with WARDEND, BROWSER_TEST_DIR
(where npm ci put playwright-core and the script) and SCREENSHOT (the artifact's path)."""
import os
import subprocess
import unittest

from wardend import FAST_HASHING, Wardend

BROWSER_TEST_DIR = os.environ.get("BROWSER_TEST_DIR", "")
SCREENSHOT = os.environ.get("SCREENSHOT", "")


class swagger_ui(unittest.TestCase):
    def test_a_user_authorizes_and_sees_their_record_in_the_browser(self):
        self.assertTrue(os.path.exists("/usr/bin/chromium"),
                        "/usr/bin/chromium is missing: scripts/install-deps.sh installs it")
        with Wardend(*FAST_HASHING) as server:
            email = "swagger.user@example.com"
            password = "correct horse battery"
            server.register(email, password, full_name="Swagger User")
            if os.path.exists(SCREENSHOT):
                os.remove(SCREENSHOT)
            env = dict(os.environ, WARDEN_URL=server.url, WARDEN_EMAIL=email,
                       WARDEN_PASSWORD=password, WARDEN_SCREENSHOT=SCREENSHOT)
            run = subprocess.run(["node", os.path.join(BROWSER_TEST_DIR, "swagger_ui.mjs")], env=env,
                                 capture_output=True, text=True, timeout=240)
            print(run.stdout, run.stderr)
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        # The password never reaches the log; the login it made does (one line per request).
        self.assertNotIn(password, server.stderr())
        self.assertIn("POST /api/auth/login 200", server.stderr())
        with open(SCREENSHOT, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main()
