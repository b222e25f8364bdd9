"""Concurrent users of the served API: `cpassist serve` answering 20 users at once, timed.

Starts `cpassist serve` on a free port over the current index (CPASSIST_* settings apply; run
`cpassist ingest` first), takes a single-user answer to every question as the reference, then
lets USERS threads each ask QUESTIONS questions through the `/ask` endpoint and prints per-answer
latency (p50, p95, max), throughput, and the CPU seconds the server and the clients spent per
answer. Every answer must equal the single-user answer to the same question.

Two clients: `http` speaks Gradio's documented REST route (POST /gradio_api/call/ask, then read
the event stream), which costs the client a few milliseconds; `gradio` uses gradio_client,
which on this machine costs the client 80-120 ms of CPU per call. On a 2-core machine the
clients run on the server's cores, so with `gradio` the figure mostly measures the clients.

    .venv/bin/python evals/bench_ui_load.py [--users 20] [--questions 20] [--client http|gradio]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent


def questions(n: int, seed: int) -> list[str]:
    """n distinct questions of the project's own set (in and out of scope)."""
    rows = [json.loads(line)["question"] for line in (HERE / "questions.jsonl").open(encoding="utf-8") if line.strip()]
    return random.Random(seed).sample(rows, n)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class HttpUser:
    """One user on Gradio's REST route: join, then read the event stream to its end. The user
    keeps one session, as a browser and gradio_client do (without one, Gradio builds a fresh
    session state, about 25 ms of this app's CPU, for every call)."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.client = httpx.Client(timeout=120)
        self.session = uuid.uuid4().hex

    def ask(self, question: str) -> dict:
        joined = self.client.post(f"{self.url}/gradio_api/call/ask", json={"data": [question, [], [], []], "session_hash": self.session})
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        event = ""
        with self.client.stream("GET", f"{self.url}/gradio_api/call/ask/{event_id}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    if event == "error":
                        raise RuntimeError(line)
                    return json.loads(line.split(":", 1)[1])[0]
        raise RuntimeError(f"no answer for {question!r}")


class GradioUser:
    def __init__(self, url: str) -> None:
        from gradio_client import Client

        self.client = Client(url, verbose=False)

    def ask(self, question: str) -> dict:
        return self.client.predict(question=question, api_name="/ask")


def serve(port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", "from assistant.cli import main; main()", "serve", "--port", str(port)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"cpassist serve exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/gradio_api/info", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.kill()
    raise SystemExit("cpassist serve did not start in 180 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=20, help="questions each user asks")
    parser.add_argument("--distinct", type=int, default=40, help="distinct questions drawn from evals/questions.jsonl")
    parser.add_argument("--client", choices=("http", "gradio"), default="http")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import assistant  # noqa: F401  (offline environment before gradio_client is imported)

    user_class = HttpUser if args.client == "http" else GradioUser
    pool_of_questions = questions(args.distinct, args.seed)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory(prefix="cpassist-bench-load-") as scratch:
        process = serve(port, Path(scratch) / "serve.log")
        try:
            single = user_class(url)
            reference = {q: single.ask(q) for q in pool_of_questions}
            users = [user_class(url) for _ in range(args.users)]

            def run(number: int) -> tuple[list[float], int]:
                latencies, different = [], 0
                for turn in range(args.questions):
                    question = pool_of_questions[(number * 7 + turn) % len(pool_of_questions)]
                    sent = time.perf_counter()
                    result = users[number].ask(question)
                    latencies.append(time.perf_counter() - sent)
                    expected = reference[question]
                    different += (result["answer"], result["abstained"]) != (expected["answer"], expected["abstained"])
                return latencies, different

            server_before, clients_before, started = cpu_seconds(process.pid), time.process_time(), time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.users) as pool:
                outcomes = list(pool.map(run, range(args.users)))
            elapsed = time.perf_counter() - started
            server_cpu, clients_cpu = cpu_seconds(process.pid) - server_before, time.process_time() - clients_before
        finally:
            process.terminate()
            process.wait(timeout=15)
    latencies = sorted(t for times, _ in outcomes for t in times)
    different = sum(d for _, d in outcomes)
    count = len(latencies)
    p95 = latencies[min(count - 1, round(0.95 * (count - 1)))]
    print(f"client {args.client}, {args.users} users x {args.questions} questions ({args.distinct} distinct), {os.cpu_count()} cores")
    print(f"answers {count} in {elapsed:.1f} s ({count / elapsed:.1f}/s); different from the single-user answer: {different}")
    print(
        f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(f"cpu per answer: server {server_cpu / count * 1000:.1f} ms, clients {clients_cpu / count * 1000:.1f} ms")
    if different:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
