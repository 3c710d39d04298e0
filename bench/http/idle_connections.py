#!/usr/bin/python3
"""Holds N idle keep-alive connections to a server (SPEC §6: 10,000), then proves each one still
works, and reports the server's RSS before and while holding them.

usage: idle_connections.py PORT [N] [HOLD_SECONDS] [SERVER_PID]
Prints one line: IDLE held=<n> answered=<n> failed=<n> rss_before_mib=<> rss_held_mib=<>
"""
import resource
import socket
import sys
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"


def rss_mib(pid):
    if pid is None:
        return float("nan")
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def exchange(sock):
    """One request on a kept-alive connection; True when a 200 with its whole body came back."""
    sock.sendall(REQUEST)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            return False
        body += chunk
    return head.startswith(b"HTTP/1.1 200")


def main():
    port = int(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    hold = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    pid = int(sys.argv[4]) if len(sys.argv) > 4 else None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 64), hard))

    before = rss_mib(pid)
    sockets, failed = [], 0
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            if exchange(s):
                sockets.append(s)
            else:
                failed += 1
                s.close()
        except OSError:
            failed += 1
    time.sleep(hold)
    held = rss_mib(pid)
    answered = 0
    for s in sockets:
        try:
            answered += exchange(s)
        except OSError:
            pass
        s.close()
    print(f"IDLE held={len(sockets)} answered={answered} failed={failed + len(sockets) - answered} "
          f"rss_before_mib={before:.1f} rss_held_mib={held:.1f}")
    return 0 if failed == 0 and answered == count else 1


if __name__ == "__main__":
    sys.exit(main())
