"""`cpassist ingest` and `cpassist search`: reports, exit codes and the JSON contract (DESIGN.md section 3).

The CLI reads its folders from CPASSIST_* variables (set per test with monkeypatch) and is run with
click's CliRunner, so the embedding model loaded for the session is reused; one test runs the
installed `cpassist` script for real, reading queries from stdin.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.index import Index

CONTRACT_FIELDS = {"rank", "score", "doc_id", "source", "title", "doc_type", "section", "page", "text"}
ALLOWED_EXTRA = {"passage_id"}
CPASSIST = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "cpassist"


def _use(monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def searchable(retrieval_index: Index, build, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Index:
    """The CLI pointed at the session's indexed retrieval corpus."""
    monkeypatch.chdir(tmp_path)
    _use(monkeypatch, build.cli_environment(retrieval_index.settings))
    return retrieval_index


def _run(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def _json_lines(stdout: str) -> list[dict]:
    lines = stdout.splitlines()
    assert lines and all(line.strip() for line in lines), repr(stdout)
    return [json.loads(line) for line in lines]


def assert_contract(result: dict) -> None:
    """One search result as DESIGN.md section 3 describes it."""
    assert CONTRACT_FIELDS <= set(result) <= CONTRACT_FIELDS | ALLOWED_EXTRA, set(result) ^ CONTRACT_FIELDS
    assert type(result["rank"]) is int and result["rank"] >= 1
    assert type(result["score"]) is float
    for key in ("doc_id", "source", "title", "doc_type", "text"):
        assert isinstance(result[key], str) and result[key], key
    assert result["section"] is None or isinstance(result["section"], str)
    assert result["page"] is None or type(result["page"]) is int
    assert result["doc_type"] in {"report", "programme", "law-digest", "mea-digest", "standard"}
    assert Path(result["source"]).stem == result["doc_id"]


# ---------------------------------------------------------------------------------------------
# ingest


def test_ingest_prints_added_and_skipped_with_reasons(corpus: Path, make_settings, build, monkeypatch, embedder) -> None:
    """(embedder: the model is loaded in setup, and the CLI shares it.)"""
    build.markdown(corpus / "sepa-digest.md")
    build.csv(corpus / "effluent-limits.csv")
    build.corrupt_pdf(corpus / "corrupt.pdf")
    (corpus / "data.xyz").write_text("x", encoding="utf-8")
    _use(monkeypatch, build.cli_environment(make_settings(corpus)))

    result = _run("ingest", "--no-progress")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "added     effluent-limits.csv" in lines
    assert "added     sepa-digest.md" in lines
    assert any(line.startswith("skipped   corrupt.pdf: not a readable PDF") for line in lines)
    assert "skipped   data.xyz: unsupported file type '.xyz'" in lines
    assert lines[-1].startswith("2 added, 0 updated, 0 removed, 0 unchanged, 2 skipped; ")

    again = _run("ingest", "--no-progress")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1].startswith("0 added, 0 updated, 0 removed, 2 unchanged, 2 skipped; ")
    assert "(0 embedded)" in again.stdout

    (corpus / "effluent-limits.csv").unlink()
    removed = _run("ingest", "--no-progress")
    assert removed.exit_code == 0
    assert "removed   effluent-limits.csv" in removed.stdout.splitlines()


