"""Signing keys in the store and their rotation (issue 12), against the real wardend and warden:
for RS256, PS256, ES256 and EdDSA a `warden key rotate` makes new logins carry the new kid within
--sync-interval, while tokens signed before keep working and verifying with PyJWT against the
published JWK Set until they expire (short TTL and leeway here), then the old key leaves the set.
No private material in `warden key list`, in the JWK Set or in the database file; a wardend with
another --kek-file refuses to start; two wardend on one store share the keys and both follow a
rotation made by the CLI. The algorithms run side by side (one wardend each) to keep this short."""
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest

import jwt  # Debian python3-jwt (PyJWT)
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from wardend import FAST_HASHING, WARDEN_CLI, Wardend

TTL = 10  # seconds: long enough to check an old token after the rotation, short enough to expire
LEEWAY = 1
SYNC = 1
KEY_SETTINGS = ["--access-token-ttl", f"{TTL}s", "--token-leeway", f"{LEEWAY}s"]
PRIVATE_JWK_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "k"}


def cli(data_dir, algorithm, *args, extra=()):
    """Runs warden on `data_dir` with the deployment's key settings (as wardend's)."""
    if not WARDEN_CLI:
        raise RuntimeError("WARDEN_CLI is not set: run the e2e tests through ctest")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env["WARDEN_ARGON2"] = "m=7168,t=1,p=1"
    return subprocess.run([WARDEN_CLI, "--data-dir", data_dir, "--algorithm", algorithm,
                           *KEY_SETTINGS, *extra, *args],
                          input="", capture_output=True, text=True, env=env, timeout=120)


def kid_of(token):
    return jwt.get_unverified_header(token)["kid"]


def verify_with_jwks(server, token, algorithm):
    """PyJWT's PyJWKSet over the published set: the key named by the token's kid verifies it."""
    document = server.get("/.well-known/jwks.json").json()
    key_set = jwt.PyJWKSet.from_dict(document)
    key = key_set[kid_of(token)]
    return jwt.decode(token, key.key, algorithms=[algorithm])


def published_kids(server):
    return [k["kid"] for k in server.get("/.well-known/jwks.json").json()["keys"]]


