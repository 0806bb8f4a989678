"""The app served by real gunicorn processes, and a minimal cookie-keeping HTTP client."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FIELD = re.compile(r'<input type="(?:date|time|number|hidden)"[^>]*name="(\w+)" value="([^"]*)"')


def flask(env: dict, *command: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *command], cwd=ROOT, env=env,
                   check=True, capture_output=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict, instance: Path, workers: int = 2):
    """`gunicorn -w 2 --threads 4` as the README deploys it, its instance folder at `instance`;
    yields (process, base URL); every process of it is killed afterwards."""
    port = free_port()
    target = f"companion:create_app(instance_path={str(instance)!r})"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "--threads", "4", "--no-control-socket",
         "-b", f"127.0.0.1:{port}", target], cwd=ROOT, env=env, start_new_session=True,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        yield server, base
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


class Browser:
    """Cookies kept across requests (and across ports of 127.0.0.1, as a browser would not:
    that is the point when two instances sit behind one proxy); redirects not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), self._NoRedirect)

    def request(self, url: str, form: dict | None = None):
        data = urlencode(form, doseq=True).encode() if form is not None else None
        try:
            answer = self.opener.open(url, data, timeout=20)
        except urllib.error.HTTPError as error:
            answer = error
        return answer.status, dict(answer.headers), answer.read().decode()

    def token(self, url: str) -> str:
        return TOKEN.search(self.request(url)[2]).group(1)

    def sign_in(self, base: str, username: str, password: str) -> int:
        form = {"csrf_token": self.token(base + "/login"), "username": username,
                "password": password}
        return self.request(base + "/login", form)[0]
