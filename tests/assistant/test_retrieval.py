"""Retrieval on a small realistic corpus: paraphrases find the right passage, filters hold, edge cases are empty."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.index import Index
from assistant.retrieval import (
    Filters,
    Hit,
    Retriever,
    _printing_passage,
    asks_about_repealed,
    asks_only_about_repealed,
    expand_query,
    held_provisions,
    provisions_in,
    strip_frame,
)


@pytest.fixture(scope="module")
def retriever(retrieval_index: Index) -> Retriever:
    return Retriever(retrieval_index)


@pytest.mark.parametrize(
    ("query", "doc_id", "section_id"),
    [
        ("How can a factory reuse the heat in its boiler exhaust?", "boiler-efficiency-report", "3.1"),
        ("Can we start building before the agency has cleared our environmental assessment?", "sindh-epa-digest", "s.17"),
        ("Is a mill allowed to release wastewater dirtier than the provincial quality standards?", "sindh-epa-digest", "s.11"),
        ("What must a country do with old stocks of banned pesticides?", "stockholm-convention-digest", "Art. 6"),
        ("How do dyeing mills use less rinse water?", "dye-house-water-programme", None),
        ("What is the COD limit for discharge into inland waters?", "effluent-limits", "row 2"),
        ("dioxins from burning waste", "stockholm-convention-digest", "Art. 5"),
    ],
)
def test_paraphrased_query_ranks_the_right_passage_first(retriever: Retriever, query: str, doc_id: str, section_id) -> None:
    hits = retriever.run(query, k=3)
    top = hits[0].passage
    assert (top.doc_id, top.section_id) == (doc_id, section_id), [(h.passage.doc_id, h.passage.section) for h in hits]


def test_hits_are_ranked_and_scored(retriever: Retriever) -> None:
    hits = retriever.run("boiler fuel savings", k=4)
    assert [hit.rank for hit in hits] == [1, 2, 3, 4]
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True) and all(score > 0 for score in scores)
    assert len({hit.passage.id for hit in hits}) == 4
    assert hits[0].dense is not None and hits[0].dense_rank is not None
    assert hits[0].keyword is not None and hits[0].keyword_rank is not None
    assert len(retriever.run("boiler fuel savings")) == retriever.settings.top_k


def test_k_larger_than_the_corpus_returns_every_passage_once(retriever: Retriever, retrieval_index: Index) -> None:
    total = len(retrieval_index.snapshot().passages)
    hits = retriever.run("environment", k=100)
    assert len(hits) == total
    assert len({hit.passage.id for hit in hits}) == total


def test_doc_type_filter(retriever: Retriever) -> None:
    query = "boiler economiser heat recovery"
    hits = retriever.run(query, k=5, filters=Filters(doc_types=("law-digest",)))
    assert hits and {hit.passage.doc_type for hit in hits} == {"law-digest"}
    hits = retriever.run(query, k=10, filters=Filters(doc_types=("standard", "programme")))
    assert hits and {hit.passage.doc_type for hit in hits} <= {"standard", "programme"}
    assert {hit.passage.doc_type for hit in hits} == {"standard", "programme"}


def test_doc_id_and_jurisdiction_filters(retriever: Retriever) -> None:
    hits = retriever.run("water", k=10, filters=Filters(doc_ids=("dye-house-water-programme",)))
    assert [hit.passage.doc_id for hit in hits] == ["dye-house-water-programme"] * 2
    hits = retriever.run("obligations of parties", k=10, filters=Filters(jurisdictions=("international",)))
    assert hits and {hit.passage.doc_id for hit in hits} == {"stockholm-convention-digest"}
    both = Filters(doc_types=("report",), doc_ids=("sindh-epa-digest",))
    assert retriever.run("environmental impact assessment", k=5, filters=both) == []


def test_filters_as_python_and_as_chroma_where() -> None:
    assert not Filters() and Filters().where() is None
    assert Filters(doc_types=("report",)).where() == {"doc_type": {"$in": ["report"]}}
    assert Filters(doc_types=("report",), doc_ids=("a", "b")).where() == {
        "$and": [{"doc_type": {"$in": ["report"]}}, {"doc_id": {"$in": ["a", "b"]}}]
    }


def test_empty_query_returns_nothing(retriever: Retriever) -> None:
    assert retriever.run("") == []
    assert retriever.run("   \t ") == []


def test_stop_words_only_query_still_gets_dense_results(retriever: Retriever) -> None:
    hits = retriever.run("what is the", k=3)
    assert len(hits) == 3 and all(hit.keyword is None for hit in hits)


def test_empty_index_returns_nothing(tmp_path: Path, make_settings, embedder) -> None:
    index = Index(make_settings(tmp_path / "empty-corpus"), embedder=embedder)
    assert index.snapshot() is None
    assert Retriever(index).run("boiler heat recovery") == []


def test_fusion_is_weighted_reciprocal_rank(retriever: Retriever, retrieval_index: Index) -> None:
    snapshot = retrieval_index.snapshot()
    a, b, c = sorted(snapshot.passages)[:3]
    s = retriever.settings
    hits = retriever.fuse(snapshot, dense=[(a, 0.9), (b, 0.5)], keyword=[(b, 7.0), (c, 2.0)])
    assert [hit.passage.id for hit in hits] == [b, c, a]  # keyword_weight 3 > dense_weight 1
    by_id = {hit.passage.id: hit for hit in hits}
    assert by_id[b].score == pytest.approx(s.dense_weight / (s.rrf_k + 2) + s.keyword_weight / (s.rrf_k + 1))
    assert by_id[a].score == pytest.approx(s.dense_weight / (s.rrf_k + 1))
    assert (by_id[b].dense, by_id[b].dense_rank, by_id[b].keyword, by_id[b].keyword_rank) == (0.5, 2, 7.0, 1)


def test_hits_are_numbered_by_their_fused_rank(retrieval_index: Index) -> None:
    hits = Retriever(retrieval_index).run("boiler heat", k=3)
    assert [hit.rank for hit in hits] == [hit.fused_rank for hit in hits] == [1, 2, 3]


def test_the_provisions_a_question_names() -> None:
    assert provisions_in("Does regulation 9(2)(d) apply, and what do Schedule IV and Article 4A say?") == {
        ("regulation", "9"), ("schedule", "IV"), ("article", "4a"),
    }
    assert provisions_in("What does section 17 say? And rule 5?") == {("section", "17"), ("rule", "5")}
    assert provisions_in("How long is the review period?") == frozenset()


def test_a_passage_holds_its_own_provision_and_the_headings_inside_it(retrieval_index: Index) -> None:
    passages = retrieval_index.snapshot().passages.values()
    by_section = {p.section_id: p for p in passages if p.doc_id == "sindh-epa-digest"}
    assert ("section", "17") in held_provisions(by_section["s.17"])
    assert ("section", "11") not in held_provisions(by_section["s.17"])


def test_a_named_provision_is_raised_among_the_candidates(retrieval_index: Index) -> None:
    """One more reciprocal-rank list, weighted by settings.provision_weight: the only candidate
    holding section 17 gains weight / (rrf_k + 1), and the others keep their fused scores."""
    question = "Under section 17, may a mill discharge effluent above the standards?"
    settings = retrieval_index.settings
    plain = Retriever(retrieval_index, settings.model_copy(update={"provision_weight": 0.0})).run(question, k=10)
    named = Retriever(retrieval_index).run(question, k=10)
    before = {hit.passage.id: hit.score for hit in plain}
    for hit in named:
        gain = settings.provision_weight / (settings.rrf_k + 1) if hit.passage.section_id == "s.17" else 0.0
        assert hit.score == pytest.approx(before[hit.passage.id] + gain)
    assert [h.passage.section_id for h in named].index("s.17") < [h.passage.section_id for h in plain].index("s.17")


# ---------------------------------------------------------------------------------------------
# Table rows copied from another document

SCHEDULES = """# Example Regulations 2021

