"""Start the project's own Neo4j test server (``tests/neo4j_server``) from Python.

Used by the pytest session fixture (``tests/conftest.py``) and by ``benchmarks/neo4j_store.py``.
The server is the real Neo4j Community DBMS (kernel, Cypher runtime, Bolt connector) started
embedded in a JVM: Bolt on 127.0.0.1 on a free port, authentication on, its data in a new
temporary folder that is deleted when it stops. ``scripts/neo4j-test-server.sh`` does the same
from a shell, for a server that outlives one command.

Settings (environment): ``NEO4J_TEST_VERSION`` (default: the pom's 5.26 LTS version),
``JAVA_HOME`` (the JDK to run it with; calendar versions such as 2026.x need Java 21+),
``NEO4J_TEST_HEAP`` (JVM heap, default ``768m``), ``NEO4J_TEST_PAGECACHE`` (MiB, default 128)
and ``NEO4J_TEST_JIT`` (``quick`` or ``full``); the JVM options are the script's
(``scripts/neo4j-test-server.sh jvm-options``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent
ROOT = PROJECT.parents[1]
SCRIPT = ROOT / "scripts" / "neo4j-test-server.sh"
#: Seconds to wait for the build (the first one downloads Neo4j from Maven Central).
BUILD_TIMEOUT = 900
#: Seconds to wait until Bolt answers.
START_TIMEOUT = 300
#: Seconds a clean shutdown may take before the process is killed.
STOP_TIMEOUT = 60
DEFAULT_HEAP = "768m"


@dataclass(frozen=True)
class ServerInfo:
    """Where a Neo4j server is and how to log in."""

    uri: str
    user: str
    password: str
    database: str | None = None
    version: str | None = None

    def env(self) -> dict[str, str]:
        """The ``NEO4J_*`` variables a process needs to use this server."""
        out = {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password}
        if self.database:
            out["NEO4J_DATABASE"] = self.database
        return out


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if candidate.exists() else None
    return shutil.which("java")


def missing_tools() -> str | None:
    """Why the test server cannot be built and started here, or None when it can."""
    if _java() is None:
        return "java not found"
    if shutil.which("mvn") is None and not _jar(_version()).exists():
        return "mvn not found"
    if shutil.which("bash") is None:
        return "bash not found"
    return None


def _version() -> str:
    given = os.environ.get("NEO4J_TEST_VERSION")
    if given:
        return given
    pom = (PROJECT / "pom.xml").read_text(encoding="utf-8")
    found = re.search(r"<neo4j\.version>([0-9][^<]*)</neo4j\.version>", pom)
    if found is None:
        raise RuntimeError(f"no <neo4j.version> in {PROJECT / 'pom.xml'}")
    return found.group(1)


def _jar(version: str) -> Path:
    return PROJECT / "target" / version / "neo4j-test-server.jar"


def build(version: str | None = None) -> Path:
    """Build the server for ``version`` if needed (offline after the first build); its jar."""
    version = version or _version()
    env = {**os.environ, "NEO4J_TEST_VERSION": version}
    done = subprocess.run(
        ["bash", str(SCRIPT), "build"],
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"building the Neo4j test server failed:\n{done.stderr}")
    return _jar(version)


class RunningServer:
    """A test server this process started; :meth:`stop` ends it (also at garbage collection
    of the pipe: the server stops when its standard input closes)."""

    def __init__(self, process: subprocess.Popen[str], info: ServerInfo, log: Path):
        self.process = process
        self.info = info
        self.log = log

    def kill(self) -> None:
        """Stop the server the hard way (SIGKILL), as a crash or power cut would."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close()

    def stop(self) -> None:
        """Shut the server down cleanly (SIGTERM), killing it after :data:`STOP_TIMEOUT` s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._close()

    def _close(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self.log.unlink(missing_ok=True)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(
    version: str | None = None,
    *,
    heap: str | None = None,
    settings: dict[str, str] | None = None,
) -> RunningServer:
    """Build (if needed) and start a test server; returns once Bolt accepts connections.

    ``settings`` are the server's ``NEO4J_TEST_*`` variables (``NEO4J_TEST_HOME``,
    ``NEO4J_TEST_PORT``, ``NEO4J_TEST_PASSWORD``, ``NEO4J_TEST_LOCK_TIMEOUT`` …; see
    ``Neo4jTestServer.java``): with the same home, port and password a server can be stopped
    and started again on the same data.

    Raises
    ------
    RuntimeError
        When the build fails or the server does not come up within :data:`START_TIMEOUT` s.
    """
    version = version or _version()
    jar = build(version)
    java = _java()
    if java is None:
        raise RuntimeError("java not found")
    fd, log_name = tempfile.mkstemp(prefix="neo4j-test-server-", suffix=".log")
    log = Path(log_name)
    env = {**os.environ, **(settings or {}), "NEO4J_TEST_STOP_ON_EOF": "1"}
    env_heap = os.environ.get("NEO4J_TEST_HEAP") or DEFAULT_HEAP
    with os.fdopen(fd, "w") as log_file:
        options = subprocess.run(
            ["bash", str(SCRIPT), "jvm-options"],
            env={**env, "NEO4J_TEST_VERSION": version, "NEO4J_TEST_HEAP": heap or env_heap},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        process = subprocess.Popen(
            [java, *options, "-jar", str(jar)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
            env=env,
            start_new_session=True,  # a Ctrl-C of pytest reaches the server only through us
        )
    lines: dict[str, str] = {}
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            line = line.strip()
            if line == "READY":
                ready.set()
                return
            key, _, value = line.partition("=")
            lines[key] = value

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not ready.wait(0.2):
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                process.kill()
                process.wait()
            text = log.read_text(encoding="utf-8", errors="replace")
            log.unlink(missing_ok=True)
            raise RuntimeError(f"the Neo4j test server did not start:\n{text[-4000:]}")
    info = ServerInfo(
        uri=lines["NEO4J_URI"],
        user=lines["NEO4J_USER"],
        password=lines["NEO4J_PASSWORD"],
        version=lines.get("NEO4J_VERSION"),
    )
    return RunningServer(process, info, log)


__all__ = ["ServerInfo", "RunningServer", "build", "missing_tools", "start"]
