#!/usr/bin/env python3
"""Throwaway PostgreSQL and Redis servers for the tests, on loopback, in temp directories.

A module (stdlib only) and a command-line tool.

    from test_servers import PostgresServer, RedisServer, require_or_skip

    class t(unittest.TestCase):
        def setUp(self):
            require_or_skip("postgres", self)        # skips, or fails under CI=true
            self.pg = PostgresServer().start()
            self.addCleanup(self.pg.destroy)
            url = self.pg.create_database()         # postgresql://warden@127.0.0.1:P/warden_test_...

The shared cluster that CTest starts (fixture `postgres_server`) is named by the file in
WARDEN_TEST_POSTGRES_URL_FILE: `shared_postgres(self)` gives a client for it (or skips/fails).

    python3 tests/support/test_servers.py start postgres DIR   # writes DIR/url, prints the URL
    python3 tests/support/test_servers.py start redis DIR
    python3 tests/support/test_servers.py stop DIR             # stops it, deletes its data
    python3 tests/support/test_servers.py selftest             # tests this module (CTest does)

PostgreSQL refuses to run as root: as root every server command runs as the `postgres` user
(`runuser -u postgres --`) and the data lives in a /tmp subdirectory owned by that user. The
superuser `warden` connects without a password on loopback (and through the socket, which only the
server's user can reach); every other role needs its password (scram-sha-256), so tests can make
roles with passwords. fsync is off: a crash loses the cluster, which is a test cluster.

Each server directory records its owner (owner.json: the test process, or the CLI's DIR); every
start first stops and deletes the servers whose owner is gone (a test killed by CTest's timeout
runs no cleanup), so they do not pile up over a CI run.
"""
import glob
import itertools
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

SUPERUSER = "warden"
POSTGRES_USER = "postgres"  # the account PostgreSQL runs as when we are root
_database_counter = itertools.count(1)


# --- availability -----------------------------------------------------------------------------

def in_ci():
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def postgres_bindir():
    """The directory of initdb/pg_ctl/postgres: $WARDEN_PG_BINDIR, else the newest
    /usr/lib/postgresql/N/bin, else the directory of an initdb on PATH; None if none."""
    explicit = os.environ.get("WARDEN_PG_BINDIR")
    if explicit:
        return explicit
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if candidates:
        def version(path):
            try:
                return int(path.split("/")[-3])
            except ValueError:
                return 0
        return os.path.dirname(max(candidates, key=version))
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _is_root():
    return os.geteuid() == 0


def available(kind):
    """(True, "") when the servers of `kind` ("postgres" or "redis") can run here, else
    (False, why)."""
    if kind in ("postgres", "postgresql"):
        bindir = postgres_bindir()
        if not bindir:
            return False, "PostgreSQL server binaries not found (Debian: apt-get install postgresql)"
        for tool in ("initdb", "pg_ctl", "postgres", "psql"):
            path = os.path.join(bindir, tool)
            if not os.access(path, os.X_OK) and not (tool == "psql" and shutil.which("psql")):
                return False, f"{path} not found (Debian: apt-get install postgresql)"
        if _is_root():
            try:
                pwd.getpwnam(POSTGRES_USER)
            except KeyError:
                return False, (f"running as root and there is no '{POSTGRES_USER}' user to run "
                               "PostgreSQL as (it refuses root)")
            if not shutil.which("runuser"):
                return False, "running as root and runuser (util-linux) is missing"
        return True, ""
    if kind == "redis":
        if not _redis_server_binary():
            return False, "redis-server not found (Debian: apt-get install redis-server)"
        return True, ""
    raise ValueError(f"unknown server kind {kind!r}")


def require_or_skip(kind, testcase=None):
    """In a unittest setUp/setUpClass/test: returns if `kind` is available; otherwise skips the
    test (unittest.SkipTest) with the reason, or fails it when CI=true."""
    ok, why = available(kind)
    if ok:
        return
    _skip_or_fail(why, testcase)


def _skip_or_fail(why, testcase=None):
    if in_ci():
        failure = getattr(testcase, "failureException", AssertionError)
        raise failure(f"{why} (CI=true: the tests that need it must run)")
    raise unittest.SkipTest(why)


# --- helpers ----------------------------------------------------------------------------------

