"""wardend serving HTTPS itself (--tls-cert, --tls-key), with a certificate made by the test:
HTTPS end to end, TLS 1.2 and 1.3 accepted and older versions refused by the server, plain HTTP on
the HTTPS port answered with nothing, a graceful stop that ends sessions with close_notify, and a
bad key or certificate file stopping the start with a clear message and exit status 1.
"""
import datetime
import ipaddress
import os
import shutil
import signal
import socket
import ssl
import tempfile
import time
import unittest
import warnings

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from wardend import FAST_HASHING, Wardend


def write_key(key, path):
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def make_certificate(directory):
    """A self-signed P-256 certificate for localhost and 127.0.0.1: (certificate path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(directory, "cert.pem")
    key_path = os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(certificate.public_bytes(serialization.Encoding.PEM))
    write_key(key, key_path)
    os.chmod(key_path, 0o600)
    return cert_path, key_path


def host_port(server):
    host, port = server.url.removeprefix("https://").rsplit(":", 1)
    return host, int(port)


def client_context(cafile, version=None):
    """A client that trusts `cafile`, limited to one TLS version if given."""
    ctx = ssl.create_default_context(cafile=cafile)
    if version is not None:
        ctx.minimum_version = version
        ctx.maximum_version = version
    return ctx


def read_until_close(sock):
    chunks = []
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    except (ConnectionResetError, socket.timeout):
        pass
    return b"".join(chunks)


class https(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="warden-tls-")
        cls.cert, cls.key = make_certificate(cls.dir)
        cls.server = Wardend(*FAST_HASHING, "--login-max-failures", "1000",
                             "--tls-cert", cls.cert, "--tls-key", cls.key)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        cls.server.cleanup()
        shutil.rmtree(cls.dir, ignore_errors=True)
        assert status == 0, f"wardend exited with {status}: {cls.server.stderr()}"

    def test_the_listening_line_says_https(self):
        self.assertTrue(self.server.url.startswith("https://127.0.0.1:"), self.server.url)

    def test_register_login_and_me_over_https(self):
        url = self.server.url
        r = requests.post(url + "/api/auth/register", verify=self.cert, timeout=30,
                          json={"email": "tls@example.com", "password": "correct horse"})
        self.assertEqual(r.status_code, 201, r.text)
        r = requests.post(url + "/api/auth/login", verify=self.cert, timeout=30,
                          data={"username": "tls@example.com", "password": "correct horse"})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers["Cache-Control"], "no-store")
        token = r.json()["access_token"]
        with requests.Session() as session:  # one keep-alive connection for both
            for _ in range(2):
                r = session.get(url + "/api/users/me", verify=self.cert, timeout=30,
                                headers={"Authorization": f"Bearer {token}"})
                self.assertEqual(r.status_code, 200, r.text)
                self.assertEqual(r.json()["email"], "tls@example.com")
                self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")

    def test_an_untrusted_certificate_is_refused_by_the_client(self):
        # Sanity: the client really checks (verify= is what makes the tests above pass).
        with self.assertRaises(requests.exceptions.SSLError):
            requests.get(self.server.url + "/healthz", timeout=30)

    def test_the_metadata_names_https_endpoints(self):
        r = requests.get(self.server.url + "/.well-known/oauth-authorization-server",
                         verify=self.cert, timeout=30)
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.json()["token_endpoint"].startswith("https://"), r.json())

    def test_tls_1_2_and_1_3_are_accepted(self):
        for version, name in ((ssl.TLSVersion.TLSv1_2, "TLSv1.2"), (ssl.TLSVersion.TLSv1_3, "TLSv1.3")):
            ctx = client_context(self.cert, version)
            with socket.create_connection(host_port(self.server), timeout=15) as raw:
                with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    self.assertEqual(tls.version(), name)
                    tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    self.assertTrue(read_until_close(tls).startswith(b"HTTP/1.1 200 "))

    def test_tls_1_1_and_1_0_are_refused_by_the_server(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            old_versions = (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1)
        for version in old_versions:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.load_verify_locations(self.cert)
            # Debian's OpenSSL 3 will not offer these versions above security level 0: lower it,
            # so that the refusal seen is the server's protocol_version alert.
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            with warnings.catch_warnings():  # Python deprecates naming these versions at all
                warnings.simplefilter("ignore", DeprecationWarning)
                ctx.minimum_version = version
                ctx.maximum_version = version
            with socket.create_connection(host_port(self.server), timeout=15) as raw:
                with self.assertRaises(ssl.SSLError) as refused:
                    ctx.wrap_socket(raw, server_hostname="127.0.0.1")
            self.assertEqual(refused.exception.reason, "TLSV1_ALERT_PROTOCOL_VERSION", refused.exception)

    def test_plain_http_on_the_https_port_gets_no_http_response(self):
        with socket.create_connection(host_port(self.server), timeout=15) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = read_until_close(s)
        self.assertNotIn(b"HTTP/", answer)
        self.assertNotIn(b"ok", answer)


class graceful_stop(unittest.TestCase):
    def test_stop_ends_idle_sessions_with_close_notify_and_exits_0(self):
        directory = tempfile.mkdtemp(prefix="warden-tls-")
        try:
            cert, key = make_certificate(directory)
            server = Wardend(*FAST_HASHING, "--tls-cert", cert, "--tls-key", key).start()
            try:
                ctx = client_context(cert)
                raw = socket.create_connection(host_port(server), timeout=15)
                # Without suppress_ragged_eofs, a connection cut without close_notify raises.
                with ctx.wrap_socket(raw, server_hostname="127.0.0.1",
                                     suppress_ragged_eofs=False) as tls:
                    tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")  # keep-alive
                    answer = b""
                    while not answer.endswith(b"}"):  # {"status":"ok"}
                        answer += tls.recv(65536)
                    self.assertTrue(answer.startswith(b"HTTP/1.1 200 "), answer)
                    started = time.monotonic()
                    server.process.send_signal(signal.SIGTERM)
                    self.assertEqual(tls.recv(65536), b"")  # the server's close_notify
                    self.assertEqual(server.process.wait(timeout=20), 0, server.stderr())
                    self.assertLess(time.monotonic() - started, 10)
            finally:
                server.cleanup()
        finally:
            shutil.rmtree(directory, ignore_errors=True)


class bad_files(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="warden-tls-")
        cls.cert, cls.key = make_certificate(cls.dir)
        cls.other_key = os.path.join(cls.dir, "other-key.pem")
        write_key(ec.generate_private_key(ec.SECP256R1()), cls.other_key)
        cls.garbage = os.path.join(cls.dir, "garbage.pem")
        with open(cls.garbage, "w") as f:
            f.write("this is not a PEM file\n")
        cls.missing = os.path.join(cls.dir, "missing.pem")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def start_fails(self, *args):
        """Starts wardend with `args`, which must make it exit: (status, stdout, stderr)."""
        server = Wardend(*FAST_HASHING, *args)
        try:
            server.start(expect_failure=True)
            status = server.process.wait(timeout=30)
            stdout = server.process.stdout.read()
            deadline = time.monotonic() + 5
            while not server.stderr() and time.monotonic() < deadline:
                time.sleep(0.05)
            return status, stdout, server.stderr()
        finally:
            server.cleanup()

    def assert_refused(self, cert, key, *expected):
        status, stdout, stderr = self.start_fails("--tls-cert", cert, "--tls-key", key)
        self.assertEqual(status, 1, stderr)
        self.assertNotIn("listening", stdout)
        for part in expected:
            self.assertIn(part, stderr)
        self.assertEqual(len(stderr.strip().splitlines()), 1, stderr)  # one clear line

    def test_a_key_of_another_certificate(self):
        self.assert_refused(self.cert, self.other_key, f"TLS private key {self.other_key}",
                            f"does not match the certificate {self.cert}")

    def test_a_garbage_key_file(self):
        self.assert_refused(self.cert, self.garbage, f"TLS private key {self.garbage}",
                            "not a PEM private key")

    def test_a_missing_key_file(self):
        self.assert_refused(self.cert, self.missing, f"TLS private key {self.missing}",
                            "No such file or directory")

    def test_a_missing_or_garbage_certificate(self):
        self.assert_refused(self.missing, self.key, f"TLS certificate {self.missing}",
                            "No such file or directory")
        self.assert_refused(self.garbage, self.key, f"TLS certificate {self.garbage}",
                            "not a PEM certificate chain")

    def test_the_certificate_given_as_the_key(self):
        self.assert_refused(self.cert, self.cert, f"TLS private key {self.cert}",
                            "not a PEM private key")

    def test_a_certificate_without_a_key_is_a_usage_error(self):
        status, stdout, stderr = self.start_fails("--tls-cert", self.cert)
        self.assertEqual(status, 2, stderr)
        self.assertIn("--tls-key", stderr)


if __name__ == "__main__":
    unittest.main()
