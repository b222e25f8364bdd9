"""Helpdesk triage: labels, confidence bands, reading and writing real CSV/XLSX files, and the
CLI end to end with the real model on the small session corpus."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from assistant import triage
from assistant.answer import Answer, Citation, Evidence
from assistant.passages import Passage
from assistant.retrieval import Hit
from assistant.settings import Settings

OUTPUT = list(triage.OUTPUT_COLUMNS)


def passage(title: str, section_id: str | None, section: str | None = None, page: int | None = None) -> Passage:
    return Passage(
        id="doc:0001", doc_id="doc", source="doc.md", title=title, doc_type="law-digest", jurisdiction="Sindh, Pakistan",
        unofficial=True, section=section or section_id, section_id=section_id, heading_path=[], page=page, page_end=page,
        char_start=0, char_end=4, ordinal=1, text="text",
    )


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Sindh Environmental Protection Act, 2014", "Sindh EPA 2014"),
        ("Basel Convention", "Basel Convention"),
        ("Stockholm Convention on Persistent Organic Pollutants", "Stockholm Convention"),
        ("Rotterdam Convention — article-by-article digest (unofficial)", "Rotterdam Convention"),
        ("Sindh Environmental Quality Standards (SEQS) 2016: municipal and liquid industrial effluents", "SEQS 2016"),
        ("Cleaner Production Program (CPP), Pakistan", "CPP"),
        ("Cleaner Production Policy for Sindh: Assessment Report (ILES)", "Cleaner Production Policy for Sindh"),
        ("Boiler House Efficiency Review", "Boiler House Efficiency Review"),
    ],
)
def test_doc_label(title: str, label: str) -> None:
    assert triage.doc_label(title) == label


def test_provision() -> None:
    assert triage.provision(passage("Sindh Environmental Protection Act, 2014", "s.17")) == "Sindh EPA 2014 s.17"
    assert triage.provision(passage("Basel Convention", "Art. 6")) == "Basel Convention Art. 6"
    assert triage.provision(passage("Report", None, "Counter-current rinsing")) == "Report, Counter-current rinsing"
    assert triage.provision(passage("Report", None, None, page=4)) == "Report, p. 4"


def _answer(support: float | None, abstained: bool = False, composer: str = "extractive") -> Answer:
    settings = Settings()
    evidence = None
    if support is not None:  # dense alone carries the support: weight 3 per unit
        evidence = Evidence(dense=(settings.abstain_threshold + support) / settings.abstain_weights[0], coverage=0, unknown=0)
    return Answer(question="q", text="t", abstained=abstained, evidence=evidence, composer=composer)


@pytest.mark.parametrize(
    ("answer", "level"),
    [
        (_answer(None, abstained=True), "not covered"),
        (_answer(None, composer="effluent-table"), "high"),
        (_answer(triage.HIGH_MARGIN + 0.01), "high"),
        (_answer(triage.MEDIUM_MARGIN + 0.01), "medium"),
        (_answer(0.05), "low"),
        (_answer(None), "low"),
    ],
)
def test_confidence_bands(answer: Answer, level: str) -> None:
    settings = Settings()
    assert triage.confidence(answer, settings.abstain_weights, settings.abstain_threshold) == level


def test_reply_writes_the_sources_out() -> None:
    cited = passage("Sindh Environmental Protection Act, 2014", "s.17", "Section 17 — IEE and EIA")
    answer = Answer(question="q", text="File an IEE first. [1]", abstained=False, citations=[Citation(1, Hit(cited, 1.0, 1))])
    reply, sources = triage.reply_text(answer)
    assert reply.startswith("File an IEE first. [1]\n\nSources:\n[1] Sindh Environmental Protection Act, 2014 (unofficial digest), Section 17")
    assert sources == "[1] Sindh Environmental Protection Act, 2014 (unofficial digest), Section 17 — IEE and EIA (doc:0001)"


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("Dear SEPA, do we need an EIA for a new mill? Regards, Ali", "do we need an EIA for a new mill?"),
        ("Web form: What is the COD limit for the sea? Thanks.", "What is the COD limit for the sea?"),
        ("Query from a municipal official: does our plan need an SEA? (ref 123)", "does our plan need an SEA?"),
        ("Respected madam, which court hears plastics cases? Please reply soon.", "which court hears plastics cases?"),
        ("What is eco-efficiency?", "What is eco-efficiency?"),
        ("Dear sir, thanks", "Dear sir, thanks"),  # nothing left: keep the text
    ],
)
def test_strip_pleasantries(text: str, core: str) -> None:
    assert triage.strip_pleasantries(text) == core


def test_missing_question_column_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,query\n1,What is COD?\n", encoding="utf-8")
    with pytest.raises(triage.TriageInputError, match=r"no 'question' column \(columns found: 'id', 'query'\)"):
        triage.read_table(path)
    book = Workbook()
    book.active.append(["Subject", "Body"])
    book.save(tmp_path / "in.xlsx")
    with pytest.raises(triage.TriageInputError, match="no 'question' column"):
        triage.read_table(tmp_path / "in.xlsx")
    (tmp_path / "not.xlsx").write_bytes(b"plain text, not a zip")
    with pytest.raises(triage.TriageInputError, match="not a readable XLSX"):
        triage.read_table(tmp_path / "not.xlsx")
    (tmp_path / "in.pdf").write_bytes(b"%PDF")
    with pytest.raises(triage.TriageInputError, match="unsupported file type"):
        triage.read_table(tmp_path / "in.pdf")


def test_csv_encodings_bom_and_cp1252(tmp_path: Path) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffQuestion,from\nWhat is COD?,Zoë\n".encode())
    table = triage.read_table(bom)
    assert table.question_column == "Question" and table.rows[0]["from"] == "Zoë" and not table.warnings
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("question,from\nWhat’s the fine?,Zoë\n".encode("cp1252"))
    table = triage.read_table(legacy)
    assert table.rows[0] == {"question": "What’s the fine?", "from": "Zoë"}
    assert "not UTF-8" in table.warnings[0] and "cp1252" in table.warnings[0]


def test_xlsx_round_trip_keeps_types_and_never_writes_a_formula(tmp_path: Path) -> None:
    table = triage.Table(
        ["id", "question", *OUTPUT],
        [{"id": 7, "question": "=HYPERLINK(\"http://x\")", "topic": "general", "needs_human": True, "confidence": "low"}],
    )
    triage.write_table(table, tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert [c.value for c in sheet[1]] == ["id", "question", *OUTPUT]
    assert sheet["A2"].value == 7 and sheet["B2"].data_type == "s" and sheet["B2"].value.startswith("=HYPERLINK")
    assert sheet["H2"].value is True


@pytest.mark.slow
def test_cli_triage_csv_and_xlsx_end_to_end(tmp_path: Path, retrieval_index, build) -> None:
    from assistant.cli import main

    questions = [
        "Dear SEPA, can we start construction of a new project before the Agency approves our environmental impact assessment? Regards",
        "How must stockpiles of banned chemicals such as obsolete pesticides be managed?",
        "   ",
        "Who won the 1992 Cricket World Cup?",
        "How much fuel does an economiser on the boiler flue save?",
    ]
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "question", "received"])
        for i, question in enumerate(questions, start=1):
            writer.writerow([f"h{i}", question, "2026-11-24"])
    env = build.cli_environment(retrieval_index.settings)
    runner = CliRunner()
    out_csv = tmp_path / "out.csv"
    run = runner.invoke(main, ["triage", str(source), "-o", str(out_csv)], env=env)
    assert run.exit_code == 0, run.output
    assert "5 questions triaged" in run.stderr and "triage" in run.stderr  # summary and tqdm bar on stderr
    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "question", "received", *OUTPUT]
    assert [r["id"] for r in rows] == ["h1", "h2", "h3", "h4", "h5"] and rows[0]["received"] == "2026-11-24"
    eia, pops, empty, cricket, boiler = rows
    assert eia["topic"] == "approvals" and eia["governing_provision"] == "Sindh EPA 2014 s.17"
    assert eia["confidence"] in ("high", "medium") and eia["needs_human"] == "false"
    assert "\n\nSources:\n[1] Sindh Environmental Protection Act, 2014 (unofficial digest)" in eia["suggested_reply"]
    assert eia["sources"].startswith("[1] ")
    assert pops["governing_provision"] == "Stockholm Convention Art. 6" and pops["topic"] in ("hazardous", "conventions")
    assert empty["needs_human"] == "true" and "empty question" in empty["note"] and empty["topic"] == ""
    assert cricket["confidence"] == "not covered" and cricket["needs_human"] == "true" and cricket["governing_provision"] == ""
    assert boiler["topic"] == "cleaner-production" and boiler["governing_provision"].startswith("Boiler House Efficiency Review")

    book = Workbook()
    book.active.append(["Ticket", "Question"])
    book.active.append([101, questions[0]])
    book.active.append([102, None])
    book.save(tmp_path / "in.xlsx")
    run = runner.invoke(main, ["triage", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "out.xlsx"), "--no-progress"], env=env)
    assert run.exit_code == 0, run.output
    sheet = load_workbook(tmp_path / "out.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header == ["Ticket", "Question", *OUTPUT]
    first = dict(zip(header, [c.value for c in sheet[2]]))
    second = dict(zip(header, [c.value for c in sheet[3]]))
    assert first["Ticket"] == 101 and first["governing_provision"] == "Sindh EPA 2014 s.17" and first["needs_human"] is False
    assert second["needs_human"] is True and "empty question" in second["note"]

    missing = tmp_path / "bad.csv"
    missing.write_text("id,text\n1,hello\n", encoding="utf-8")
    run = runner.invoke(main, ["triage", str(missing)], env=env)
    assert run.exit_code == 1 and "no 'question' column" in run.output