def free_port():
    """A loopback TCP port that was free a moment ago (callers retry if it is taken meanwhile)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port, timeout=0.2):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def _make_base_dir(prefix, for_user=None, state_dir=None):
    """A fresh 0700 temp dir; as root for another user, under /tmp (traversable by anyone) and
    owned by that user. It records its owner (see reap_orphans)."""
    if for_user is not None:
        path = tempfile.mkdtemp(prefix=prefix, dir="/tmp")
        entry = pwd.getpwnam(for_user)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    else:
        path = tempfile.mkdtemp(prefix=prefix)
    owner = {"pid": os.getpid(), "start": _process_start(os.getpid()), "state_dir": state_dir}
    with open(os.path.join(path, "owner.json"), "w") as f:
        json.dump(owner, f)
    return path


def _process_start(pid):
    """The process's start time (clock ticks after boot): a pid and this name one process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _owner_alive(base_dir):
    """False when the server in base_dir belongs to no one any more: the test process that
    started it is gone (killed by a timeout before it could stop it), or, for the CLI, its state
    directory no longer names it. True when unsure."""
    try:
        with open(os.path.join(base_dir, "owner.json")) as f:
            owner = json.load(f)
    except (OSError, ValueError):
        return True  # being created, or not ours
    pid = owner.get("pid")
    if pid is not None and _process_start(pid) == owner.get("start"):
        return True  # its creator runs (the CLI: still starting it)
    if owner.get("state_dir"):
        try:
            with open(_state_path(owner["state_dir"])) as f:
                return json.load(f).get("base_dir") == base_dir
        except (OSError, ValueError):
            return False
    return False


def reap_orphans():
    """Stops and deletes the throwaway servers whose owner is gone (a test process killed by
    CTest's timeout runs no cleanup). Servers of live owners, and directories without an owner
    record, are left alone."""
    roots = {"/tmp", tempfile.gettempdir()}
    for root in roots:
        for base_dir in glob.glob(os.path.join(root, "warden-pg-*")):
            if os.path.isdir(base_dir) and not _owner_alive(base_dir):
                try:
                    PostgresServer(base_dir=base_dir).destroy()
                except Exception:  # another process reaping it at the same time
                    pass
        for base_dir in glob.glob(os.path.join(root, "warden-redis-*")):
            if os.path.isdir(base_dir) and not _owner_alive(base_dir):
                server = RedisServer(base_dir=base_dir)
                try:
                    with open(os.path.join(base_dir, "redis.pid")) as f:
                        server.pid = int(f.read().strip())
                except (OSError, ValueError):
                    pass
                try:
                    server.destroy()
                except Exception:
                    pass


