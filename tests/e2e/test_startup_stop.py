"""A stop signal while wardend waits for its database at start-up (up to --connect-timeout) ends it
at once, with exit status 1 and a line saying it did not start, instead of after the timeout."""
import signal
import subprocess
import time
import unittest

from test_servers import free_port
from wardend import Wardend


class stop_during_start_up(unittest.TestCase):
    def test_sigterm_while_waiting_for_postgresql_ends_wardend_at_once(self):
        url = f"postgresql://warden:hunter2@127.0.0.1:{free_port()}/warden"
        server = Wardend("--database", url, "--connect-timeout", "60s")
        self.addCleanup(server.cleanup)
        server.start(expect_failure=True)
        time.sleep(1.0)  # retrying the connection by now
        self.assertIsNone(server.process.poll())
        sent = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        try:
            status = server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            self.fail("wardend ignored SIGTERM while waiting for its database")
        self.assertLess(time.monotonic() - sent, 5.0)
        self.assertEqual(status, 1)
        time.sleep(0.2)  # let the stderr reader catch up
        self.assertIn("signal 15 during start-up: not started", server.stderr())
        self.assertNotIn("hunter2", server.stderr())


if __name__ == "__main__":
    unittest.main()
