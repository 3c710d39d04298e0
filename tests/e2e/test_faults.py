"""Storage faults while wardend runs: the data directory fills up, or its filesystem turns
read-only after an error. Requests that must write answer 503 with a `{"detail": ...}` and
`Retry-After`, the process keeps serving what it can, `/readyz` says what is true, and a full
disk that gets space again is written to again without a restart.

The faults are real filesystems, set up by the test as root: a tmpfs with a size limit (full) and
a loop-mounted ext4 image whose error trigger makes the kernel remount it read-only (the way a
disk error does it in production; `mount -o remount,ro` is refused with EBUSY while wardend holds
its database open for writing). Without root the tests skip; CI runs as root, so they run there.
"""
import errno
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from wardend import FAST_HASHING, Wardend

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def wait_until(predicate, timeout=30.0, interval=0.05, what="condition"):
    """Polls `predicate` until it returns a true value (returned) or `timeout` passes (fails)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True)


class storage_fault_case(unittest.TestCase):
    """Common set-up: a mount point that tearDown always unmounts, a wardend inside it."""

    def setUp(self):
        if not IS_ROOT:
            self.skipTest("needs root: the test mounts a small filesystem for the data directory")
        self.mount_point = tempfile.mkdtemp(prefix="warden-fault-")
        self.addCleanup(shutil.rmtree, self.mount_point, True)
        self.server = None

    def mount(self, *args):
        """Mounts (as root a failure is an error: CI must run these tests)."""
        result = subprocess.run(["mount", *args, self.mount_point], capture_output=True, text=True)
        if result.returncode != 0:
            self.fail(f"cannot mount {args} on {self.mount_point}: {result.stderr.strip()}")
        # Cleanups run last-in first-out: wardend is killed (its own cleanup) before this.
        self.addCleanup(self.unmount)

    def unmount(self):
        if subprocess.run(["umount", self.mount_point], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", self.mount_point], capture_output=True)

    def start_wardend(self):
        data_dir = os.path.join(self.mount_point, "data")
        self.server = Wardend(*FAST_HASHING, "--login-max-failures", "1000", data_dir=data_dir)
        self.addCleanup(self.server.cleanup)
        self.server.start()
        return self.server

    # Checks shared by both faults.
    def assert_unavailable(self, response, what):
        self.assertEqual(response.status_code, 503, f"{what}: {response.status_code} {response.text}")
        body = response.json()
        self.assertIsInstance(body.get("detail"), str, f"{what}: {body}")
        self.assertTrue(body["detail"], what)
        self.assertIn("Retry-After", response.headers, what)
        self.assertGreater(int(response.headers["Retry-After"]), 0, what)

    def assert_alive(self):
        self.assertIsNone(self.server.process.poll(), f"wardend died: {self.server.stderr()}")
        self.assertEqual(self.server.get("/healthz").status_code, 200)

    def register(self, email):
        return self.server.post("/api/auth/register", json={"email": email, "password": "correct horse"})


class full_data_directory(storage_fault_case):
    def setUp(self):
        super().setUp()
        # Room for the database, its WAL and a few hundred writes; then a ballast file fills it.
        self.mount("-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs")
        self.ballast = os.path.join(self.mount_point, "ballast")

    def fill(self):
        """Writes the ballast until the filesystem says ENOSPC (down to single bytes)."""
        with open(self.ballast, "wb", buffering=0) as f:
            for size in (1 << 20, 1 << 12, 1):
                chunk = b"\0" * size
                while True:
                    try:
                        f.write(chunk)
                    except OSError as e:
                        if e.errno != errno.ENOSPC:
                            raise
                        break
        self.assertEqual(os.statvfs(self.mount_point).f_bavail, 0)

    def test_writes_answer_503_while_full_and_succeed_again_once_there_is_room(self):
        server = self.start_wardend()
        self.assertEqual(self.register("before@example.com").status_code, 201)
        before = server.token("before@example.com")
        self.fill()

        # Registration and login both write (the user row; the session's refresh-token family).
        self.assert_unavailable(self.register("during@example.com"), "register while full")
        self.assert_unavailable(server.login("before@example.com"), "login while full")
        self.assert_unavailable(server.post("/api/auth/login", data={
            "grant_type": "refresh_token", "refresh_token": before["refresh_token"]}), "refresh while full")
        # Reads still work: the existing access token is honoured.
        me = server.get("/api/users/me", token=before["access_token"])
        self.assertEqual(me.status_code, 200, me.text)
        self.assert_alive()

        # Room again: writes succeed without a restart.
        os.unlink(self.ballast)
        r = self.register("during@example.com")
        self.assertEqual(r.status_code, 201, r.text)
        self.assertEqual(server.login("during@example.com").status_code, 200)
        refreshed = server.post("/api/auth/login", data={
            "grant_type": "refresh_token", "refresh_token": before["refresh_token"]})
        self.assertEqual(refreshed.status_code, 200, refreshed.text)
        self.assertEqual(server.get("/readyz").status_code, 200)
        self.assertEqual(server.stop(), 0, server.stderr())


    def test_readyz_says_not_ready_while_writes_fail(self):
        # /readyz proves the store can commit a write, not only read its header: a full disk
        # answers 503 although reads still work, and 200 again once there is room.
        server = self.start_wardend()
        self.assertEqual(server.get("/readyz").status_code, 200)
        self.fill()
        self.assert_unavailable(self.register("during@example.com"), "register while full")
        ready = server.get("/readyz")
        self.assertEqual(ready.status_code, 503, ready.text)
        self.assertEqual(ready.json(), {"status": "unavailable"})
        os.unlink(self.ballast)
        wait_until(lambda: server.get("/readyz").status_code == 200, what="/readyz to recover")


class read_only_data_directory(storage_fault_case):
    def setUp(self):
        super().setUp()
        for tool in ("mkfs.ext4", "losetup"):
            if shutil.which(tool) is None:
                self.fail(f"{tool} is missing (e2fsprogs, mount): needed for the read-only fault")
        image_dir = tempfile.mkdtemp(prefix="warden-fault-image-")
        self.addCleanup(shutil.rmtree, image_dir, True)
        self.image = os.path.join(image_dir, "data.ext4")
        with open(self.image, "wb") as f:
            f.truncate(32 << 20)
        run("mkfs.ext4", "-q", "-F", self.image)
        self.mount("-t", "ext4", "-o", "loop,errors=remount-ro", self.image)

    def trigger_filesystem_error(self):
        """ext4's test hook for a filesystem error: with errors=remount-ro the kernel turns the
        filesystem read-only at once, open files and all (a failing disk does the same)."""
        device = os.path.basename(run("findmnt", "-no", "SOURCE", self.mount_point).stdout.strip())
        trigger = f"/sys/fs/ext4/{device}/trigger_fs_error"
        if not os.path.exists(trigger):
            self.fail(f"{trigger} is missing: the kernel cannot simulate an ext4 error")
        with open(trigger, "w") as f:
            f.write("warden fault test\n")
        wait_until(self.is_read_only, what="the filesystem to turn read-only")

    def is_read_only(self):
        # The mount options keep saying "rw" (the kernel adds "emergency_ro"): ask by writing.
        try:
            fd = os.open(os.path.join(self.mount_point, "probe"), os.O_CREAT | os.O_WRONLY, 0o600)
        except OSError as e:
            if e.errno == errno.EROFS:
                return True
            raise
        os.close(fd)
        os.unlink(os.path.join(self.mount_point, "probe"))
        return False

    def test_writes_answer_503_and_the_server_keeps_serving(self):
        server = self.start_wardend()
        self.assertEqual(self.register("before@example.com").status_code, 201)
        before = server.token("before@example.com")
        self.trigger_filesystem_error()

        self.assert_unavailable(self.register("during@example.com"), "register on a read-only filesystem")
        self.assert_unavailable(server.login("before@example.com"), "login on a read-only filesystem")
        self.assert_alive()
        # The existing access token still works: the guard only reads.
        me = server.get("/api/users/me", token=before["access_token"])
        self.assertEqual(me.status_code, 200, me.text)
        # A second round: a failed write leaves no connection in a state that crashes the next.
        self.assert_unavailable(self.register("again@example.com"), "second register")
        self.assert_alive()
        ready = server.get("/readyz")
        self.assertEqual((ready.status_code, ready.json()), (503, {"status": "unavailable"}))

        # The operator repairs the disk: the kernel will not remount an ext4 that had an error
        # read-write while files are open on it, so detach it (wardend's old descriptors stay on
        # the dead mount), check it and mount it again at the same place. wardend closes each
        # connection whose file failed this way and opens the file again: no restart.
        run("umount", "-l", self.mount_point)
        subprocess.run(["e2fsck", "-fy", self.image], capture_output=True)  # exit 1: fixed
        run("mount", "-t", "ext4", "-o", "loop,errors=remount-ro", self.image, self.mount_point)
        self.assertFalse(self.is_read_only())
        wait_until(lambda: self.register("after@example.com").status_code == 201,
                   what="registration to work again on the repaired disk")
        self.assertEqual(server.login("before@example.com").status_code, 200)
        wait_until(lambda: server.get("/readyz").status_code == 200, what="/readyz to recover")
        self.assertEqual(server.stop(), 0, server.stderr())


if __name__ == "__main__":
    unittest.main()