def _tail(path, lines=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


# --- PostgreSQL -------------------------------------------------------------------------------

class PostgresClient:
    """Administration of a running cluster through psql, as the superuser, over TCP."""

    def __init__(self, url):
        self.url = url  # postgresql://warden@127.0.0.1:PORT/postgres
        rest = url.split("@", 1)[1]
        hostport = rest.split("/", 1)[0]
        self.host, port = hostport.rsplit(":", 1)
        self.port = int(port)

    def database_url(self, name):
        return f"postgresql://{SUPERUSER}@{self.host}:{self.port}/{name}"

    def psql(self, sql, database="postgres", check=True):
        """Runs SQL (one or more statements); returns stdout (unaligned, tuples only)."""
        bindir = postgres_bindir() or ""
        psql = os.path.join(bindir, "psql")
        if not os.access(psql, os.X_OK):
            psql = shutil.which("psql") or "psql"
        cmd = [psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.host,
               "-p", str(self.port), "-U", SUPERUSER, "-d", database, "-c", sql]
        env = dict(os.environ, PGCONNECT_TIMEOUT="10")
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120,
                           stdin=subprocess.DEVNULL)
        if check and r.returncode != 0:
            raise RuntimeError(f"psql failed ({r.returncode}): {sql!r}: {r.stderr.strip()}")
        return r.stdout

    def create_database(self, name=None):
        """A new empty database with a unique name; returns its URL."""
        name = name or unique_database_name()
        self.psql(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def drop_database(self, name_or_url):
        name = name_or_url.rsplit("/", 1)[-1].split("?", 1)[0]
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def ready(self):
        try:
            return self.psql("SELECT 1", check=False).strip() == "1"
        except (OSError, subprocess.TimeoutExpired):
            return False


def unique_database_name(prefix="warden_test"):
    """Unique across processes and runs: pid, a counter and random bits."""
    return f"{prefix}_{os.getpid()}_{next(_database_counter)}_{secrets.token_hex(4)}"


class PostgresServer:
    """One throwaway cluster. `start()` initialises and starts it; `stop()`/`start_again()` keep
    its data and port; `destroy()` removes everything. A context manager (destroys on exit)."""

    def __init__(self, base_dir=None, port=None, _state_dir=None):
        self.bindir = postgres_bindir()
        self.run_as = POSTGRES_USER if _is_root() else None
        self.base_dir = base_dir  # holds data/, the socket, the log and owner.json
        self.port = port
        self._initialised = False
        self._state_dir = _state_dir  # the CLI's DIR: owns the cluster while it names it

    # paths
    @property
    def data_dir(self):
        return os.path.join(self.base_dir, "data")

    @property
    def log_file(self):
        return os.path.join(self.base_dir, "postgres.log")

    @property
    def url(self):
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    @property
    def client(self):
        return PostgresClient(self.url)

    def _tool(self, name):
        return os.path.join(self.bindir, name)

    def _run(self, args, check=True, timeout=120):
        cmd = list(args)
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--"] + cmd
        # cwd: a directory the server's user may enter (it is not ours when we are root)
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=self.base_dir, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        if check and r.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}): "
                               f"{r.stdout.strip()} {r.stderr.strip()}\n{_tail(self.log_file)}")
        return r

    # life cycle
    def start(self):
        ok, why = available("postgres")
        if not ok:
            raise RuntimeError(why)
        reap_orphans()
        if self.base_dir is None:
            self.base_dir = _make_base_dir("warden-pg-", self.run_as, self._state_dir)
        self._initdb()
        fixed_port = self.port is not None
        for attempt in range(8):
            if not fixed_port:
                self.port = free_port()
            try:
                self.start_again()
                return self
            except RuntimeError:
                # another process took the port between free_port() and the bind: try another
                if fixed_port or attempt == 7 or "already in use" not in _tail(self.log_file, 10):
                    raise
        return self

    def _initdb(self):
        if self._initialised or os.path.exists(os.path.join(self.data_dir, "PG_VERSION")):
            self._initialised = True
            return
        self._run([self._tool("initdb"), "-D", self.data_dir, "-U", SUPERUSER, "-A", "trust",
                   "--encoding", "UTF8", "--locale", "C", "--no-sync", "--no-instructions"])
        # Trust the superuser on loopback only; everyone else proves their password.
        hba = ("# written by tests/support/test_servers.py\n"
               f"local all {SUPERUSER} trust\n"
               f"host  all {SUPERUSER} 127.0.0.1/32 trust\n"
               "host  all all 127.0.0.1/32 scram-sha-256\n")
        # As root we write it directly: truncating keeps the file's owner (the server's user).
        with open(os.path.join(self.data_dir, "pg_hba.conf"), "w") as f:
            f.write(hba)
        self._initialised = True

    def start_again(self):
        """Starts the stopped cluster on its port with its data (a server restart)."""
        if self.running():
            return self
        options = (f"-k {self.base_dir} -c listen_addresses=127.0.0.1 -p {self.port} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=300")
        self._run([self._tool("pg_ctl"), "-D", self.data_dir, "-l", self.log_file, "-w",
                   "-t", "60", "-o", options, "start"])
        return self

    def running(self):
        if not self.base_dir or not os.path.exists(self.data_dir):
            return False
        r = self._run([self._tool("pg_ctl"), "-D", self.data_dir, "status"], check=False)
        return r.returncode == 0

    def stop(self, mode="fast"):
        """Stops the server (mode: smart, fast or immediate); no error if it is not running."""
        if not self.running():
            return
        self._run([self._tool("pg_ctl"), "-D", self.data_dir, "-m", mode, "-w", "-t", "60", "stop"])

    def restart(self, mode="fast"):
        self.stop(mode)
        return self.start_again()

    def destroy(self):
        """Stops the server and deletes its directory."""
        if not self.base_dir:
            return
        try:
            self.stop("fast")
        except (RuntimeError, subprocess.TimeoutExpired):
            self.stop("immediate")
        shutil.rmtree(self.base_dir, ignore_errors=True)
        self._initialised = False

    # databases
    def create_database(self, name=None):
        return self.client.create_database(name)

    def drop_database(self, name_or_url):
        self.client.drop_database(name_or_url)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.destroy()