def wait_for(condition, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def database_bytes(data_dir):
    """The SQLite database with its WAL: every byte the store wrote."""
    out = b""
    for name in ("warden.db", "warden.db-wal"):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                out += f.read()
    return out


class key_rotation(unittest.TestCase):
    def rotation_flow(self, algorithm):
        """One algorithm's whole story, on a wardend of its own."""
        with Wardend(*FAST_HASHING, "--algorithm", algorithm, "--sync-interval", f"{SYNC}s",
                     *KEY_SETTINGS) as server:
            data_dir = server.data_dir
            self.assertTrue(os.path.exists(os.path.join(data_dir, "kek.key")))
            self.assertEqual(os.stat(os.path.join(data_dir, "kek.key")).st_mode & 0o777, 0o600)
            r = server.get("/.well-known/jwks.json")
            self.assertEqual(r.headers["Cache-Control"], f"public, max-age={TTL + LEEWAY}")
            server.register("jo@example.com")
            token_a = server.token("jo@example.com")["access_token"]
            k1 = kid_of(token_a)
            self.assertEqual(published_kids(server), [k1])
            self.assertEqual(verify_with_jwks(server, token_a, algorithm)["sub"], "1")

            rotated = cli(data_dir, algorithm, "key", "rotate")
            self.assertEqual(rotated.returncode, 0, rotated.stderr)
            k2 = json.loads(rotated.stdout)["kid"]
            self.assertNotEqual(k2, k1)
            self.assertEqual(json.loads(rotated.stdout)["state"], "current")
            self.assertEqual(server.get("/api/users/me", token=token_a).status_code, 200)

            # Within the sync interval new logins carry k2; token A keeps working and verifying
            # against the published set (which now holds both keys).
            new_kid = wait_for(lambda: kid_of(server.token("jo@example.com")["access_token"]) == k2,
                               SYNC + 2)
            self.assertTrue(new_kid, f"{algorithm}: new logins still signed with {k1}")
            self.assertEqual(server.get("/api/users/me", token=token_a).status_code, 200)
            self.assertEqual(verify_with_jwks(server, token_a, algorithm)["sub"], "1")
            self.assertEqual(sorted(published_kids(server)), sorted([k1, k2]))
            token_b = server.token("jo@example.com")["access_token"]
            self.assertEqual(verify_with_jwks(server, token_b, algorithm)["sub"], "1")

            # `key list` and the JWK Set show no private material.
            listed = cli(data_dir, algorithm, "key", "list")
            self.assertEqual(listed.returncode, 0, listed.stderr)
            self.assertIn(k1, listed.stdout)
            self.assertIn(k2, listed.stdout)
            self.assertRegex(listed.stdout, rf"{k1}\s+{algorithm}\s+retired")
            self.assertNotIn("PRIVATE", listed.stdout + listed.stderr)
            as_json = cli(data_dir, algorithm, "key", "list", "--json")
            self.assertEqual(as_json.returncode, 0, as_json.stderr)
            rows = [json.loads(line) for line in as_json.stdout.splitlines()]
            self.assertEqual({row["kid"]: row["state"] for row in rows},
                             {k1: "retired", k2: "current"})
            for row in rows:
                self.assertFalse(PRIVATE_JWK_MEMBERS & set(row), row)
                self.assertNotIn("PRIVATE", json.dumps(row))
            for jwk in server.get("/.well-known/jwks.json").json()["keys"]:
                self.assertFalse(PRIVATE_JWK_MEMBERS & set(jwk), jwk)
            self.assertNotIn(b"-----BEGIN", database_bytes(data_dir))
            self.assertNotIn(b"PRIVATE KEY", database_bytes(data_dir))

            # Once every token k1 signed has expired (TTL + leeway after the rotation), k1 leaves
            # the set within the sync interval, and token A is refused.
            gone = wait_for(lambda: published_kids(server) == [k2], TTL + LEEWAY + SYNC + 3)
            self.assertTrue(gone, f"{algorithm}: {k1} still published")
            self.assertEqual(server.get("/api/users/me", token=token_a).status_code, 401)
            token_c = server.token("jo@example.com")["access_token"]
            self.assertEqual(kid_of(token_c), k2)
            self.assertEqual(server.get("/api/users/me", token=token_c).status_code, 200)

            # The same store under another key-encryption key: wardend refuses to start.
            other = Wardend("--algorithm", algorithm, "--kek-file",
                            os.path.join(data_dir, "other-kek.key"), data_dir=data_dir)
            try:
                other.start(expect_failure=True)
                self.assertEqual(other.process.wait(timeout=60), 1)
                time.sleep(0.1)  # the stderr reader's last lines
                self.assertIn(k2, other.stderr())
                self.assertIn("same --kek-file", other.stderr())
            finally:
                other.cleanup()

    def test_rotation_for_each_asymmetric_algorithm(self):
        failures = {}

        def run(algorithm):
            try:
                self.rotation_flow(algorithm)
            except BaseException as e:  # reported below, per algorithm
                failures[algorithm] = e

        threads = [threading.Thread(target=run, args=(a,)) for a in ("RS256", "PS256", "ES256", "EdDSA")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for algorithm, error in failures.items():
            raise AssertionError(f"{algorithm}: {error!r}") from error

    def test_two_wardend_on_one_store_share_the_keys_and_follow_a_cli_rotation(self):
        data_dir = tempfile.mkdtemp(prefix="warden-e2e-keys-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        args = [*FAST_HASHING, "--algorithm", "ES256", "--sync-interval", f"{SYNC}s", *KEY_SETTINGS]
        first = Wardend(*args, data_dir=data_dir)
        self.addCleanup(first.cleanup)
        first.start()
        second = Wardend(*args, data_dir=data_dir)
        self.addCleanup(second.cleanup)
        second.start()
        first.register("ann@example.com")
        from_first = first.token("ann@example.com")["access_token"]
        from_second = second.token("ann@example.com")["access_token"]
        k1 = kid_of(from_first)
        self.assertEqual(kid_of(from_second), k1)
        self.assertEqual(second.get("/api/users/me", token=from_first).status_code, 200)
        self.assertEqual(first.get("/api/users/me", token=from_second).status_code, 200)

        rotated = cli(data_dir, "ES256", "key", "rotate")
        self.assertEqual(rotated.returncode, 0, rotated.stderr)
        k2 = json.loads(rotated.stdout)["kid"]
        for server in (first, second):
            reached = wait_for(lambda: kid_of(server.token("ann@example.com")["access_token"]) == k2,
                               SYNC + 2)
            self.assertTrue(reached, "a wardend still signs with the old key")
        after_first = first.token("ann@example.com")["access_token"]
        self.assertEqual(second.get("/api/users/me", token=after_first).status_code, 200)
        self.assertEqual(first.get("/api/users/me", token=from_second).status_code, 200)
        self.assertEqual(sorted(published_kids(first)), sorted(published_kids(second)))
        self.assertEqual(first.stop(), 0)
        self.assertEqual(second.stop(), 0)

    def test_an_existing_signing_key_file_is_imported_on_first_start(self):
        data_dir = tempfile.mkdtemp(prefix="warden-e2e-keys-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        private = ec.generate_private_key(ec.SECP256R1())
        pem_path = os.path.join(data_dir, "signing-key.pem")
        with open(pem_path, "wb") as f:
            f.write(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
        os.chmod(pem_path, 0o600)
        with Wardend(*FAST_HASHING, "--algorithm", "ES256", data_dir=data_dir) as server:
            server.register("imp@example.com")
            token = server.token("imp@example.com")["access_token"]
            claims = jwt.decode(token, private.public_key(), algorithms=["ES256"])
            self.assertEqual(claims["sub"], "1")
            self.assertIn("imported", server.stderr())
            self.assertEqual(published_kids(server), [kid_of(token)])
        # A second start reads the store, not the file: the key stays the same.
        os.remove(pem_path)
        with Wardend(*FAST_HASHING, "--algorithm", "ES256", data_dir=data_dir) as server:
            token = server.token("imp@example.com")["access_token"]
            jwt.decode(token, private.public_key(), algorithms=["ES256"])

    def test_generate_publishes_a_pending_key_that_rotate_promotes_and_retire_withdraws(self):
        with Wardend(*FAST_HASHING, "--algorithm", "EdDSA", "--sync-interval", f"{SYNC}s",
                     *KEY_SETTINGS) as server:
            data_dir = server.data_dir
            server.register("gen@example.com")
            k1 = kid_of(server.token("gen@example.com")["access_token"])
            generated = cli(data_dir, "EdDSA", "key", "generate")
            self.assertEqual(generated.returncode, 0, generated.stderr)
            pending = json.loads(generated.stdout)
            self.assertEqual(pending["state"], "pending")
            # Published before it signs.
            self.assertTrue(wait_for(lambda: pending["kid"] in published_kids(server), SYNC + 2))
            self.assertEqual(kid_of(server.token("gen@example.com")["access_token"]), k1)
            # The current key cannot be retired; an unknown kid is an error.
            refused = cli(data_dir, "EdDSA", "key", "retire", k1)
            self.assertEqual(refused.returncode, 1)
            self.assertIn("rotate", refused.stderr)
            self.assertEqual(cli(data_dir, "EdDSA", "key", "retire", "no-such-kid").returncode, 1)
            # Another pending key, withdrawn: it leaves the set.
            spare = json.loads(cli(data_dir, "EdDSA", "key", "generate").stdout)["kid"]
            self.assertTrue(wait_for(lambda: spare in published_kids(server), SYNC + 2))
            withdrawn = cli(data_dir, "EdDSA", "key", "retire", spare)
            self.assertEqual(withdrawn.returncode, 0, withdrawn.stderr)
            self.assertTrue(wait_for(lambda: spare not in published_kids(server), SYNC + 3))
            # rotate --algorithm EdDSA promotes the first pending key (the newest left).
            rotated = cli(data_dir, "EdDSA", "key", "rotate", "--algorithm", "EdDSA")
            self.assertEqual(json.loads(rotated.stdout)["kid"], pending["kid"])
            self.assertTrue(wait_for(
                lambda: kid_of(server.token("gen@example.com")["access_token"]) == pending["kid"],
                SYNC + 2))

    def test_a_malformed_kek_file_refuses_the_start(self):
        data_dir = tempfile.mkdtemp(prefix="warden-e2e-keys-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        kek = os.path.join(data_dir, "kek.key")
        for contents in ("not hex at all\n", "ab" * 31 + "\n", "zz" * 32 + "\n"):
            with open(kek, "w") as f:
                f.write(contents)
            os.chmod(kek, 0o600)
            server = Wardend("--algorithm", "ES256", data_dir=data_dir)
            try:
                server.start(expect_failure=True)
                self.assertEqual(server.process.wait(timeout=60), 1)
                time.sleep(0.1)
                self.assertIn("is not a key-encryption key", server.stderr())
                self.assertIn("64 hexadecimal characters", server.stderr())
            finally:
                server.cleanup()

    def test_hs256_has_no_key_set(self):
        with Wardend(*FAST_HASHING) as server:
            self.assertEqual(server.get("/.well-known/jwks.json").json(), {"keys": []})
            # The key-encryption key is there (it seals TOTP secrets), with no key to seal.
            self.assertEqual(os.stat(os.path.join(server.data_dir, "kek.key")).st_mode & 0o777, 0o600)
            for args in (["key", "list"], ["key", "rotate"], ["key", "generate"]):
                done = cli(server.data_dir, "HS256", *args)
                self.assertEqual(done.returncode, 2, args)
                self.assertIn("secret", done.stderr)
            refused = cli(server.data_dir, "ES256", "key", "generate", "--algorithm", "HS512")
            self.assertEqual(refused.returncode, 2)


if __name__ == "__main__":
    unittest.main()
