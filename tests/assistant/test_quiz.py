"""Study-mode quiz: every generated question is traceable to a passage that states its answer."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import quiz
from assistant.standards import seqs

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "corpus" / "documents"


@pytest.fixture(scope="module")
def passages(build):
    return build.shipped_passages(".md", ".csv")


@pytest.fixture(scope="module")
def limits():
    return seqs.load_limits(DOCS / "seqs-effluent-limits.csv")


def _norm(text: str) -> str:
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').split()).casefold()


def test_200_generated_questions_all_rest_on_their_source_passage(passages, limits) -> None:
    by_id = {p.id: p for p in passages}
    questions = [q for seed in range(20) for q in quiz.generate(passages, limits, n=10, seed=seed)]
    assert len(questions) == 200
    assert Counter(q.kind for q in questions).keys() == {"definition", "fact", "limit"}
    for q in questions:
        source = by_id[q.passage_id]  # every question has a source passage
        text = _norm(source.text)
        assert len(q.options) == 4 and len({_norm(o) for o in q.options}) == 4
        assert q.options[q.answer] == q.answer_text and q.passage_id in q.citation
        if q.kind == "limit":
            value = q.answer_text.split()[0]
            assert re.search(rf"{re.escape(q.extra['column'])}: {re.escape(value)}(;|$)", source.text), q.prompt
            limit = next(l for l in limits if f"row {l.row}" == source.section_id)
            assert limit.parameter in q.prompt and float(value) in (limit.inland.high, limit.sewage.high, limit.sea.high)
        else:
            assert _norm(q.answer_text) in text, q.prompt
            assert _norm(q.evidence).lstrip("abcdefghijklmnopqrstuvwxyz")[:60] in text
        if q.kind == "fact":  # the blanked sentence is the passage's sentence with the answer removed
            stem = q.prompt.split("\u201c", 1)[1].rstrip("\u201d")
            head = stem.split("_____")[0].strip(" …")
            assert _norm(head)[-40:] in text
            assert _norm(q.answer_text) not in _norm(stem.replace("_____", "")) or q.evidence.count(q.answer_text) > 1
        if q.kind == "definition":
            assert _norm(q.answer_text) not in _norm(q.prompt)


def test_same_seed_same_quiz_and_kinds_take_turns(passages, limits) -> None:
    first = quiz.generate(passages, limits, n=9, seed=42)
    assert [q.prompt for q in first] == [q.prompt for q in quiz.generate(passages, limits, n=9, seed=42)]
    assert Counter(q.kind for q in first) == {"definition": 3, "fact": 3, "limit": 3}
    assert len({q.key for q in first}) == 9


def test_a_question_whose_passage_does_not_hold_the_answer_fails_verification(passages, limits) -> None:
    by_id = {p.id: p for p in passages}
    question = quiz.generate(passages, limits, n=1, seed=1, kinds=("fact",))[0]
    assert quiz.verify(question, by_id)
    wrong = quiz.QuizQuestion(**{**question.__dict__, "passage_id": passages[0].id})
    assert not quiz.verify(wrong, by_id)
    missing = quiz.QuizQuestion(**{**question.__dict__, "passage_id": "nope:0000"})
    assert not quiz.verify(missing, by_id)


def test_no_limits_and_no_definitions_still_gives_what_there_is(passages) -> None:
    sindh = [p for p in passages if p.doc_id == "sindh-epa-2014-digest"]
    questions = quiz.generate(sindh, [], n=10, seed=3)
    assert len(questions) == 10 and {q.kind for q in questions} == {"definition", "fact"}
    assert quiz.generate([], [], n=5) == []


@pytest.mark.parametrize(("text", "letter"), [("b", "b"), (" C) ", "c"), ("(d)", "d"), ("a. yes", "a"), ("e", None), ("", None), (None, None), ("bad", None)])
def test_parse_answer(text, letter) -> None:
    assert quiz.parse_answer(text) == letter


@pytest.mark.slow
def test_cli_quiz_with_an_answers_file_and_with_piped_stdin(tmp_path: Path, embedder, build) -> None:
    from assistant.cli import main
    from assistant.index import Index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("sindh-epa-2014-digest.md", "seqs-effluent-limits.csv"):
        (corpus / name).write_bytes((DOCS / name).read_bytes())
    settings = build.settings_for(tmp_path, corpus)
    Index(settings, embedder=embedder).ingest(progress=False)
    env = build.cli_environment(settings)
    runner = CliRunner()
    json_run = runner.invoke(main, ["quiz", "--n", "4", "--seed", "9", "--json"], env=env)
    assert json_run.exit_code == 0, json_run.output
    import json

    answers = [json.loads(line)["answer"] for line in json_run.output.splitlines()]
    answers_file = tmp_path / "answers.txt"
    answers_file.write_text("\n".join(answers[:3] + ["z"]), encoding="utf-8")
    run = runner.invoke(main, ["quiz", "--n", "4", "--seed", "9", "--answers-file", str(answers_file)], env=env)
    assert run.exit_code == 0, run.output
    assert run.output.count("Correct:") == 3 and "Score: 3/4 (75%)" in run.output
    assert run.output.count("Source: ") == 4
    piped = runner.invoke(main, ["quiz", "--n", "4", "--seed", "9"], input="\n".join(answers) + "\n", env=env)
    assert piped.exit_code == 0 and "Score: 4/4" in piped.output
    empty = runner.invoke(main, ["quiz", "--n", "2", "--seed", "9"], input="", env=env)
    assert empty.exit_code == 0 and "No answer." in empty.output and "Score: 0/2" in empty.output