def shared_postgres(testcase=None):
    """A PostgresClient for the cluster CTest started (WARDEN_TEST_POSTGRES_URL, or the file named
    by WARDEN_TEST_POSTGRES_URL_FILE); skips or, under CI=true, fails when there is none."""
    url = os.environ.get("WARDEN_TEST_POSTGRES_URL")
    if not url:
        url_file = os.environ.get("WARDEN_TEST_POSTGRES_URL_FILE")
        if not url_file:
            _skip_or_fail("no test PostgreSQL: WARDEN_TEST_POSTGRES_URL_FILE is not set "
                          "(run through ctest)", testcase)
        try:
            with open(url_file) as f:
                url = f.read().strip()
        except OSError:
            ok, why = available("postgres")
            _skip_or_fail(f"no test PostgreSQL: {url_file} does not exist"
                          + (f" ({why})" if not ok else " (the fixture test_servers.postgres.start "
                             "did not run or failed)"), testcase)
    return PostgresClient(url)


# --- Redis ------------------------------------------------------------------------------------

def _redis_server_binary():
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.access("/usr/bin/redis-server", os.X_OK) else None)


def redis_command(port, *args, password=None, timeout=5.0):
    """Sends one command (RESP) and returns its reply: the line ('+PONG', ':1', '-ERR ...',
    '$-1' for nil, '*2' for an array) or a bulk string's value."""
    def encode(parts):
        out = [f"*{len(parts)}\r\n".encode()]
        for p in parts:
            b = p if isinstance(p, bytes) else str(p).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        return b"".join(out)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        if password is not None:
            s.sendall(encode(["AUTH", password]))
            _read_line(s)
        s.sendall(encode(args))
        line = _read_line(s)
        if line.startswith("$") and line != "$-1":  # a bulk string: its value
            size = int(line[1:]) + 2
            data = b""
            while len(data) < size:
                chunk = s.recv(size - len(data))
                if not chunk:
                    break
                data += chunk
            return data[:-2].decode(errors="replace")
        return line


def _read_line(s):
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = s.recv(1)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace").rstrip("\r\n")


