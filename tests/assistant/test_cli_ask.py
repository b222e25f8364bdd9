"""`cpassist ask`: the JSON contract of DESIGN.md section 3, stdin batch mode and plain rendering.

The CLI runs in-process (click's CliRunner) with CPASSIST_* variables pointing at an index built
once for the module from small real documents; the CLI's own MiniLM load is the cached model.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.answer import Answer, Citation
from assistant.cli import main, render_answer
from assistant.evaluation import citations_valid
from assistant.index import Index
from assistant.passages import Passage
from assistant.pipeline import MAX_QUESTION_CHARS
from assistant.retrieval import Hit
from assistant.schema import answer_json
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[2]
PASSAGE_FIELDS = {"rank", "score", "doc_id", "source", "title", "doc_type", "section", "page", "text"}

ACT = """\
---
title: Sindh Environmental Protection Act, 2014
doc_type: law-digest
jurisdiction: Sindh, Pakistan
unofficial: true
---

## Part IV — Prohibitions and approvals

### Section 11 — Prohibition of certain discharges or emissions

No person shall discharge or emit any effluent, waste, air pollutant or noise in an amount, concentration or level in excess of the Sindh Environmental Quality Standards. The Agency may direct an industrial unit that violates this section to install pollution control equipment within a period it fixes.

### Section 17 — Initial environmental examination and environmental impact assessment

No proponent of a project shall commence construction or operation unless he has filed with the Agency an initial environmental examination or, where the project is likely to cause an adverse environmental effect, an environmental impact assessment, and has obtained from the Agency approval in respect thereof. The expansion of an existing industrial unit, such as adding a dye house to a textile mill, is a project for the purposes of this section.

## Part VI — Offences and penalties

### Section 22 — Penalties

Whoever contravenes section 11 or section 17 shall be punishable with a fine which may extend to 5,000,000 rupees. Where the contravention continues, an additional fine of up to 100,000 rupees may be imposed for every day during which it continues.
"""

CONVENTION = """\
---
title: Rotterdam Convention on the Prior Informed Consent Procedure
doc_type: mea-digest
jurisdiction: international
unofficial: true
---

## Article 1 — Objective

