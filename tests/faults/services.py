"""Throwaway PostgreSQL clusters, Redis servers and gunicorn for fault tests, on spare 127.0.0.1 ports.

Never the shared services: a fault test stops and starts what it started itself.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> float:
    """Poll ``condition`` until it holds; returns the seconds it took. Fails after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {seconds} s")


def postgres_bin(name: str) -> str:
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return found[-1]


@dataclass
class PostgresCluster:
    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/faults"

    def _run(self, *args: str) -> None:
        command = [*args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._run(
            postgres_bin("pg_ctl"), "-D", str(self.directory), "-w", "-t", "30", "-l", str(self.directory / "log"),
            "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(postgres_bin("pg_ctl"), "-D", str(self.directory), "-w", "-m", "fast", "stop")


@contextlib.contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    directory = Path(tempfile.mkdtemp(prefix="faults-pg-"))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(directory, postgres.pw_uid, postgres.pw_gid)
    cluster = PostgresCluster(directory / "data", free_port())
    try:
        cluster._run(postgres_bin("initdb"), "-D", str(cluster.directory), "-U", "postgres", "-A", "trust")
        cluster.start()
        cluster._run(postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "faults")
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen[bytes] | None = None
    # With a directory, Redis keeps an append-only file there (as docker-compose.yml configures it), so what
    # was queued survives a restart.
    directory: str | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        persistence = ["--appendonly", "yes", "--dir", self.directory] if self.directory else ["--appendonly", "no"]
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", *persistence],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self.answers, 10, "redis to start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
        return False


@contextlib.contextmanager
def redis_server(*, persistent: bool = False) -> Iterator[RedisServer]:
    directory = tempfile.mkdtemp(prefix="faults-redis-") if persistent else None
    server = RedisServer(free_port(), directory=directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if directory:
            shutil.rmtree(directory, ignore_errors=True)


def project_env(**overrides: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
        "SECRET_KEY": "faults-" + os.urandom(8).hex(),
    }
    env.pop("REDIS_URL", None)
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300
    )
    return done.stdout


# Each gunicorn worker imports the whole app (scikit-learn among it), seconds of CPU. With the rest of the
# suite running beside it under pytest-xdist, two workers took 20 s to boot on two cores, and a worker
# still booting when gunicorn's worker timeout passes is killed and booted again, over and over. Both
# limits leave room for a loaded machine; a gunicorn that exits fails the test at once, with its log.
GUNICORN_BOOT_SECONDS = 120


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int = 2) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile(prefix="faults-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--timeout", str(GUNICORN_BOOT_SECONDS)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip

    def answers() -> bool:
        if process.poll() is not None:
            log.flush()
            raise AssertionError(
                f"gunicorn exited ({process.returncode}) before answering:\n{Path(log.name).read_text()[-3000:]}"
            )
        return request(base, "GET", "/healthz").status in (200, 503)

    try:
        wait_until(answers, GUNICORN_BOOT_SECONDS, "gunicorn to answer")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        os.unlink(log.name)


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        import json

        return json.loads(self.body)


def request(base: str, method: str, path: str, body: bytes | None = None, **headers: str) -> Answer:
    headers = {"Content-Type": "application/json", **headers} if body is not None else headers
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=15) as response:  # noqa: S310 -- 127.0.0.1 only
            return Answer(
                response.status, response.headers.get("Content-Type", ""), response.read(), dict(response.headers)
            )
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers.get("Content-Type", ""), error.read(), dict(error.headers))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return Answer(0, "", b"", {})