class RedisServer:
    """One throwaway redis-server on loopback. `stop()`/`start_again()` keep its port and
    directory (with appendonly=True its data survives: appendfsync always). Context manager."""

    def __init__(self, base_dir=None, port=None, appendonly=False, password=None):
        self.binary = _redis_server_binary()
        self.base_dir = base_dir
        self.port = port
        self.appendonly = appendonly
        self.password = password
        self.process = None
        self.pid = None  # also set for a server started by another process (the CLI)

    @property
    def url(self):
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    @property
    def log_file(self):
        return os.path.join(self.base_dir, "redis.log")

    def _command(self):
        cmd = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
               "--dir", self.base_dir, "--daemonize", "no", "--logfile", self.log_file,
               "--pidfile", os.path.join(self.base_dir, "redis.pid"), "--protected-mode", "yes"]
        if self.appendonly:
            cmd += ["--appendonly", "yes", "--appendfsync", "always"]
        else:
            cmd += ["--appendonly", "no"]
        if self.password:
            cmd += ["--requirepass", self.password]
        return cmd

    def start(self):
        ok, why = available("redis")
        if not ok:
            raise RuntimeError(why)
        reap_orphans()
        if self.base_dir is None:
            self.base_dir = _make_base_dir("warden-redis-")
        fixed_port = self.port is not None
        for attempt in range(8):
            if not fixed_port:
                self.port = free_port()
            try:
                return self.start_again()
            except RuntimeError:
                if fixed_port or attempt == 7:
                    raise
        return self

    def start_again(self, detach=False):
        """Starts redis-server on the same port and directory. detach: in its own session, not
        a child to reap (for the CLI, whose process ends before the server)."""
        if self.running():
            return self
        self.process = subprocess.Popen(self._command(), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=detach)
        self.pid = self.process.pid
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}: "
                                   f"{_tail(self.log_file)}")
            try:
                if redis_command(self.port, "PING", password=self.password) == "+PONG":
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        self._kill()
        raise RuntimeError(f"redis-server did not answer within 30 s: {_tail(self.log_file)}")

    def running(self):
        if self.process is not None:
            return self.process.poll() is None
        if self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)
        except OSError:
            return False
        return _pid_is(self.pid, "redis-server")

    def stop(self, timeout=30):
        """SIGTERM (redis shuts down cleanly, syncing its append-only file); no error if it is
        not running."""
        if not self.running():
            return
        os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.running():
            self._kill()

    def _kill(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        if self.process is not None:
            self.process.wait()

    def restart(self):
        self.stop()
        return self.start_again()

    def destroy(self):
        self.stop()
        if self.base_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.destroy()


def _pid_is(pid, name):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return name.encode() in f.read()
    except OSError:
        return False


# --- self-test (`test_servers.py selftest`, run by CTest) ---------------------------------------

class _postgres_server_selftest(unittest.TestCase):
    def setUp(self):
        require_or_skip("postgres", self)

    def test_databases_are_distinct_and_survive_a_restart(self):
        with PostgresServer() as pg:
            self.assertTrue(pg.url.startswith("postgresql://warden@127.0.0.1:"))
            a, b = pg.create_database(), pg.create_database()
            self.assertNotEqual(a, b)
            name = a.rsplit("/", 1)[1]
            pg.client.psql("CREATE TABLE t (x integer); INSERT INTO t VALUES (7)", database=name)
            port = pg.port
            pg.stop()
            self.assertFalse(pg.client.ready())
            pg.stop()  # idempotent
            pg.start_again()
            self.assertEqual(pg.port, port)
            self.assertEqual(pg.client.psql("SELECT x FROM t", database=name).strip(), "7")
            pg.restart("immediate")
            self.assertEqual(pg.client.psql("SHOW fsync").strip(), "off")
            pg.drop_database(a)
            base = pg.base_dir
        self.assertFalse(os.path.exists(base))

    def test_other_roles_need_their_password(self):
        with PostgresServer() as pg:
            pg.client.psql("CREATE ROLE bob LOGIN PASSWORD 'right'")
            psql = os.path.join(pg.bindir, "psql")
            for password, status in (("wrong", 2), ("right", 0)):
                r = subprocess.run([psql, "-X", "-tAc", "SELECT 1",
                                    f"postgresql://bob:{password}@127.0.0.1:{pg.port}/postgres"],
                                   capture_output=True, text=True, stdin=subprocess.DEVNULL)
                self.assertEqual(r.returncode, status, r.stderr)


class _redis_server_selftest(unittest.TestCase):
    def setUp(self):
        require_or_skip("redis", self)

    def test_append_only_data_survives_a_restart_on_the_same_port(self):
        with RedisServer(appendonly=True) as r:
            self.assertEqual(r.url, f"redis://127.0.0.1:{r.port}/0")
            self.assertEqual(redis_command(r.port, "SET", "k", "v"), "+OK")
            port = r.port
            r.stop()
            r.stop()  # idempotent
            self.assertFalse(_port_open(port))
            r.start_again()
            self.assertEqual(redis_command(r.port, "GET", "k"), "v")
            base = r.base_dir
        self.assertFalse(os.path.exists(base))

    def test_without_append_only_a_restart_forgets(self):
        with RedisServer(password="s3cret") as r:
            self.assertEqual(r.url, f"redis://:s3cret@127.0.0.1:{r.port}/0")
            self.assertTrue(redis_command(r.port, "PING").startswith("-NOAUTH"))
            self.assertEqual(redis_command(r.port, "SET", "k", "v", password="s3cret"), "+OK")
            r.restart()
            self.assertEqual(redis_command(r.port, "GET", "k", password="s3cret"), "$-1")


class _orphan_selftest(unittest.TestCase):
    def _started_then_killed(self, kind):
        code = ("import sys, time, test_servers as t\n"
                f"s = t.{'PostgresServer' if kind == 'postgres' else 'RedisServer'}().start()\n"
                "print(s.base_dir, s.port, flush=True)\n"
                "time.sleep(300)\n")
        env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.abspath(__file__)))
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                                 env=env)
        try:
            base_dir, port = child.stdout.readline().split()
        finally:
            child.kill()  # as CTest's timeout does: no cleanup runs
            child.wait()
            child.stdout.close()
        return base_dir, int(port)

    def test_a_server_whose_test_was_killed_is_reaped_by_the_next_start(self):
        for kind in ("postgres", "redis"):
            with self.subTest(kind):
                require_or_skip(kind, self)
                base_dir, port = self._started_then_killed(kind)
                self.assertTrue(_port_open(port))
                with PostgresServer() if kind == "redis" else RedisServer() as other:
                    self.assertTrue(os.path.isdir(other.base_dir))  # a live owner: kept
                self.assertFalse(os.path.exists(base_dir))
                deadline = time.monotonic() + 10
                while _port_open(port) and time.monotonic() < deadline:
                    time.sleep(0.05)
                self.assertFalse(_port_open(port))


