"""The judge step and the instruments in force, end to end on a small real corpus.

Two versions of the same regulations, one marked repealed in the manifest, give different
review periods: a question about what applies now must be answered from the one in force, and
a question about the old rules may quote the repealed one, labelled as such. Every answer
carries a trace saying which step decided it.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.index import Index
from assistant.pipeline import Assistant

NEW = """\
# Environmental Assessment Regulations, 2021

### Regulation 13 — Decision

The Agency shall decide on an initial environmental examination within sixty days of its filing, and on an environmental impact assessment within ninety days of its filing. A decision is communicated to the proponent in writing on the prescribed form.

### Regulation 15 — Validity period of approval

An approval is valid for three years from the date it is issued; construction must begin within that period or the proponent must apply again.
"""

OLD = """\
# IEE and EIA Review Regulations, 2014

### Regulation 13 — Decision

The Agency shall decide on an initial environmental examination within forty-five days of its filing, and on an environmental impact assessment within one hundred and twenty days of its filing. A decision is communicated to the proponent in writing on the prescribed form.

### Regulation 18 — Validity period of approval

An approval is valid for three years from the date it is issued.
"""

MANIFEST = """\
["assessment-regulations-2021.md"]
title = "Environmental Assessment Regulations, 2021"
doc_type = "law-digest"
jurisdiction = "Sindh, Pakistan"

["review-regulations-2014.md"]
title = "IEE and EIA Review Regulations, 2014"
doc_type = "law-digest"
jurisdiction = "Sindh, Pakistan"
status = "repealed"
replaced_by = "assessment-regulations-2021"
since = 2021
"""


@pytest.fixture(scope="module")
def regs_index(tmp_path_factory: pytest.TempPathFactory, embedder, build) -> Index:
    files = {"assessment-regulations-2021.md": NEW, "review-regulations-2014.md": OLD}
    return build.ingested(tmp_path_factory.mktemp("in-force"), files, embedder, MANIFEST, min_words=20)


def ask(index: Index, question: str, **changes):
    return Assistant(index.settings.model_copy(update=changes), index=index).ask(question)


@pytest.mark.parametrize("mode", ["rules", "judge+rules"])
def test_what_applies_now_is_answered_from_the_instrument_in_force(regs_index: Index, tiny_judge, mode: str) -> None:
    answer = ask(regs_index, "How many days does the Agency have to decide on an IEE?", answerability=mode, judge_model=str(tiny_judge[0]))
    cited = {c.passage.doc_id for c in answer.citations} | {h.passage.doc_id for h in answer.related}
    assert "review-regulations-2014" not in cited, answer.text
    if not answer.abstained:
        assert "sixty days" in answer.text and "forty-five" not in answer.text


def test_a_question_about_the_old_rules_may_quote_them_labelled_repealed(regs_index: Index) -> None:
    answer = ask(regs_index, "Under the 2014 Regulations, how many days did the Agency have to decide on an IEE?", answerability="rules")
    old = [c for c in answer.citations if c.passage.doc_id == "review-regulations-2014"]
    assert old, answer.text
    assert "repealed 2021" in old[0].passage.location


def test_every_answer_carries_a_trace_of_the_step_that_decided(regs_index: Index) -> None:
    trace = ask(regs_index, "How many days does the Agency have to decide on an IEE?").trace
    assert trace is not None and trace.answerability == "rules" and trace.threshold is None
    assert trace.stage in {"evidence score", "composer", "rule"}
    assert trace.candidates and all(h.judge is None and h.fused_rank for h in trace.candidates)


def test_with_the_judge_each_candidate_gets_its_score_and_only_accepted_ones_are_quoted(regs_index: Index, tiny_judge) -> None:
    answer = ask(regs_index, "How many days does the Agency have to decide on an IEE?", answerability="judge+rules", judge_model=str(tiny_judge[0]))
    trace = answer.trace
    assert trace is not None and trace.answerability == "judge+rules"
    assert trace.threshold == pytest.approx(tiny_judge[1]["threshold"])
    assert trace.stage in {"judge", "composer", "rule"}
    assert trace.candidates and all(h.judge is not None and h.fused_rank for h in trace.candidates)
    assert [h.fused_rank for h in trace.candidates] == sorted(h.fused_rank for h in trace.candidates), "retrieval's order"
    assert set(trace.accepted) <= {h.passage.id for h in trace.candidates}
    if not answer.abstained:
        assert {c.passage.id for c in answer.citations} <= set(trace.accepted)


def test_ask_explain_prints_the_candidates_and_where_to_look(regs_index: Index) -> None:
    s = regs_index.settings
    env = {"CPASSIST_INDEX_DIR": str(s.index_dir), "CPASSIST_CORPUS_DIR": str(s.corpus_dir), "CPASSIST_MANIFEST_PATH": str(s.manifest_path), "CPASSIST_MIN_WORDS": "20"}
    question = "How many days does the Agency have to decide on an IEE?"
    text = CliRunner().invoke(main, ["ask", "--explain", question], env=env)
    assert text.exit_code == 0, text.output
    assert "Why (answerability: rules" in text.output and "decided at:" in text.output
    assert "assessment-regulations-2021:0000" in text.output
    data = json.loads(CliRunner().invoke(main, ["ask", "--explain", "--json", question], env=env).output.splitlines()[0])
    explain = data["explain"]
    assert explain["stage"] and explain["hint"]
    assert all({"passage_id", "location", "fused_rank", "lists", "judge", "accepted"} <= set(c) for c in explain["candidates"])
    assert all(c["lists"] and set(c["lists"]) <= {"dense", "keyword", "adapted", "multilingual"} for c in explain["candidates"])
    assert explain["answerability"] == "rules" and explain["threshold"] is None


def test_search_leaves_repealed_passages_out_unless_the_old_rules_are_asked_about(regs_index: Index) -> None:
    from assistant.retrieval import Retriever

    now = Retriever(regs_index).run("How many days to decide on an IEE?", k=10)
    assert now and all(hit.passage.in_force for hit in now)
    old = Retriever(regs_index).run("How many days to decide on an IEE under the 2014 Regulations?", k=10)
    assert any(not hit.passage.in_force for hit in old)


def test_a_question_set_in_a_year_before_the_repeal_may_quote_the_old_rules(regs_index: Index) -> None:
    """'under 2014', 'in 2016': a time when the repealed instrument applied (the manifest's
    `since` is the repeal year); a year after it, or the 2014 Act in force, is not such a time."""
    from assistant.retrieval import Retriever

    assert regs_index.snapshot().repealed_in == 2021
    for question in ("How many days did the Agency have to decide on an IEE in 2016?", "IEE review period under 2014?"):
        assert any(not hit.passage.in_force for hit in Retriever(regs_index).run(question, k=10)), question
    for question in ("How many days does the Agency have to decide on an IEE in 2025?", "How many days to decide on an IEE under the 2014 Act?"):
        assert all(hit.passage.in_force for hit in Retriever(regs_index).run(question, k=10)), question


def test_when_the_judge_accepts_nothing_the_closest_candidates_are_still_shown(regs_index: Index, tiny_judge) -> None:
    answer = ask(regs_index, "How many days does the Agency have to decide on an IEE?", answerability="judge", judge_model=str(tiny_judge[0]), judge_threshold=1.0)
    assert answer.abstained and answer.trace.stage == "judge"
    assert answer.related and answer.related == answer.trace.candidates[:3]
