#!/usr/bin/python3
"""A real SMTP server for the tests (Debian's python3-aiosmtpd) that keeps every mail it receives.

Each accepted mail is written to DIRECTORY as NNNN.eml (the bytes received, CRLF line breaks)
and NNNN.json ({"mail_from": ..., "rcpt_tos": [...]}, the envelope), the .json last and each
file renamed into place complete, so a reader that sees NNNN.json can read both.

From the command line (prints the port on stdout, serves until SIGTERM or SIGINT):

    /usr/bin/python3 tests/support/smtp_sink.py DIRECTORY [--port N] [--auth USER:PASSWORD]
                                                [--reject-domain DOMAIN ...]

From Python tests (PYTHONPATH has tests/support):

    from smtp_sink import SmtpSink
    with SmtpSink(directory) as sink:               # listens on a free loopback port
        url = sink.url                              # smtp://127.0.0.1:PORT
        ...
        mail = sink.wait_for(1)[0]                  # ReceivedMail: .envelope_from, .rcpt_tos,
        mail.message["Subject"], mail.text, mail.html   # .message (email.message.EmailMessage)
        sink.stop(); sink.start()                   # down, then up again on the same port

--auth / auth=: the server offers AUTH PLAIN and LOGIN without TLS and accepts only that user
and password (and then refuses mail from clients that did not log in). --reject-domain /
reject_domains=: RCPT TO an address at that domain is refused with 550 (a permanent failure).
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import signal
import sys
import threading
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


# AUTH without TLS is what the tests want (loopback only): no warnings about it.
warnings.filterwarnings("ignore", module="aiosmtpd")
logging.getLogger("mail.log").setLevel(logging.ERROR)


class ReceivedMail:
    """One received mail: the envelope and the parsed message."""

    def __init__(self, raw, envelope):
        self.raw = raw
        self.envelope_from = envelope["mail_from"]
        self.rcpt_tos = envelope["rcpt_tos"]
        self.message = email.message_from_bytes(raw, policy=email.policy.default)

    def _part(self, subtype):
        part = self.message.get_body(preferencelist=(subtype,))
        return None if part is None else part.get_content()

    @property
    def text(self):
        """The text/plain alternative, decoded."""
        return self._part("plain")

    @property
    def html(self):
        """The text/html alternative, decoded."""
        return self._part("html")


class _Handler:
    def __init__(self, directory, reject_domains):
        self.directory = directory
        self.reject_domains = {d.lower() for d in reject_domains}
        self.count = len([n for n in os.listdir(directory) if n.endswith(".json")])
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.rpartition("@")[2].lower() in self.reject_domains:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            stem = os.path.join(self.directory, "%04d" % self.count)
        _write(stem + ".eml", envelope.original_content)
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos)}
        _write(stem + ".json", json.dumps(meta).encode())
        return "250 OK: kept"


def _write(path, data):
    partial = path + ".partial"
    with open(partial, "wb") as f:
        f.write(data)
    os.replace(partial, path)


def _authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        return AuthResult(success=ok)
    return check


class SmtpSink:
    """The server on its own thread and event loop; a context manager."""

    def __init__(self, directory, port=0, host="127.0.0.1", auth=None, reject_domains=()):
        os.makedirs(directory, exist_ok=True)
        self.directory = directory
        self.host = host
        self.port = port
        self.auth = auth
        self.handler = _Handler(directory, reject_domains)
        self._loop = None
        self._thread = None
        self._server = None

    @property
    def url(self):
        return "smtp://%s:%d" % (self.host, self.port)

    def _factory(self):
        options = {"hostname": "smtp-sink.test", "enable_SMTPUTF8": True}
        if self.auth is not None:
            options.update(authenticator=_authenticator(*self.auth), auth_required=True,
                           auth_require_tls=False)
        return SMTP(self.handler, **options)

    def start(self):
        """Starts listening (on the same port as before after a stop) and returns the port."""
        ready = threading.Event()
        failure = []

        def run():
            self._loop = asyncio.new_event_loop()
            try:
                self._server = self._loop.run_until_complete(self._loop.create_server(
                    self._factory, self.host, self.port, reuse_address=True))
            except OSError as e:
                failure.append(e)
                ready.set()
                return
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()
            self._server.close()
            self._loop.run_until_complete(self._server.wait_closed())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="smtp-sink", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            self._thread.join()
            raise failure[0]
        return self.port

    def stop(self):
        """Stops listening and closes the open connections."""
        if self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def messages(self):
        """Every mail received so far, in order."""
        return read_messages(self.directory)

    def wait_for(self, count, timeout=10.0):
        """The mails once at least `count` were received; AssertionError after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.messages()
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError("%d mails received, expected %d" % (len(found), count))
            time.sleep(0.02)


def read_messages(directory):
    """The mails a sink (in this process or another) wrote into `directory`, in order."""
    mails = []
    for name in sorted(n for n in os.listdir(directory) if n.endswith(".json")):
        stem = os.path.join(directory, name[:-5])
        with open(stem + ".json") as f:
            envelope = json.load(f)
        with open(stem + ".eml", "rb") as f:
            mails.append(ReceivedMail(f.read(), envelope))
    return mails


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--auth", help="USER:PASSWORD the server requires")
    parser.add_argument("--reject-domain", action="append", default=[])
    args = parser.parse_args()
    auth = tuple(args.auth.split(":", 1)) if args.auth else None
    sink = SmtpSink(args.directory, args.port, args.host, auth, args.reject_domain)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(sink.start(), flush=True)
    stop.wait()
    sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