class _availability_selftest(unittest.TestCase):
    def test_missing_binaries_skip_outside_ci_and_fail_in_ci(self):
        saved = {k: os.environ.get(k) for k in ("WARDEN_PG_BINDIR", "CI")}
        try:
            os.environ["WARDEN_PG_BINDIR"] = "/nonexistent"
            ok, why = available("postgres")
            self.assertFalse(ok)
            self.assertIn("/nonexistent/initdb", why)
            os.environ["CI"] = "false"
            with self.assertRaises(unittest.SkipTest):
                require_or_skip("postgres", self)
            os.environ["CI"] = "true"
            with self.assertRaises(AssertionError):
                require_or_skip("postgres", self)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def _selftest():
    suite = unittest.TestSuite()
    for case in (_postgres_server_selftest, _redis_server_selftest, _orphan_selftest,
                 _availability_selftest):
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(case))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    return 0 if result.wasSuccessful() else 1


# --- command line -----------------------------------------------------------------------------

def _state_path(state_dir):
    return os.path.join(state_dir, "state.json")


def _stop_dir(state_dir):
    """Stops the server whose state is in state_dir and deletes its data; no error if none."""
    try:
        with open(_state_path(state_dir)) as f:
            state = json.load(f)
    except (OSError, ValueError):
        state = None
    if state and state.get("kind") == "postgres":
        server = PostgresServer(base_dir=state["base_dir"], port=state["port"])
        if server.bindir and os.path.isdir(state["base_dir"]):
            server.destroy()
        shutil.rmtree(state["base_dir"], ignore_errors=True)
    elif state and state.get("kind") == "redis":
        server = RedisServer(base_dir=state["base_dir"], port=state["port"])
        server.pid = state.get("pid")
        server.destroy()
    for name in ("url", "state.json"):
        try:
            os.unlink(os.path.join(state_dir, name))
        except FileNotFoundError:
            pass
    try:
        os.rmdir(state_dir)
    except OSError:
        pass


def _start_dir(kind, state_dir):
    _stop_dir(state_dir)  # a cluster left over by an interrupted run
    ok, why = available(kind)
    if not ok:
        if in_ci():
            print(f"test_servers: {why} (CI=true: the tests that need it must run)",
                  file=sys.stderr)
            return 1
        print(f"test_servers: no {kind} server: {why}; the tests that need one will skip")
        return 0
    os.makedirs(state_dir, exist_ok=True)
    if kind == "postgres":
        server = PostgresServer(_state_dir=state_dir)
        try:
            server.start()
        except Exception:
            server.destroy()
            raise
        state = {"kind": kind, "base_dir": server.base_dir, "port": server.port}
    else:
        reap_orphans()
        server = RedisServer()
        server.base_dir = _make_base_dir("warden-redis-", state_dir=state_dir)
        for attempt in range(8):
            server.port = free_port()
            try:
                server.start_again(detach=True)
                break
            except RuntimeError:
                if attempt == 7:
                    server.destroy()
                    raise
        state = {"kind": kind, "base_dir": server.base_dir, "port": server.port,
                 "pid": server.pid}
    with open(_state_path(state_dir), "w") as f:
        json.dump(state, f)
    url_path = os.path.join(state_dir, "url")
    with open(url_path + ".tmp", "w") as f:
        f.write(server.url + "\n")
    os.replace(url_path + ".tmp", url_path)  # readers never see half a URL
    print(server.url)
    return 0


def main(argv):
    usage = ("usage: test_servers.py start {postgres|redis} DIR\n"
             "       test_servers.py stop DIR\n"
             "       test_servers.py selftest")
    if len(argv) == 3 and argv[0] == "start" and argv[1] in ("postgres", "redis"):
        return _start_dir(argv[1], os.path.abspath(argv[2]))
    if len(argv) == 2 and argv[0] == "stop":
        _stop_dir(os.path.abspath(argv[1]))
        return 0
    if argv == ["selftest"]:
        return _selftest()
    print(usage, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
