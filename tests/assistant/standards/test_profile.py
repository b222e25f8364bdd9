"""The project profile over a real index of the four documents it reads (conftest `indexed`: the
screening CSV, the 2021 Regulations digest, the self-monitoring digest and the SEQS table): its
JSON contract, every citation a real passage and every [n] used, the chat entry point, and
`cpassist screen`."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.settings import Settings
from assistant.standards.profile import (
    approval_description,
    screen_description,
    screening_answer,
)

CONTRACT = {"project", "regulations", "requirement", "schedule", "entries", "missing", "monitoring", "answer", "citations"}


def test_approval_questions_give_the_project_and_other_questions_none() -> None:
    assert approval_description("Do I need an EIA for a 30 MW coal power plant?") == "30 MW coal power plant"
    assert approval_description("Is an IEE required for a 120-bed hospital?") == "120-bed hospital"
    assert approval_description("Which approval does a tannery in Korangi need?") == "tannery in Korangi"
    assert approval_description("Does a sugar mill need an EIA?") == "sugar mill"
    assert approval_description("cement plant: IEE or EIA?") == "cement plant"
    assert approval_description("A 300 metre bridge over a drain – which screening category?") == "300 metre bridge over a drain"
    assert approval_description("Copper mining project: which schedule?") == "Copper mining project"
    # Not a project's approval: a list of 2014, two kinds compared, a self-monitoring category.
    for other in ("Our petrol pump got approved in 2016 – which list were filling stations in then?",
                  "Industrial ETP vs combined ETP – which list each?",
                  "Cement plant: what category are we for gaseous emissions under Schedule II?"):
        assert approval_description(other) is None, other
    for other in ("What is an EIA?", "How long does the Agency take to review an IEE?", "Does the Act require an EIA?",
                  "Is COD 180 mg/L OK for discharge into the sea?"):
        assert approval_description(other) is None, other


def _check_citations(data: dict, snapshot) -> None:
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", data["answer"])}
    assert markers == {c["n"] for c in data["citations"]}, "every [n] has a citation and every citation is used"
    for citation in data["citations"]:
        passage = snapshot.passages[citation["passage_id"]]
        assert passage.text == citation["text"] and passage.doc_id == citation["doc_id"]


@pytest.mark.slow
def test_tannery_profile_cites_rows_regulations_monitoring_and_seqs(snapshot, embedder) -> None:
    data = screen_description("tannery in Korangi costing Rs 150 million", snapshot, embedder).to_dict()
    assert CONTRACT <= set(data)
    assert data["requirement"] == "IEE" and data["schedule"] == "II"
    governing = next(e for e in data["entries"] if e["governs"])
    assert governing["item"] == "D.6" and governing["regulations"] == "2021"
    rows = {snapshot.passages[c["passage_id"]].section_id for c in data["citations"] if c["doc_id"] == governing["doc_id"]}
    assert f"row {governing['row']}" in rows
    assert data["procedure"]["review_days"] == 30 and "Rs 200,000" in data["procedure"]["fee"]
    liquid = next(m for m in data["monitoring"] if m["medium"] == "liquid")
    assert liquid["category"] == "A" and liquid["frequency"] == "monthly"
    assert any(c["doc_id"] == "seqs-effluent-limits" for c in data["citations"])
    _check_citations(data, snapshot)


@pytest.mark.slow
def test_missing_figure_and_unlisted_projects(snapshot, embedder) -> None:
    hospital = screen_description("a private hospital", snapshot, embedder).to_dict()
    assert hospital["requirement"] == "need more information" and hospital["missing"] == ["number of beds"]
    assert hospital["schedule"] is None and "procedure" in hospital and not hospital["procedure"]
    _check_citations(hospital, snapshot)
    barber = screen_description("a barber shop", snapshot, embedder).to_dict()
    assert barber["requirement"] == "not listed" and len(barber["closest"]) == 3 and "6(2)" in barber["answer"]
    _check_citations(barber, snapshot)
    shop = screen_description("a paint and hardware shop selling tins of paint and brushes", snapshot, embedder).to_dict()
    assert shop["requirement"] == "not listed" and "no schedule lists trade" in shop["answer"]
    _check_citations(shop, snapshot)


@pytest.mark.slow
def test_a_figure_in_a_gap_is_not_listed_with_what_the_table_notes_say_of_it(snapshot, embedder) -> None:
    hydro = screen_description("40 MW hydropower plant", snapshot, embedder).to_dict()
    assert hydro["requirement"] == "not listed"
    assert re.search(r"The table notes on Schedule II B\.1: .*no capacity band \(item B\.9 may cover them; not confirmed\) \[\d+\]", hydro["answer"])
    assert "Thermal" not in hydro["answer"]
    _check_citations(hydro, snapshot)


@pytest.mark.slow
def test_screening_answer_for_the_chat(snapshot, embedder) -> None:
    text, citations = screening_answer("Do I need an EIA for a 660 MW coal power plant?", snapshot, embedder)
    assert text.startswith("Requirement: EIA") and citations and "[1]" in text
    assert screening_answer("What is an EIA?", snapshot, embedder) is None
    # the words of "X: IEE or EIA?", but a question about the review: the intent head overrules
    assert approval_description("On what basis is an IEE or EIA reviewed under regulation 12(5)?") is not None
    assert screening_answer("On what basis is an IEE or EIA reviewed under regulation 12(5)?", snapshot, embedder) is None
    # the words of "X: IEE or EIA?" set before the 2021 repeal: the general answerer quotes the old lists
    repealed = dataclasses.replace(snapshot, _repeal_years=(2021,))
    assert approval_description("2014 housing scheme of exactly 10 acres – IEE or EIA?") is not None
    assert screening_answer("2014 housing scheme of exactly 10 acres – IEE or EIA?", repealed, embedder) is None
    assert screening_answer("Housing scheme of 12 acres planned for 2026 – IEE or EIA?", repealed, embedder)


@pytest.mark.slow
def test_the_chat_screens_an_approval_question_in_other_words(snapshot, embedder) -> None:
    """No wording pattern catches "...: EIA?": the intent head routes it, and the whole question
    is screened. A question about the repealed 2014 lists is left to the general answerer."""
    question = "Our 200-bed hospital in Karachi: EIA?"
    assert approval_description(question) is None
    text, citations = screening_answer(question, snapshot, embedder)
    assert text.startswith("Requirement: IEE. Schedule II") and "health care" in text.lower() and citations
    assert screening_answer("Our 200-bed hospital in Karachi: EIA under the 2014 list?", snapshot, embedder) is None
    assert screening_answer("How long does the Agency take to review an IEE?", snapshot, embedder) is None


@pytest.mark.slow
def test_cli_screen_json_and_stdin_batch(indexed: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, path in (("INDEX_DIR", indexed.index_dir), ("CORPUS_DIR", indexed.corpus_dir), ("MANIFEST_PATH", indexed.manifest_path),
                       ("EVALS_DIR", indexed.evals_dir), ("DATA_DIR", indexed.data_dir)):
        monkeypatch.setenv(f"CPASSIST_{name}", str(path))
    monkeypatch.chdir(indexed.index_dir.parent)
    runner = CliRunner()
    one = runner.invoke(main, ["screen", "30 MW coal-fired captive power plant", "--json"], catch_exceptions=False)
    assert one.exit_code == 0, one.output
    data = json.loads(one.stdout.strip())
    assert CONTRACT <= set(data) and data["requirement"] == "IEE" and data["figures"][0]["unit"] == "MW"
    batch = runner.invoke(main, ["screen", "--json"], input="a 120-bed private hospital\n\ncement plant\n", catch_exceptions=False)
    lines = [json.loads(line) for line in batch.stdout.splitlines() if line.strip()]
    assert [(d["project"], d["requirement"]) for d in lines] == [("a 120-bed private hospital", "IEE"), ("cement plant", "EIA")]
    text = runner.invoke(main, ["screen", "a private hospital"], catch_exceptions=False)
    assert text.stdout.startswith("Need more information") and "Sources:" in text.stdout


@pytest.mark.slow
def test_cli_eval_measures_a_screening_case_file_alone(indexed: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, path in (("INDEX_DIR", indexed.index_dir), ("CORPUS_DIR", indexed.corpus_dir), ("MANIFEST_PATH", indexed.manifest_path),
                       ("EVALS_DIR", indexed.evals_dir), ("DATA_DIR", indexed.data_dir)):
        monkeypatch.setenv(f"CPASSIST_{name}", str(path))
    cases = tmp_path / "dev.jsonl"
    cases.write_text(
        '{"id": "d1", "description": "a 120-bed private hospital", "requirement": "IEE"}\n'
        '{"id": "d2", "description": "a private hospital", "requirement": "need more information"}\n'
        '{"id": "d3", "description": "cement plant", "requirement": "IEE"}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["eval", "--questions", str(cases), "--show-misses"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "requirement right                           2/3" in result.stdout and "d3: 'cement plant': EIA (expected IEE)" in result.stdout
    assert "Topics" not in result.stdout and "Question set" not in result.stdout
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "q1", "question": "What is COD?"}\n', encoding="utf-8")
    failed = CliRunner().invoke(main, ["eval", "--questions", str(broken)])
    assert failed.exit_code == 1 and "broken.jsonl, line 1: missing" in failed.output and "Traceback" not in failed.output


def test_a_passage_marked_but_left_out_of_the_text_is_not_cited() -> None:
    from types import SimpleNamespace

    from assistant.standards.profile import Cited

    cited = Cited(snapshot=None)
    passages = [SimpleNamespace(id=f"d:{i}") for i in range(3)]
    first, dropped, third = (cited.mark(p) for p in passages)
    text, citations = cited.finish(f"One {first}. Three {third}, one again {first}.")
    assert (dropped, text) == ("[2]", "One [1]. Three [2], one again [1].")
    assert [(c.n, c.hit.passage.id) for c in citations] == [(1, "d:0"), (2, "d:2")]


def test_an_entry_is_cited_first_by_the_regulations_schedule_then_by_its_table_row(snapshot, embedder) -> None:
    """The schedule line that lists the project answers "IEE or EIA?": it is the answer's first
    citation, the table row derived from it the second, the regulation that binds the schedule next."""
    data = screen_description("30 MW coal-fired captive power plant", snapshot, embedder).to_dict()
    first, second, third = data["citations"][:3]
    schedule = snapshot.passages[first["passage_id"]]
    assert schedule.section_id == "Sch. II" and "Coal-fired power plants" in schedule.text
    assert second["doc_id"] == "sindh-eia-screening-schedules" and "Coal-fired power plants" in second["text"]
    assert third["doc_id"] == "sindh-environmental-assessment-regulations-2021-digest" and "Regulation 4" in third["section"]
    assert data["answer"].startswith("Requirement: IEE. Schedule II")


def test_an_entry_the_digest_words_otherwise_is_cited_by_the_line_that_lists_it(snapshot) -> None:
    """The table's "Solid waste municipal landfill sites" is the digest's "Municipal solid-waste
    landfill sites": the schedule passage cited is the one with that line, not the schedule's first."""
    from assistant.standards.profile import schedule_passage
    from assistant.standards.schedules import load_schedules

    path = Path(snapshot.files["sindh-eia-screening-schedules"].path)
    entry = next(e for e in load_schedules(path) if e.regulations == "2021" and e.project == "Solid waste municipal landfill sites")
    passage = schedule_passage(snapshot, entry)
    assert passage.section_id == "Sch. III" and "Municipal solid-waste landfill sites" in passage.text


def test_an_ingest_that_changed_files_prepares_the_screening_vectors(indexed: Settings, embedder, tmp_path: Path, monkeypatch) -> None:
    from assistant import cli
    from assistant.index import Index
    from assistant.standards import profile

    shutil.copytree(indexed.index_dir, tmp_path / "index", ignore=shutil.ignore_patterns("tables"))
    index = Index(indexed.model_copy(update={"index_dir": tmp_path / "index"}), embedder=embedder)
    monkeypatch.setattr(profile, "_BUILDERS", {})
    cli._warm_tables(index)
    assert sorted(p.name.split("-all-")[0] for p in (tmp_path / "index" / "tables").glob("*.npz")) == ["screening", "screening-unlisted"]
