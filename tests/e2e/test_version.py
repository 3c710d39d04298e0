"""`wardend --version` and `warden --version`: "NAME VERSION" on stdout, exit 0, VERSION being the
project version of the top-level CMakeLists.txt; no other setting is needed and nothing is created
(no data directory, no secret)."""
import os
import pathlib
import re
import subprocess
import tempfile
import unittest

from wardend import WARDEN_CLI, WARDEND

ROOT = pathlib.Path(__file__).resolve().parents[2]


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text()
    match = re.search(r"project\(warden\s+VERSION\s+(\d+\.\d+\.\d+)", text)
    if not match:
        raise RuntimeError("no project(warden VERSION x.y.z) in CMakeLists.txt")
    return match.group(1)


class version(unittest.TestCase):
    def run_in_empty_dir(self, binary, *args):
        """Runs binary with args in a fresh working directory, without WARDEN_* variables;
        returns the result and what the directory holds afterwards."""
        with tempfile.TemporaryDirectory(prefix="warden-version-") as cwd:
            env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
            r = subprocess.run([binary, *args], cwd=cwd, env=env, capture_output=True, text=True,
                               timeout=20)
            return r, sorted(os.listdir(cwd))

    def assert_prints_version(self, binary, name, *args):
        r, left = self.run_in_empty_dir(binary, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, f"{name} {project_version()}\n")
        self.assertEqual(r.stderr, "")
        self.assertEqual(left, [], "--version created files in the working directory")

    def test_wardend_prints_the_project_version(self):
        self.assert_prints_version(WARDEND, "wardend", "--version")

    def test_warden_prints_the_project_version_without_a_command(self):
        self.assert_prints_version(WARDEN_CLI, "warden", "--version")

    def test_version_wins_over_settings_that_would_fail_a_start(self):
        self.assert_prints_version(WARDEND, "wardend", "--threads", "0", "--config", "/nonexistent.toml",
                                   "--version")


if __name__ == "__main__":
    unittest.main()
