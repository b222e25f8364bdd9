"""Load: 20 concurrent gradio_client users asking 20 questions each over loopback.

Bounded in count and time. Every answer must equal the single-user answer to the same
question; the latency figures are printed, not asserted.
"""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import assistant  # noqa: F401  (offline environment before gradio_client is imported)

pytestmark = pytest.mark.slow

USERS = 20
QUESTIONS_PER_USER = 20
DEADLINE_SECONDS = 600
QUESTIONS = [
    "How should drums of dye chemicals be stored?",
    "What must each Party do with stockpiles of banned chemicals?",
    "Do I need an environmental approval before building a factory?",
    "How can a boiler save fuel?",
    "What is the capital of France?",
]


def _ask(client, question: str) -> dict:
    return client.predict(question=question, api_name="/ask")


def test_twenty_concurrent_users_get_the_single_user_answers(served) -> None:
    from gradio_client import Client

    reference = {q: _ask(Client(served.url, verbose=False), q) for q in QUESTIONS}
    started = time.monotonic()

    def user(number: int) -> tuple[list[float], list[str]]:
        client = Client(served.url, verbose=False)
        latencies, problems = [], []
        for turn in range(QUESTIONS_PER_USER):
            if time.monotonic() - started > DEADLINE_SECONDS:
                problems.append(f"user {number}: deadline reached at turn {turn}")
                break
            question = QUESTIONS[(number + turn) % len(QUESTIONS)]
            sent = time.perf_counter()
            try:
                result = _ask(client, question)
            except Exception as error:  # any failure is an error to count, not a crash of the test
                problems.append(f"user {number}: {type(error).__name__}: {error}")
                continue
            latencies.append(time.perf_counter() - sent)
            if (result["answer"], result["abstained"]) != (reference[question]["answer"], reference[question]["abstained"]):
                problems.append(f"user {number}: different answer to {question!r}")
        return latencies, problems

    with ThreadPoolExecutor(max_workers=USERS) as pool:
        outcomes = list(pool.map(user, range(USERS)))
    latencies = sorted(t for times, _ in outcomes for t in times)
    problems = [p for _, found in outcomes for p in found]
    elapsed = time.monotonic() - started
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))] if latencies else 0.0
    print(
        f"\nload: {USERS} users x {QUESTIONS_PER_USER} questions, {len(latencies)} answers in {elapsed:.1f} s, "
        f"{len(problems)} errors; latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
    assert not problems, problems[:5]
    assert len(latencies) == USERS * QUESTIONS_PER_USER
