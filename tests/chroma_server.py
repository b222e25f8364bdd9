"""A real Chroma server on 127.0.0.1 for server-mode tests and the scale benchmark.

`ChromaServer(path)` runs `chroma run --path PATH --host 127.0.0.1 --port <free port>` from the
venv's own `chroma` script, waits (bounded) for GET /api/v2/heartbeat, and on stop terminates
the process, then kills it if it has not exited. Only the loopback address is used.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMA = Path(sys.executable).with_name("chroma")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def heartbeat(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


class ChromaServer:
    """`with ChromaServer(data_dir) as server:` -> server.url, server.pid; stopped on exit."""

    def __init__(self, path: Path, start_timeout: float = 60.0, stop_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.port = 0
        self.url = ""
        self.process: subprocess.Popen | None = None
        self.log_path = self.path.parent / f"{self.path.name}.chroma.log"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> ChromaServer:
        if not CHROMA.exists():
            raise FileNotFoundError(f"no chroma script next to {sys.executable}")
        self.path.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"chroma run exited with {self.process.returncode}: {self.log_tail()}")
            if heartbeat(self.url):
                return self
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"chroma run not ready within {self.start_timeout:.0f} s: {self.log_tail()}")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=self.stop_timeout)

    def peak_rss_bytes(self) -> int | None:
        """The server's peak resident memory so far (Linux /proc VmHWM), while it runs."""
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
