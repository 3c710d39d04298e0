"""Starts the real wardend binary on a free loopback port with a temp data dir, for e2e tests.

Run by CTest with WARDEND (and WARDEN_CLI) naming the binaries; Debian's /usr/bin/python3 with
python3-requests. Every test talks plain HTTP to the process, as a client would.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

import requests

WARDEND = os.environ.get("WARDEND", "")
WARDEN_CLI = os.environ.get("WARDEN_CLI", "")

# Cheap hashing for tests whose subject is not hashing cost (the minimum the context allows).
FAST_HASHING = ["--argon2", "m=7168,t=1,p=1"]


class Wardend:
    """One wardend process. Use as a context manager or call start()/stop(). `binary`: another
    copy of wardend to run (default: WARDEND)."""

    def __init__(self, *args, env=None, data_dir=None, binary=None):
        if not WARDEND:
            raise RuntimeError("WARDEND is not set: run the e2e tests through ctest")
        self.binary = binary or WARDEND
        self.owns_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="warden-e2e-")
        self.args = list(args)
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.process = None
        self.url = None
        self.stderr_lines = []

    def start(self, expect_failure=False):
        cmd = [self.binary, "--listen", "127.0.0.1:0", "--data-dir", self.data_dir] + self.args
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=self.env)
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        if expect_failure:
            return self
        line = self.process.stdout.readline()
        match = re.search(r"listening on (https?://\S+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"wardend did not start: {line!r} {self.stderr()}")
        self.url = match.group(1)
        return self

    def _drain_stderr(self):
        for line in self.process.stderr:
            self.stderr_lines.append(line)

    def stderr(self):
        return "".join(self.stderr_lines)

    def stop(self, timeout=20):
        """SIGTERM and wait; returns the exit status."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    def cleanup(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.owns_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.cleanup()

    # HTTP helpers
    def get(self, path, token=None, **kw):
        return requests.get(self.url + path, headers=_auth(token, kw), timeout=30, **kw)

    def post(self, path, token=None, **kw):
        return requests.post(self.url + path, headers=_auth(token, kw), timeout=30, **kw)

    def patch(self, path, token=None, **kw):
        return requests.patch(self.url + path, headers=_auth(token, kw), timeout=30, **kw)

    def delete(self, path, token=None, **kw):
        return requests.delete(self.url + path, headers=_auth(token, kw), timeout=30, **kw)

    def register(self, email, password="correct horse", **extra):
        r = self.post("/api/auth/register", json={"email": email, "password": password, **extra})
        assert r.status_code == 201, (r.status_code, r.text)
        return r.json()

    def login(self, email, password="correct horse", **form):
        return self.post("/api/auth/login", data={"username": email, "password": password, **form})

    def token(self, email, password="correct horse", **form):
        r = self.login(email, password, **form)
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()


def _auth(token, kw):
    headers = dict(kw.pop("headers", {}) or {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return headers


class WardendTestCase(unittest.TestCase):
    """A test case with one wardend for the whole class (fast hashing, generous lockout)."""

    wardend_args = []

    @classmethod
    def setUpClass(cls):
        cls.server = Wardend(*FAST_HASHING, "--login-max-failures", "1000", *cls.wardend_args)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        cls.server.cleanup()
        assert status == 0, f"wardend exited with {status}: {cls.server.stderr()}"

    _counter = 0

    def unique_email(self, prefix="user"):
        WardendTestCase._counter += 1
        return f"{prefix}{WardendTestCase._counter}.{time.monotonic_ns()}@example.com"


def raw_exchange(server, data, timeout=15, pieces=None):
    """Sends raw bytes (in `pieces` of that size, a little apart, if given); returns everything
    the server sends until it closes (or the timeout)."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            if pieces:
                for at in range(0, len(data), pieces):
                    s.sendall(data[at:at + pieces])
                    time.sleep(0.002)
            else:
                s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered and closed before the rest arrived
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)
