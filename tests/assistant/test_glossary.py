"""Glossary extraction from the real shipped digests (no model, no index: loaders + Splitter)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.glossary import Glossary, GlossaryEntry, build_glossary, glossary_for

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "corpus" / "documents"


@pytest.fixture(scope="module")
def passages(build):
    return build.shipped_passages(".md")


@pytest.fixture(scope="module")
def glossary(passages):
    return build_glossary(passages)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_every_clause_of_section_2_of_the_sindh_act(glossary) -> None:
    sindh = [e for e in glossary if e.doc_id == "sindh-epa-2014-digest"]
    text = (DOCS / "sindh-epa-2014-digest.md").read_text(encoding="utf-8")
    section_2 = text[text.index("### Section 2 —"):text.index("## Part II")]
    clauses = [line for line in section_2.splitlines() if line.startswith("- (")]
    assert len(sindh) == len(clauses) == 54
    eia = next(e for e in sindh if e.term == "environmental impact assessment")
    assert eia.definition.startswith("A study that gathers baseline data")
    assert eia.clause == "xv" and eia.section_id == "s.2"
    assert "unofficial digest" in eia.citation and "s.2(xv)" in eia.citation and eia.passage_id in eia.citation
    bio = next(e for e in sindh if e.term == "biodiversity")
    assert bio.aliases == ("biological diversity",)
    review = next(e for e in sindh if e.term == "Environmental Review")  # the misnumbered clause
    assert review.clause == "xix"


@pytest.mark.parametrize(
    ("doc_id", "term", "start"),
    [
        ("basel-convention-digest", "transboundary movement", "A shipment from an area under one State"),
        ("basel-convention-digest", "Disposal", "Any operation listed in Annex IV"),
        ("basel-convention-digest", "competent authority", "The government body that receives"),
        ("stockholm-convention-digest", "Party", "A State or regional economic integration organization"),
        ("rotterdam-convention-digest", "banned chemical", "One whose uses"),
        ("rotterdam-convention-digest", "severely hazardous pesticide formulation", "A pesticidal formulation"),
    ],
)
def test_convention_definitions_articles(glossary, doc_id: str, term: str, start: str) -> None:
    entry = next(e for e in glossary if e.doc_id == doc_id and e.term == term)
    assert entry.definition.startswith(start)
    assert entry.section_id == "Art. 2"  # even where Article 2 shares a passage with Article 1
    assert entry.title.endswith("(unofficial digest)")


def test_only_definitions_sections_are_read(glossary) -> None:
    """The Act's section 2, the conventions' Article 2, and regulation 2 / rule 2 of the rules and
    regulations made under the Act."""
    assert {e.section_id for e in glossary} == {"s.2", "Art. 2", "reg. 2", "rule 2"}
    regulations = {e.term for e in glossary if e.doc_id == "sindh-environmental-assessment-regulations-2021-digest"}
    assert "Environmentally sensitive area" in regulations
    basel = {e.term for e in glossary if e.doc_id == "basel-convention-digest"}
    assert "Hazardous wastes" not in basel  # Article 1 defines it in passing; not Article 2


def test_every_entry_is_in_its_passage(glossary, passages) -> None:
    by_id = {p.id: p for p in passages}
    assert len(glossary) >= 60
    for entry in glossary:
        text = _norm(by_id[entry.passage_id].text)
        assert _norm(entry.term) in text
        definition = _norm(entry.definition)
        assert definition in text or definition[1:] in text, entry.term


def test_lookup_exact_abbreviation_and_fuzzy(glossary) -> None:
    entries, exact = glossary.lookup("Environmental Impact Assessment")
    assert exact and entries[0].term == "environmental impact assessment"
    entries, exact = glossary.lookup("EIA")
    assert exact and entries[0].term == "environmental impact assessment"
    entries, exact = glossary.lookup("biological diversity")
    assert exact and entries[0].term == "biodiversity"
    entries, exact = glossary.lookup("tribunl")
    assert not exact and "Environmental Protection Tribunal" in [e.term for e in entries]
    entries, exact = glossary.lookup("hazardus waste")
    assert not exact and entries[0].term == "hazardous waste"
    assert glossary.lookup("zzzz qqqq") == ([], False)
    assert glossary.lookup("  ") == ([], False)


def test_built_once_per_generation(passages) -> None:
    files = {"d": SimpleNamespace(sha256="abc")}
    snapshot = SimpleNamespace(generation=7, files=files, passages={p.id: p for p in passages})
    first = glossary_for(snapshot)
    assert glossary_for(snapshot) is first
    changed = SimpleNamespace(generation=8, files=files, passages={p.id: p for p in passages[:5]})
    assert glossary_for(changed) is not first


def _entry(term: str, definition: str, doc_id: str, section_id: str, clause: str) -> GlossaryEntry:
    return GlossaryEntry(term=term, definition=definition, doc_id=doc_id, title=doc_id, section=None,
                         section_id=section_id, passage_id=f"{doc_id}:0000", clause=clause)


def test_a_pointer_gives_the_definition_it_points_to() -> None:
    """Issue 16: "EIA" in a regulation only pointed to section 2(xv) of the Act."""
    act = _entry("environmental impact assessment", "An environmental study of a project's impacts.", "act", "s.2", "xv")
    pointer = _entry("EIA", "An environmental impact assessment in the sense of section 2(xv) of the Act.", "regs", "reg. 2", "c")
    unknown = _entry("IEE", "An examination in the sense of section 2(xxx) of the Act.", "regs", "reg. 2", "d")
    glossary = Glossary([pointer, act, unknown])
    assert glossary.source_of(pointer) is act and glossary.source_of(act) is act
    assert glossary.source_of(unknown) is unknown  # the Act's clause is not in the glossary: the pointer is all there is
    assert glossary.lookup("EIA") == ([act], True)
    eia = next(t for t in glossary.terms() if t.term == "EIA")
    assert [s.entries for s in eia.senses] == [(act, pointer)]
    assert act.location == "act, s.2(xv)" and act.citation == "act, s.2(xv) [act:0000]"


def test_terms_list_each_term_once_with_every_instrument_that_defines_it(glossary) -> None:
    """Issue 16: the list opened with five near-identical "Act" rows."""
    terms = glossary.terms()
    assert len({t.term.casefold() for t in terms}) == len(terms) < len(glossary)
    act = next(t for t in terms if t.term == "Act")
    assert len(act.senses) == 1 and len(act.senses[0].entries) == len([e for e in glossary if e.term == "Act"]) >= 3
    agency = next(t for t in terms if t.term == "Agency")
    assert len(agency.senses) == 1 and agency.senses[0].stated.doc_id == "sindh-epa-2014-digest"
    assert "sindh-environmental-assessment-regulations-2021-digest" in {e.doc_id for e in agency.senses[0].entries}
    entries, exact = glossary.lookup("Agency")
    assert exact and entries[0].doc_id == "sindh-epa-2014-digest"
    assert not any("section 2(ii) of the Act" in e.definition for e in entries)