The objective of this Convention is to promote shared responsibility and cooperative efforts among Parties in the international trade of certain hazardous chemicals, in order to protect human health and the environment from potential harm.
"""

EIA_QUESTION = "Do I need an EIA before adding a dye house?"
COD_QUESTION = "Is COD 180 mg/L OK for discharge into the sea?"
CRICKET = "Who won the cricket world cup in 2011?"


def _write_corpus(corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / "sindh-epa-digest.md").write_text(ACT, encoding="utf-8")
    (corpus / "rotterdam-digest.md").write_text(CONVENTION, encoding="utf-8")
    seqs = (REPO / "corpus" / "documents" / "seqs-effluent-limits.csv").read_text(encoding="utf-8").splitlines(True)
    (corpus / "seqs-effluent-limits.csv").write_text("".join(seqs[:8]), encoding="utf-8")


def _environment(build, settings: Settings) -> dict[str, str]:
    return {**build.cli_environment(settings), "CPASSIST_MIN_WORDS": "40"}


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory: pytest.TempPathFactory, embedder, build) -> Settings:
    root = tmp_path_factory.mktemp("cli-ask")
    _write_corpus(root / "corpus")
    settings = build.clean_settings(root, root / "corpus", min_words=40)
    report = Index(settings, embedder=embedder).ingest(progress=False)
    assert not report.skipped and report.passages
    return settings


@pytest.fixture
def cpassist(cli_index: Settings, monkeypatch: pytest.MonkeyPatch, embedder, build):
    """Run `cpassist ARGS` against the module's index; returns click's Result (stdout and stderr apart)."""
    for name, value in _environment(build, cli_index).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(cli_index.index_dir.parent)

    def run(*args: str, input: str | None = None):
        result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    return run


def _json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def _check_contract(data: dict) -> None:
    """DESIGN.md section 3: question, answer, abstained, citations with n and the passage fields."""
    assert {"question", "answer", "abstained", "citations"} <= set(data)
    assert isinstance(data["question"], str) and isinstance(data["answer"], str)
    assert isinstance(data["abstained"], bool)
    for citation in data["citations"]:
        assert PASSAGE_FIELDS | {"n"} <= set(citation)
        assert isinstance(citation["n"], int) and isinstance(citation["rank"], int)
        assert isinstance(citation["score"], float)
        assert citation["section"] is None or isinstance(citation["section"], str)
        assert citation["page"] is None or isinstance(citation["page"], int)
        assert citation["text"]
    assert citations_valid(data["answer"], [c["n"] for c in data["citations"]])
    if data["abstained"]:
        assert data["citations"] == []


# ---------------------------------------------------------------------------------------------
# --json, one question


def test_json_answer_fields(cpassist) -> None:
    result = cpassist("ask", "--json", EIA_QUESTION)
    [data] = _json_lines(result.stdout)
    _check_contract(data)
    assert data["question"] == EIA_QUESTION
    assert data["abstained"] is False
    assert "related" not in data
    first = data["citations"][0]
    assert first["n"] == 1
    assert first["doc_id"] == "sindh-epa-digest" and first["source"] == "sindh-epa-digest.md"
    assert first["title"] == "Sindh Environmental Protection Act, 2014 (unofficial digest)"
    assert first["doc_type"] == "law-digest"
    assert first["section"].startswith("Section 17")
    assert first["passage_id"].startswith("sindh-epa-digest:")
    assert all(sentence in first["text"] for sentence in first["supporting"])


def test_json_effluent_answer_cites_the_table_row(cpassist) -> None:
    [data] = _json_lines(cpassist("ask", "--json", COD_QUESTION).stdout)
    _check_contract(data)
    assert "400 mg/L" in data["answer"] and "sea" in data["answer"]
    [row] = data["citations"]
    assert (row["doc_id"], row["doc_type"], row["section"]) == (
        "seqs-effluent-limits", "standard", "Row 5: Chemical oxygen demand (COD)"
    )


def test_json_abstention_lists_related_passages(cpassist) -> None:
    [data] = _json_lines(cpassist("ask", "--json", CRICKET).stdout)
    _check_contract(data)
    assert data["abstained"] is True
    assert "do not cover" in data["answer"]
    assert 1 <= len(data["related"]) <= 3
    for hit in data["related"]:
        assert PASSAGE_FIELDS <= set(hit)


def test_json_long_question_carries_a_note(cpassist) -> None:
    [data] = _json_lines(cpassist("ask", "--json", "What is the objective of the Rotterdam Convention? " * 2000).stdout)
    _check_contract(data)
    assert len(data["question"]) <= MAX_QUESTION_CHARS
    assert str(MAX_QUESTION_CHARS) in data["note"]


def test_json_non_ascii_is_written_as_is(cpassist) -> None:
    question = "کیا مجھے ای آئی اے کی ضرورت ہے؟"
    result = cpassist("ask", "--json", question)
    assert question in result.stdout
    [data] = _json_lines(result.stdout)
    _check_contract(data)
    assert data["question"] == question


def test_type_filter_keeps_the_table_out(cpassist) -> None:
    [data] = _json_lines(cpassist("ask", "--json", "--type", "law-digest", COD_QUESTION).stdout)
    _check_contract(data)
    assert all(c["doc_type"] == "law-digest" for c in data["citations"])
    assert all(h["doc_type"] == "law-digest" for h in data.get("related", []))


# ---------------------------------------------------------------------------------------------
# stdin batch mode


def test_stdin_batch_writes_one_json_line_per_input_line_in_order(cpassist) -> None:
    questions = [EIA_QUESTION, "", COD_QUESTION, CRICKET, "   ", "What is the objective of the Rotterdam Convention?"]
    result = cpassist("ask", "--json", input="\n".join(questions) + "\n")
    lines = result.stdout.splitlines()
    assert len(lines) == len(questions)
    answers = [json.loads(line) for line in lines]
    for data in answers:
        _check_contract(data)
    assert [a["question"].strip() for a in answers] == [q.strip() for q in questions]
    assert [a["abstained"] for a in answers] == [False, True, False, True, True, False]
    assert "question" in answers[1]["answer"].lower() and answers[1]["citations"] == []
    assert answers[2]["citations"][0]["section"] == "Row 5: Chemical oxygen demand (COD)"
    assert answers[5]["citations"][0]["section"] == "Article 1 — Objective"


def test_stdin_without_final_newline_and_with_crlf(cpassist) -> None:
    result = cpassist("ask", "--json", input=f"{EIA_QUESTION}\r\n{COD_QUESTION}")
    answers = _json_lines(result.stdout)
    assert [a["question"] for a in answers] == [EIA_QUESTION, COD_QUESTION]
    assert not any(a["abstained"] for a in answers)


def test_stdin_plain_batch_answers_each_line(cpassist) -> None:
    result = cpassist("ask", input=f"{EIA_QUESTION}\n{CRICKET}\n")
    assert result.stdout.count("Sources:") == 1
    assert result.stdout.count("May be related:") == 1
    assert result.stdout.index("Sources:") < result.stdout.index("May be related:")


# ---------------------------------------------------------------------------------------------
# Plain rendering


def test_plain_answer_shows_sources(cpassist) -> None:
    result = cpassist("ask", EIA_QUESTION)
    answer_text, _, sources = result.stdout.partition("\nSources:\n")
    assert sources, result.stdout
    source_lines = [line for line in sources.splitlines() if line.strip()]
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer_text)]
    assert numbers
    assert [int(re.match(r"\s+\[(\d+)\] ", line).group(1)) for line in source_lines] == sorted(set(numbers))
    assert re.match(
        r"\s+\[1\] Sindh Environmental Protection Act, 2014 \(unofficial digest\), Section 17 — ", source_lines[0]
    )
    assert "Traceback" not in result.stderr


def test_plain_abstention_shows_related(cpassist) -> None:
    out = cpassist("ask", CRICKET).stdout
    assert "do not cover" in out
    assert "Sources:" not in out
    assert "May be related:" in out
    assert re.search(r"^\s+- .+", out, flags=re.MULTILINE)


def test_plain_empty_question(cpassist) -> None:
    out = cpassist("ask", "").stdout
    assert "question" in out.lower()
    assert "Sources:" not in out and "Traceback" not in out


def test_first_use_builds_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder, build) -> None:
    corpus = tmp_path / "corpus"
    _write_corpus(corpus)
    settings = build.clean_settings(tmp_path, corpus, min_words=40)
    for name, value in _environment(build, settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["ask", "--json", COD_QUESTION], catch_exceptions=False)
    assert result.exit_code == 0
    assert "ingesting" in result.stderr
    [data] = _json_lines(result.stdout)
    _check_contract(data)
    assert data["citations"][0]["section"] == "Row 5: Chemical oxygen demand (COD)"


# ---------------------------------------------------------------------------------------------
# answer_json and render_answer on hand-made answers (no model)


def _passage(**changes) -> Passage:
    fields = dict(
        id="basel-digest:0003", doc_id="basel-digest", source="basel-digest.md", title="Basel Convention",
        doc_type="mea-digest", jurisdiction="international", unofficial=True, section="Article 6 — Transboundary movement",
        section_id="Art. 6", heading_path=["Article 6 — Transboundary movement"], page=None, page_end=None,
        char_start=0, char_end=40, ordinal=3, text="The State of export shall notify the State of import.",
    )
    fields.update(changes)
    return Passage(**fields)


def test_answer_json_and_render_of_a_cited_answer() -> None:
    passage = _passage()
    citation = Citation(n=1, hit=Hit(passage, 0.0412345678, rank=2), sentences=[passage.text])
    answer = Answer(question="Who notifies?", text=f"{passage.text} [1]", abstained=False, citations=[citation], related=[citation.hit])
    data = answer_json(answer)
    assert data["citations"] == [
        {
            "n": 1, "rank": 2, "score": 0.041235, "doc_id": "basel-digest", "source": "basel-digest.md",
            "title": "Basel Convention (unofficial digest)", "doc_type": "mea-digest",
            "section": "Article 6 — Transboundary movement", "page": None, "text": passage.text,
            "passage_id": "basel-digest:0003", "supporting": [passage.text],
        }
    ]
    assert "related" not in data and "note" not in data
    json.dumps(data)
    assert render_answer(answer) == (
        f"{passage.text} [1]\n\nSources:\n  [1] Basel Convention (unofficial digest), Article 6 — Transboundary movement"
    )


def test_render_shows_the_page_and_the_note() -> None:
    passage = _passage(unofficial=False, title="CP policy assessment", section="2.3.5 Incentives", page=14)
    citation = Citation(n=1, hit=Hit(passage, 0.5, rank=1), sentences=[passage.text])
    answer = Answer(question="q", text=f"{passage.text} [1]", abstained=False, citations=[citation], note="The question was long.")
    rendered = render_answer(answer)
    assert "(The question was long.)" in rendered
    assert "  [1] CP policy assessment, 2.3.5 Incentives, p. 14" in rendered
    assert answer_json(answer)["note"] == "The question was long."
