"""The evaluation helpers (pure) and the answer evaluation on a small real corpus.

run_answer_eval runs on the session's small retrieval corpus (tests/conftest.py
`retrieval_index`) with a handful of questions, and on a scripted assistant to check how each
kind of failure is counted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation
from assistant.evaluation import (
    Question,
    QuestionFileError,
    Result,
    SystemFigures,
    citations_valid,
    gold_rank,
    is_language_set,
    is_screening_file,
    language_table,
    load_questions,
    normalise,
    percentile,
    run_answer_eval,
    run_language_eval,
    run_retrieval_eval,
    split_label,
)
from assistant.passages import Passage
from assistant.pipeline import Assistant
from assistant.retrieval import Hit


def q(
    id: str,
    question: str,
    doc_id: str | None = None,
    gold_phrase: str | None = None,
    in_scope: bool = True,
    group: str = "industry",
) -> Question:
    return Question(id=id, group=group, question=question, in_scope=in_scope, doc_id=doc_id, gold_phrase=gold_phrase, topic="t")


# ---------------------------------------------------------------------------------------------
# gold_rank and normalise


def test_gold_rank_is_the_first_result_from_the_gold_document_with_the_phrase() -> None:
    question = q("q1", "?", "sindh-act", "within four months")
    results = [
        Result("basel", "within four months of notification"),
        Result("sindh-act", "The Agency shall decide within two months."),
        Result("sindh-act", "It shall communicate its decision WITHIN\n  four   months of filing."),
        Result("sindh-act", "within four months, again"),
    ]
    assert gold_rank(question, results) == 3


def test_gold_rank_none_when_missing() -> None:
    question = q("q1", "?", "sindh-act", "within four months")
    assert gold_rank(question, []) is None
    assert gold_rank(question, [Result("basel", "within four months")]) is None
    out_of_scope = q("q2", "cricket?", None, None, in_scope=False)
    assert gold_rank(out_of_scope, [Result("sindh-act", "anything")]) is None


def test_gold_rank_ignores_curly_quotes() -> None:
    question = q("q1", "?", "basel", "the 'State of export'")
    assert gold_rank(question, [Result("basel", "Notice from the \u2018State of export\u2019 is required.")]) == 1


def test_normalise() -> None:
    assert normalise("  The \u201cAgency\u201d\n shall\tACT ") == 'the "agency" shall act'


# ---------------------------------------------------------------------------------------------
# citations_valid


@pytest.mark.parametrize(
    ("text", "numbers", "valid"),
    [
        ("A sentence. [1] Another. [2]", [1, 2], True),
        ("A sentence. [1] Another. [1]", [1], True),
        ("A sentence. [2] Another. [1]", [1, 2], True),
        ("No markers at all.", [], True),
        ("A sentence. [1][2]", [1, 2], True),
        ("Twelve. [1] [2] [3] [4] [5] [6] [7] [8] [9] [10] [11] [12]", list(range(1, 13)), True),
        ("A sentence. [1]", [1, 2], False),  # citation 2 never used
        ("A sentence. [1] Another. [2]", [1], False),  # [2] does not resolve
        ("A sentence. [1] Another. [3]", [1, 3], False),  # gap
        ("A sentence. [2]", [2], False),  # does not start at 1
        ("A sentence. [0]", [], False),
        ("A sentence. [1]", [1, 1], False),  # duplicate numbers
        ("Marker-free answer.", [1], False),
        ("Row 5 [seqs-effluent-limits]. [1]", [1], True),  # a bracketed doc id is not a marker
    ],
)
def test_citations_valid(text: str, numbers: list[int], valid: bool) -> None:
    assert citations_valid(text, numbers) is valid


# ---------------------------------------------------------------------------------------------
# percentile, figures, splits, question files


def test_percentile() -> None:
    assert percentile([], 50) == 0.0
    assert percentile([7.0], 95) == 7.0
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 3.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 95) == 5.0
    assert values == [5.0, 1.0, 4.0, 2.0, 3.0], "the input is not sorted in place"
    many = [float(i) for i in range(1, 101)]
    assert percentile(many, 50) in (50.0, 51.0)
    assert percentile(many, 95) in (95.0, 96.0)


def test_system_figures() -> None:
    figures = SystemFigures("x", ranks=[1, 2, None, 6, 3], latencies=[0.010, 0.020, 0.030, 0.040, 0.050])
    assert figures.hit_at(1) == pytest.approx(1 / 5)
    assert figures.hit_at(3) == pytest.approx(3 / 5)
    assert figures.hit_at(5) == pytest.approx(3 / 5)
    assert figures.mrr5 == pytest.approx((1 + 1 / 2 + 1 / 3) / 5)
    assert figures.latency(50) == pytest.approx(30.0)
    assert SystemFigures("empty").hit_at(5) == 0.0 and SystemFigures("empty").mrr5 == 0.0


def test_split_label() -> None:
    assert split_label(q("q001", "?")) == "dev"
    assert split_label(q("q002", "?")) == "test"
    assert split_label(q("q119", "?")) == "dev"


def test_load_questions(tmp_path: Path) -> None:
    rows = [
        {"id": "q001", "group": "industry", "question": "Do I need an EIA?", "in_scope": True,
         "doc_id": "sindh-act", "gold_phrase": "environmental impact assessment", "topic": "approvals"},
        {"id": "q002", "group": "trainee", "question": "Who won the cricket world cup?", "in_scope": False,
         "doc_id": None, "gold_phrase": None, "topic": "out of scope"},
    ]
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    questions = load_questions(path)
    assert [x.id for x in questions] == ["q001", "q002"]
    assert questions[1].in_scope is False and questions[1].doc_id is None


def test_shipped_question_set_is_well_formed() -> None:
    questions = load_questions(Path(__file__).resolve().parents[2] / "evals" / "questions.jsonl")
    in_scope = [x for x in questions if x.in_scope]
    assert len(in_scope) >= 80 and len(questions) - len(in_scope) >= 15
    assert len({x.id for x in questions}) == len(questions)
    assert all(x.doc_id and x.gold_phrase for x in in_scope)


# ---------------------------------------------------------------------------------------------
# run_answer_eval with a scripted assistant: how each outcome is counted


def _passage(doc_id: str, text: str) -> Passage:
    return Passage(
        id=f"{doc_id}:0000", doc_id=doc_id, source=f"{doc_id}.md", title=doc_id, doc_type="report",
        jurisdiction="Pakistan", unofficial=False, section=None, section_id=None, heading_path=[], page=None,
        page_end=None, char_start=0, char_end=len(text), ordinal=0, text=text,
    )


class ScriptedBot:
    """Answers from a script: question -> (text, [(doc_id, passage text)], abstained)."""

    def __init__(self, script: dict[str, tuple[str, list[tuple[str, str]], bool]]) -> None:
        self.script = script
        self.asked: list[str] = []

    def ask(self, question: str) -> Answer:
        self.asked.append(question)
        text, cited, abstained = self.script[question]
        citations = [Citation(n, Hit(_passage(d, t), 1.0, rank=n), [t]) for n, (d, t) in enumerate(cited, start=1)]
        return Answer(question=question, text=text, abstained=abstained, citations=citations)


def test_run_answer_eval_counts_each_outcome() -> None:
    questions = [
        q("q1", "good", "act", "four months"),
        q("q2", "wrong citation", "act", "four months"),
        q("q3", "abstained wrongly", "act", "four months"),
        q("q4", "bad markers", "act", "four months"),
        q("q5", "cricket", in_scope=False),
        q("q6", "cake", in_scope=False),
    ]
    within = ("act", "The Agency decides within four months.")
    bot = ScriptedBot({
        "good": ("The Agency decides within four months. [1]", [within], False),
        "wrong citation": ("Fuel falls by a fifth. [1]", [("boilers", "Fuel falls by a fifth.")], False),
        "abstained wrongly": ("not covered", [], True),
        "bad markers": ("The Agency decides within four months. [2]", [within], False),
        "cricket": ("not covered", [], True),
        "cake": ("Some quoted sentence here. [1]", [within], False),
    })
    figures = run_answer_eval(bot, questions)
    assert bot.asked[0] == "good" and len(bot.asked) == len(questions) + 1, "one warm-up, then each question once"
    assert figures.cites_gold == pytest.approx(2 / 4)
    assert figures.wrong_abstentions == pytest.approx(1 / 4)
    assert figures.out_of_scope_abstained == pytest.approx(1 / 2)
    assert figures.citation_validity == pytest.approx(5 / 6)
    assert figures.mean_words == pytest.approx((6 + 5 + 6) / 3), "markers are not words"
    assert sorted(line.split(" q")[0] for line in figures.failures) == [
        "abstained on", "answered out-of-scope", "no gold citation",
    ]
    table = figures.table(4, 2)
    assert "0.500" in table and "0.250" in table and "0.833" in table
    dev, test = figures.split_table().splitlines()[1:]
    assert dev.split() == ["dev", "2", "0.500", "0.500", "1", "1.000"], "q1 cites, q3 abstained; q5 abstained"
    assert test.split() == ["test", "2", "0.500", "0.000", "1", "0.000"], "q4 cites (bad marker, right passage); q6 answered"


# ---------------------------------------------------------------------------------------------
# On the real corpus


REAL_QUESTIONS = [
    q("q01", "When must the Agency communicate its approval of an environmental impact assessment?",
      "sindh-epa-digest", "within four months"),
    q("q02", "How much fuel does an economiser on the boiler flue save?", "boiler-efficiency-report", "five to eight percent"),
    q("q03", "What must Parties do with stockpiles of obsolete pesticides?", "stockholm-convention-digest", "obsolete pesticides"),
    q("q04", "How much rinse water does counter-current rinsing save?", "dye-house-water-programme",
      "cleanest water meet the cleanest cloth"),
    q("q05", "Can a unit discharge effluent above the Sindh Environmental Quality Standards?", "sindh-epa-digest",
      "in excess of the Sindh Environmental Quality Standards"),
    q("q06", "Who won the cricket world cup in 2011?", in_scope=False),
    q("q07", "How do I bake a chocolate cake?", in_scope=False),
]


def test_run_answer_eval_on_the_small_corpus(retrieval_index) -> None:
    figures = run_answer_eval(Assistant(retrieval_index.settings, index=retrieval_index), REAL_QUESTIONS)
    assert figures.failures == []
    assert figures.cites_gold == 1.0
    assert figures.wrong_abstentions == 0.0
    assert figures.out_of_scope_abstained == 1.0
    assert figures.citation_validity == 1.0
    assert 0 < figures.mean_words <= 120
    assert 0 < figures.p50_ms <= figures.p95_ms


def test_run_answer_eval_reports_a_wrong_gold_phrase(retrieval_index) -> None:
    questions = [q("q09", "How much fuel does an economiser on the boiler flue save?", "boiler-efficiency-report",
                   "a phrase that no passage contains")]
    figures = run_answer_eval(Assistant(retrieval_index.settings, index=retrieval_index), questions)
    assert figures.cites_gold == 0.0
    assert figures.failures == ["no gold citation q09: How much fuel does an economiser on the boiler flue save?"]


def test_run_retrieval_eval_without_baselines(retrieval_index) -> None:
    [ours] = run_retrieval_eval(retrieval_index, REAL_QUESTIONS, baselines=False)
    assert len(ours.ranks) == 5, "out-of-scope questions are not scored for retrieval"
    assert all(rank is not None and rank <= 3 for rank in ours.ranks), ours.ranks
    assert ours.hit_at(5) == 1.0


def test_the_urdu_set_is_scored_per_script_beside_its_english_twins(retrieval_index) -> None:
    english = "Can a project start construction before the Agency approves its environmental assessment?"
    gold = ("sindh-epa-digest", "has obtained from the Agency approval")
    questions = [
        Question("u1", "industry", "کیا ماحولیاتی جائزے کی منظوری سے پہلے تعمیر شروع ہو سکتی ہے؟", True, *gold, "t", "ur", english),
        Question("u2", "industry", "Kya environmental assessment ki manzoori se pehle construction shuru ho sakti hai?", True, *gold, "t", "ur-Latn", english),
        Question("u3", "industry", "Kya Kyoto Protocol ke tehat carbon credits milte hain?", False, None, None, "t", "ur-Latn",
                 "Do we get carbon credits under the Kyoto Protocol?"),
    ]
    assert is_language_set(questions) and not is_language_set(REAL_QUESTIONS)
    figures = run_language_eval(retrieval_index, Assistant(retrieval_index.settings, index=retrieval_index), questions)
    assert [f.name.strip() for f in figures] == ["Urdu script (ur)", "the same in English", "Roman Urdu (ur-Latn)", "the same in English"]
    assert [(len(f.in_scope), f.n_out) for f in figures] == [(1, 0), (1, 0), (1, 1), (1, 1)]
    for f in figures:
        assert f.search.hit_at(5) == 1.0 and f.answers.cites_gold == 1.0, f.answers.failures
        assert f.answers.citation_validity == 1.0
    assert figures[2].answers.out_of_scope_abstained == figures[3].answers.out_of_scope_abstained == 1.0
    assert figures[1].in_scope[0].question == english and figures[1].in_scope[0].id == "u1"  # same gold
    table = language_table(figures)
    assert "Urdu script (ur)" in table and "Roman Urdu (ur-Latn)" in table and "hit@5" in table


def test_a_screening_case_file_is_told_from_a_question_file(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text('\n{"id": "d1", "description": "a tannery", "requirement": "IEE"}\n', encoding="utf-8")
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"id": "q1", "question": "What is COD?", "in_scope": true}\n', encoding="utf-8")
    assert is_screening_file(cases) and not is_screening_file(questions)


def test_a_question_file_line_that_is_not_a_question_is_named(tmp_path: Path) -> None:
    good = '{"id": "q1", "group": "trainee", "question": "What is COD?", "in_scope": true, "doc_id": null, "gold_phrase": null, "topic": "standards", "note": "extra fields are ignored"}'
    path = tmp_path / "set.jsonl"
    path.write_text(good + "\n\n", encoding="utf-8")
    assert [q.id for q in load_questions(path)] == ["q1"]
    path.write_text(good + '\n{"id": "q2", "question": "What is BOD?", "in_scope": true}\n', encoding="utf-8")
    with pytest.raises(QuestionFileError, match=r"set.jsonl, line 2: missing doc_id, gold_phrase, group, topic"):
        load_questions(path)
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=r"line 1: not JSON"):
        load_questions(path)