## Regulation 4 — Projects requiring an IEE

A proponent whose project falls in a category of Schedule II files an initial environmental
examination with the Agency before construction starts, with the fee in Schedule IV.

## Schedule II — List of projects requiring an IEE

- 1. Hospitals and health care units — more than 50 beds.
- 2. Metal smelting plants — production capacity up to 20 tons a day.
- 3. Carpet manufacturing units — all.

## Schedule III — List of projects requiring an EIA

- 1. Metal smelting plants — production capacity more than 20 tons a day.
- 2. Thermal power stations — more than 50 MW.

## Schedule IV — Review fees

The fee depends on the total project cost: up to 20 million, Rs 50,000; above that, Rs 100,000.
"""
ROWS = """regulations,schedule,project,threshold
2021,II,Hospitals and health care units,more than 50 beds
2021,II,Metal smelting plants,production capacity up to 20 tons per day
2021,II,Carpet manufacturing units,all
2021,III,Metal smelting plants,production capacity more than 20 tons per day
2021,III,Thermal power stations,more than 50 MW
"""


@pytest.fixture(scope="module")
def printed_index(tmp_path_factory: pytest.TempPathFactory, embedder, build) -> Index:
    manifest = (
        '["schedules.csv"]\nrow_label = "project"\n'
        'row_printed_in = { column = "regulations", values = { "2021" = "example-regulations" } }\n'
    )
    files = {"example-regulations.md": SCHEDULES, "schedules.csv": ROWS}
    return build.ingested(tmp_path_factory.mktemp("printed"), files, embedder, manifest, min_words=5, max_words=60)


def test_a_row_copied_from_a_document_raises_the_passage_that_prints_it(printed_index: Index) -> None:
    """One more reciprocal-rank list, weighted by settings.printed_weight, in the rows' order: each
    smelting row among the top 5 raises the schedule that prints it (up to 20 tons: Schedule II;
    more than 20: Schedule III), and nothing else moves."""
    question = "Our aluminium smelter will produce 15 tons a day. IEE or EIA?"
    settings = printed_index.settings
    plain = Retriever(printed_index, settings.model_copy(update={"printed_weight": 0.0})).run(question, k=10)
    raised = Retriever(printed_index).run(question, k=10)
    schedule_of = {"Row 3: Metal smelting plants": "Schedule II", "Row 5: Metal smelting plants": "Schedule III"}
    rows = [hit.passage.section for hit in plain[:5] if hit.passage.section in schedule_of]
    assert sorted(rows) == sorted(schedule_of)
    expected = {
        f"{schedule_of[row]} — List of projects requiring an {'IEE' if schedule_of[row] == 'Schedule II' else 'EIA'}": rank
        for rank, row in enumerate(rows, start=1)
    }
    before = {hit.passage.id: hit.score for hit in plain}
    gains = {hit.passage.section: hit.score - before[hit.passage.id] for hit in raised if hit.score != pytest.approx(before[hit.passage.id])}
    assert gains == {section: pytest.approx(settings.printed_weight / (settings.rrf_k + rank)) for section, rank in expected.items()}


def test_a_row_worded_differently_is_printed_by_the_passage_holding_most_of_its_words(printed_index: Index) -> None:
    """'Facilities for hospital waste disposal' is printed as 'Hospital waste disposal facilities':
    no passage names the label, so the one holding its words (and most of the row's) prints it."""
    passages = printed_index.snapshot().passages.values()
    row = next(p for p in passages if p.section == "Row 2: Hospitals and health care units")
    reworded = replace(row, section="Row 2: Health care units and hospitals", text=row.text)
    candidates = [Hit(p, 0.0) for p in passages if p.doc_id == "example-regulations"]
    assert _printing_passage(reworded, candidates).passage.section == "Schedule II — List of projects requiring an IEE"
    unrelated = replace(row, section="Row 2: Cement plants")
    assert _printing_passage(unrelated, candidates) is None


def test_rows_of_a_table_without_a_source_raise_nothing(retriever: Retriever) -> None:
    question = "What is the COD limit for discharge into inland waters?"
    plain = Retriever(retriever.index, retriever.settings.model_copy(update={"printed_weight": 0.0})).run(question, k=10)
    assert [(h.passage.id, h.score) for h in retriever.run(question, k=10)] == [(h.passage.id, h.score) for h in plain]


@pytest.mark.parametrize(
    ("question", "old"),
    [
        ("What did the 2014 Regulations require?", True),
        ("Was flood protection an EIA item under 2014?", True),
        ("We built a tower in 2016: which list applied then?", True),
        ("What was the 2014 storey threshold for EIA?", True),
        ("2014 housing scheme of 10 acres: IEE or EIA?", True),
        ("What does section 17 of the 2014 Act say?", False),
        ("Who is responsible under the Hospital Waste Management Rules 2014?", False),
        ("Which list applies in 2025?", False),
        ("Which list applies to a tower?", False),
    ],
)
def test_a_question_is_about_the_repealed_rules_when_it_is_set_before_their_repeal(question: str, old: bool) -> None:
    assert asks_about_repealed(question, repealed_in=2021) is old
    assert asks_about_repealed(question) is ("Regulations" in question)


# ---------------------------------------------------------------------------------------------
# Abbreviations


def test_expand_query_adds_long_forms() -> None:
    expanded = expand_query("Do I need an EIA?")
    assert expanded.startswith("Do I need an EIA?")
    assert "environmental impact assessment" in expanded
    assert "chemical oxygen demand" in expand_query("COD limit for SEQS")
    assert "Sindh Environmental Quality Standards" in expand_query("COD limit for SEQS")


def test_expand_query_leaves_known_long_forms_and_plain_words_alone() -> None:
    assert expand_query("Do I need an environmental impact assessment (EIA)?") == (
        "Do I need an environmental impact assessment (EIA)?"
    )
    assert expand_query("How do I treat dye house wastewater?") == "How do I treat dye house wastewater?"


def test_lower_case_sea_is_the_receiving_water_not_an_abbreviation() -> None:
    assert expand_query("limits for discharge into the sea") == "limits for discharge into the sea"
    assert "strategic environmental assessment" in expand_query("Is an SEA required for the plan?")


def test_expanded_abbreviation_finds_the_long_form(retriever: Retriever) -> None:
    hits = retriever.run("Do I need an EIA before construction?", k=1)
    assert (hits[0].passage.doc_id, hits[0].passage.section_id) == ("sindh-epa-digest", "s.17")


@pytest.mark.parametrize(
    ("question", "stripped"),
    [
        ("Caller asks about the ILES project. What period does it cover?", "the ILES project. What period does it cover?"),
        ("A tannery wants to know whether chromium is limited.", "chromium is limited."),
        (
            "Caller from a PVC pigment maker in SITE, whose wastewater goes to the sewer, asks how much cadmium is allowed.",
            "how much cadmium is allowed.",
        ),
        ("What does the law say if a neighbour asks for records?", "What does the law say if a neighbour asks for records?"),
        ("SEPA has asked us for an audit report.", "SEPA has asked us for an audit report."),
    ],
)
def test_strip_frame_drops_who_is_asking(question: str, stripped: str) -> None:
    assert strip_frame(question) == stripped


def test_the_embedded_query_has_no_frame_but_the_keyword_query_keeps_the_words(retriever: Retriever) -> None:
    framed = retriever.prepare("Caller asks about the objective of the Rotterdam Convention.")
    plain = retriever.prepare("the objective of the Rotterdam Convention.")
    assert framed.vector == plain.vector
    assert framed.expanded.startswith("Caller asks")


# ---------------------------------------------------------------------------------------------
# Questions in Urdu script and Roman Urdu (issue 15)


@pytest.mark.parametrize(
    ("query", "doc_id", "section_id"),
    [
        ("Kya boiler ke dhuen ki heat dobara istemal ho sakti hai?", "boiler-efficiency-report", "3.1"),
        ("کیا ہم ماحولیاتی جائزے کی منظوری سے پہلے تعمیر شروع کر سکتے ہیں؟", "sindh-epa-digest", "s.17"),
        ("پرانے ممنوعہ کیڑے مار ادویات کے ذخیروں کا کیا کرنا ہوگا؟", "stockholm-convention-digest", "Art. 6"),
    ],
)
def test_an_urdu_question_finds_the_english_passage(retriever: Retriever, query: str, doc_id: str, section_id: str) -> None:
    hits = retriever.run(query, k=3)
    assert (hits[0].passage.doc_id, hits[0].passage.section_id) == (doc_id, section_id), [
        (h.passage.doc_id, h.passage.section) for h in hits
    ]


def test_an_urdu_question_is_searched_as_its_gloss_and_by_the_multilingual_set(retriever: Retriever) -> None:
    query = retriever.prepare("کیا ہم ماحولیاتی جائزے کی منظوری سے پہلے تعمیر شروع کر سکتے ہیں؟")
    assert query.language == "ur" and "environmental assessment" in query.english
    assert query.expanded.startswith(query.english) and query.vector and query.multilingual_vector
    hits = retriever.run_query(query, k=5)
    assert any(hit.multilingual_rank == 1 for hit in hits)
    assert all(hit.multilingual is not None for hit in hits if hit.multilingual_rank)


def test_an_english_question_never_uses_the_multilingual_set(retriever: Retriever) -> None:
    query = retriever.prepare("Can we start building before the agency has cleared our environmental assessment?")
    assert query.language == "en" and query.multilingual_vector == []
    assert query.english == query.text
    assert all(hit.multilingual is None and hit.multilingual_rank is None for hit in retriever.run_query(query, k=10))


def test_at_most_a_few_copied_rows_stand_in_the_top_k(printed_index: Index) -> None:
    """Rows copied from the Regulations past settings.copied_rows_in_top move below the top k, so
    the Regulations' own text the rows crowd out comes up."""
    question = "Which schedule lists metal smelting plants, hospitals, carpet units and thermal power stations?"
    settings = printed_index.settings
    unlimited = Retriever(printed_index, settings.model_copy(update={"copied_rows_in_top": 0})).run(question, k=5)
    limited = Retriever(printed_index).run(question, k=5)
    rows = [hit for hit in unlimited if hit.passage.printed_in]
    assert len(rows) > settings.copied_rows_in_top == 2
    assert [hit.passage.id for hit in limited if hit.passage.printed_in] == [hit.passage.id for hit in rows[:2]]
    assert [hit.rank for hit in limited] == [1, 2, 3, 4, 5]
    kept = [hit.passage.id for hit in unlimited if not hit.passage.printed_in]
    assert [hit.passage.id for hit in limited if not hit.passage.printed_in][: len(kept)] == kept


@pytest.mark.parametrize(
    ("question", "only_old"),
    [
        ("What building height triggered an EIA in the 2014 regulations?", True),
        ("Under the old rules, how long did the Agency have to review an EIA?", True),
        ("What changed in the review period between 2014 and 2021?", False),
        ("Is the 2014 list still in force?", False),
        ("How long does the Agency have to review an EIA now?", False),
    ],
)
def test_a_question_is_about_the_old_rules_alone_when_it_asks_neither_the_change_nor_now(question: str, only_old: bool) -> None:
    assert asks_only_about_repealed(question, repealed_in=2021) is only_old


OLD = """# Example Review Regulations 2014

## Regulation 12 — Review

The Agency reviews an IEE within sixty days and an EIA within four months of its completeness.
"""
NEW = """# Example Assessment Regulations 2021

## Regulation 12 — Review

The Agency reviews an IEE within thirty days and an EIA within sixty days of its completeness.
"""


@pytest.fixture(scope="module")
def two_instruments(tmp_path_factory: pytest.TempPathFactory, embedder, build) -> Index:
    manifest = (
        '["old-regulations.md"]\nyear = 2014\nstatus = "repealed"\nreplaced_by = "new-regulations"\nsince = 2021\n'
        '["new-regulations.md"]\nyear = 2021\n'
    )
    files = {"old-regulations.md": OLD, "new-regulations.md": NEW}
    return build.ingested(tmp_path_factory.mktemp("instruments"), files, embedder, manifest, min_words=5, max_words=60)


def test_a_question_on_the_old_rules_alone_raises_the_repealed_instrument(two_instruments: Index) -> None:
    """One more reciprocal-rank list (settings.repealed_weight) over the repealed candidates."""
    settings = two_instruments.settings
    plain = Retriever(two_instruments, settings.model_copy(update={"repealed_weight": 0.0}))
    raised = Retriever(two_instruments)
    question = "Under the 2014 regulations, how long did the Agency take to review an EIA?"
    gains = {h.passage.doc_id: h.score for h in raised.run(question, k=2)}
    before = {h.passage.doc_id: h.score for h in plain.run(question, k=2)}
    assert gains["old-regulations"] - before["old-regulations"] == pytest.approx(settings.repealed_weight / (settings.rrf_k + 1))
    assert gains["new-regulations"] == pytest.approx(before["new-regulations"])
    assert raised.run(question, k=1)[0].passage.doc_id == "old-regulations"
    changed = "What changed in the EIA review period between 2014 and 2021?"
    assert [(h.passage.id, h.score) for h in raised.run(changed, k=2)] == [(h.passage.id, h.score) for h in plain.run(changed, k=2)]