def test_ingest_of_explicit_paths(tmp_path: Path, make_settings, build, monkeypatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    build.html(elsewhere / "sepa-approvals.html")
    _use(monkeypatch, build.cli_environment(make_settings(tmp_path / "no-default-corpus")))
    result = _run("ingest", "--no-progress", str(elsewhere / "sepa-approvals.html"))
    assert result.exit_code == 0, result.output
    assert "added     sepa-approvals.html" in result.stdout.splitlines()


def test_ingest_exits_non_zero_when_nothing_could_be_indexed(corpus: Path, make_settings, build, monkeypatch) -> None:
    build.corrupt_pdf(corpus / "corrupt.pdf")
    _use(monkeypatch, build.cli_environment(make_settings(corpus)))
    result = _run("ingest", "--no-progress")
    assert result.exit_code != 0
    assert "skipped   corrupt.pdf: not a readable PDF" in result.stdout
    assert "0 passages in the index" in result.stdout


# ---------------------------------------------------------------------------------------------
# search


def test_search_json_matches_the_contract(searchable: Index) -> None:
    result = _run("search", "--json", "How can a boiler reuse the heat in its exhaust?")
    assert result.exit_code == 0, result.output
    [line] = _json_lines(result.stdout)
    assert set(line) == {"query", "results"}
    assert line["query"] == "How can a boiler reuse the heat in its exhaust?"
    results = line["results"]
    assert len(results) == searchable.settings.top_k
    for result_ in results:
        assert_contract(result_)
    assert [r["rank"] for r in results] == list(range(1, len(results) + 1))
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    top = results[0]
    assert (top["doc_id"], top["source"], top["title"], top["doc_type"], top["section"], top["page"]) == (
        "boiler-efficiency-report",
        "boiler-efficiency-report.md",
        "Boiler House Efficiency Review",
        "report",
        "3.1 Heat recovery",
        None,
    )
    passage = searchable.snapshot().passages[top["passage_id"]]
    assert top["text"] == passage.text


def test_search_json_title_marks_unofficial_digests(searchable: Index) -> None:
    [line] = _json_lines(_run("search", "--json", "-k", "1", "--type", "law-digest", "EIA approval").stdout)
    assert line["results"][0]["title"] == "Sindh Environmental Protection Act, 2014 (unofficial digest)"


def test_search_k_and_type_filter(searchable: Index) -> None:
    result = _run("search", "--json", "-k", "2", "--type", "mea-digest", "boiler heat recovery")
    [line] = _json_lines(result.stdout)
    assert len(line["results"]) == 2
    assert {r["doc_type"] for r in line["results"]} == {"mea-digest"}
    result = _run("search", "--json", "-k", "10", "--type", "standard", "--type", "programme", "water")
    [line] = _json_lines(result.stdout)
    assert line["results"] and {r["doc_type"] for r in line["results"]} == {"standard", "programme"}
    result = _run("search", "--json", "--doc", "effluent-limits", "COD")
    [line] = _json_lines(result.stdout)
    assert {r["doc_id"] for r in line["results"]} == {"effluent-limits"}
    assert line["results"][0]["section"] == "Row 2: Chemical oxygen demand (COD)"


def test_search_reads_one_query_per_stdin_line(searchable: Index) -> None:
    queries = ["dioxins from waste incinerators", "", "counter-current rinsing", "COD limit for the sea"]
    result = _run("search", "--json", "-k", "2", input="\n".join(queries) + "\n")
    assert result.exit_code == 0, result.output
    lines = _json_lines(result.stdout)
    assert [line["query"] for line in lines] == queries
    assert lines[1]["results"] == []
    for line in (lines[0], lines[2], lines[3]):
        assert len(line["results"]) == 2
        for result_ in line["results"]:
            assert_contract(result_)
    assert lines[0]["results"][0]["doc_id"] == "stockholm-convention-digest"
    assert lines[2]["results"][0]["doc_id"] == "dye-house-water-programme"
    assert lines[3]["results"][0]["doc_id"] == "effluent-limits"


def test_search_text_output(searchable: Index) -> None:
    result = _run("search", "-k", "1", "banned pesticide stockpiles")
    assert result.exit_code == 0
    assert result.stdout.startswith("Query: banned pesticide stockpiles\n")
    assert "[1] Stockholm Convention on Persistent Organic Pollutants, Article 6" in result.stdout
    empty = _run("search", "-k", "1", input="\n")
    assert "(no results)" in empty.stdout


def test_search_without_an_index_builds_it_first_and_keeps_stdout_clean(
    corpus: Path, make_settings, build, monkeypatch
) -> None:
    build.markdown(corpus / "sepa-digest.md")
    _use(monkeypatch, build.cli_environment(make_settings(corpus)))
    result = _run("search", "--json", "-k", "1", "Who establishes the Agency?")
    assert result.exit_code == 0, result.output
    [line] = _json_lines(result.stdout)  # the ingest report went to stderr
    assert line["results"][0]["doc_id"] == "sepa-digest"
    assert "ingesting the default corpus first" in result.stderr
    assert "added     sepa-digest.md" in result.stderr


@pytest.mark.slow
def test_installed_cpassist_search_batch_from_stdin(retrieval_index: Index, build, tmp_path: Path) -> None:
    """The real script in a fresh process: one JSON line per query, in order, and nothing else on stdout."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CPASSIST_")}
    environment.update(build.cli_environment(retrieval_index.settings))
    queries = [
        "Can we start construction before the EIA is approved?",
        "",
        "economiser on the boiler flue",
        "obsolete pesticide stockpiles",
        "oil and grease limit",
    ]
    completed = subprocess.run(
        [str(CPASSIST), "search", "--json", "-k", "3"],
        input="\n".join(queries) + "\n",
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.endswith("\n")
    lines = completed.stdout.splitlines()
    assert len(lines) == len(queries), completed.stdout
    parsed = [json.loads(line) for line in lines]
    assert [line["query"] for line in parsed] == queries
    assert parsed[1] == {"query": "", "results": []}
    expected_top = [("sindh-epa-digest", "s.17"), None, ("boiler-efficiency-report", None), ("stockholm-convention-digest", None), ("effluent-limits", None)]
    for line, expected in zip(parsed, expected_top, strict=True):
        if expected is None:
            continue
        assert len(line["results"]) == 3
        for result in line["results"]:
            assert_contract(result)
        assert line["results"][0]["doc_id"] == expected[0]
    assert parsed[0]["results"][0]["section"].startswith("Section 17")
