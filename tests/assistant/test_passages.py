"""The structure-aware splitter: passages follow headings, respect sizes and slice Document.text exactly."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.documents import Block, DocMeta, Document
from assistant.loaders import load_document
from assistant.passages import WINDOW_WORDS, Passage, Splitter, section_id, word_count


def _document(blocks: list[Block], doc_id: str = "doc", title: str = "A title") -> Document:
    return Document(doc_id=doc_id, source=f"{doc_id}.md", meta=DocMeta(title, "report"), blocks=blocks, sha256="0" * 64)


def _sentences(topic: str, count: int, start: int = 0) -> str:
    return " ".join(
        f"Sentence {i} says how the {topic} rule applies to industrial unit number {i}." for i in range(start, start + count)
    )


def _assert_exact_slices(document: Document, passages: list[Passage]) -> None:
    for passage in passages:
        assert 0 <= passage.char_start < passage.char_end <= len(document.text)
        assert passage.text == document.text[passage.char_start:passage.char_end]


# ---------------------------------------------------------------------------------------------
# Section ids


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Section 17 — Initial environmental examination", "s.17"),
        ("Section 4A — Definitions", "s.4A"),
        ("Article 6 — Transboundary movement", "Art. 6"),
        ("Article 4A — Ban Amendment", "Art. 4A"),
        ("Annex III — List of hazardous characteristics", "Annex III"),
        ("Part II — The Council", "Part II"),
        ("SECTION 2: Legal framework", "Section 2"),
        ("2.3.5 The Basel convention and CP", "2.3.5"),
        ("Row 4: Chemical oxygen demand (COD)", "row 4"),
        ("Introduction", None),
        ("", None),
        (None, None),
    ],
)
def test_section_id(label: str | None, expected: str | None) -> None:
    assert section_id(label) == expected


# ---------------------------------------------------------------------------------------------
# Structure


def test_markdown_sections_become_passages_with_labels_ids_and_heading_paths(tmp_path: Path, build) -> None:
    document = load_document(build.markdown(tmp_path / "sepa-digest.md"))
    passages = Splitter(min_words=1).run(document)
    assert [(p.section, p.section_id) for p in passages] == [
        ("Section 1 — Short title and commencement", "s.1"),
        ("Section 2 — Definitions", "s.2"),
        ("Section 5 — Establishment of the Agency", "s.5"),
        ("Section 6 — Functions of the Agency", "s.6"),
    ]
    assert passages[2].heading_path == [
        "Sindh Environmental Protection Act",
        "Part III — The Sindh Environmental Protection Agency",
        "Section 5 — Establishment of the Agency",
    ]
    assert passages[2].text.startswith("The Government shall establish the Sindh Environmental Protection Agency")
    assert passages[2].context_line == (
        "Sindh Environmental Protection Act, 2014 > Sindh Environmental Protection Act > "
        "Part III — The Sindh Environmental Protection Agency > Section 5 — Establishment of the Agency"
    )
    first = passages[0]
    assert (first.doc_id, first.source, first.title, first.doc_type, first.jurisdiction, first.unofficial) == (
        "sepa-digest",
        "sepa-digest.md",
        "Sindh Environmental Protection Act, 2014",
        "law-digest",
        "Sindh, Pakistan",
        True,
    )
    assert first.display_title == "Sindh Environmental Protection Act, 2014 (unofficial digest)"
    assert all(p.page is None for p in passages)
    _assert_exact_slices(document, passages)


def test_articles_get_article_ids(tmp_path: Path, build) -> None:
    text = (
        "---\ntitle: Basel Convention\ndoc_type: mea-digest\n---\n\n"
        f"## Article 6 — Transboundary movement between Parties\n\n{_sentences('notification', 12)}\n\n"
        f"## Article 9 — Illegal traffic\n\n{_sentences('illegal traffic', 12)}\n"
    )
    passages = Splitter(min_words=10).run(load_document(build.markdown(tmp_path / "basel.md", text)))
    assert [(p.section_id, p.heading_path) for p in passages] == [
        ("Art. 6", ["Article 6 — Transboundary movement between Parties"]),
        ("Art. 9", ["Article 9 — Illegal traffic"]),
    ]


def test_tiny_sections_merge_with_the_following_sibling_only(tmp_path: Path, build) -> None:
    document = load_document(build.markdown(tmp_path / "sepa-digest.md"))
    passages = Splitter().run(document)  # shipped sizes: every section here is under min_words
    assert [p.section for p in passages] == [
        "Section 1 — Short title and commencement; Section 2 — Definitions",
        "Section 5 — Establishment of the Agency; Section 6 — Functions of the Agency",
    ]
    # Part I and Part III are not merged across their boundary
    assert [p.section_id for p in passages] == ["s.1", "s.5"]
    assert "Section 2 — Definitions" in passages[0].text  # the merged sibling's heading stays in the text
    assert "Part III" not in passages[0].text
    _assert_exact_slices(document, passages)


def test_merging_stops_at_max_words() -> None:
    blocks = [
        Block("heading", "Part I", level=1),
        Block("heading", "Section 1 — Short", level=2),
        Block("text", _sentences("short", 2)),
        Block("heading", "Section 2 — Long", level=2),
        Block("text", _sentences("long", 8)),
    ]
    document = _document(blocks)
    merged = Splitter(min_words=30, max_words=200, overlap_words=0).run(document)
    assert [p.section_id for p in merged] == ["s.1"] and len(merged) == 1
    separate = Splitter(min_words=30, max_words=120, overlap_words=0).run(document)
    assert [p.section_id for p in separate] == ["s.1", "s.2"]


def test_table_records_are_never_merged(tmp_path: Path, build) -> None:
    document = load_document(build.csv(tmp_path / "limits.csv"))
    passages = Splitter().run(document)
    assert [(p.section, p.section_id, p.heading_path) for p in passages] == [
        ("Row 2: Chemical oxygen demand (COD)", "row 2", ["Row 2: Chemical oxygen demand (COD)"]),
        ("Row 3: Total suspended solids (TSS)", "row 3", ["Row 3: Total suspended solids (TSS)"]),
        ("Row 4: pH", "row 4", ["Row 4: pH"]),
    ]
    assert passages[0].text == "parameter: Chemical oxygen demand (COD); unit: mg/L; into inland waters: 150; into sea: 400."


def test_docx_passages_follow_heading_styles(tmp_path: Path, build) -> None:
    document = load_document(build.docx(tmp_path / "handbook.docx"))
    passages = Splitter().run(document)
    audit = next(p for p in passages if "Walk-through" in p.text)
    assert audit.heading_path == ["1 Programme overview", "1.1 Audit steps"]
    assert audit.section_id == "1.1"
    assert audit.text.startswith("1. Walk-through audit of the dye house\n\n2. Baseline measurement")
    _assert_exact_slices(document, passages)


# ---------------------------------------------------------------------------------------------
# Sizes


def test_long_section_is_split_at_sentence_boundaries_within_max_words() -> None:
    body = _sentences("effluent", 90)  # about 1,100 words
    document = _document([Block("heading", "Section 6 — Functions", level=2), Block("text", body)])
    splitter = Splitter(min_words=50, max_words=150, overlap_words=20)
    passages = splitter.run(document)
    assert len(passages) >= 7
    for passage in passages:
        assert word_count(passage.text) <= 150
        assert passage.text.startswith("Sentence ") and passage.text.endswith("."), passage.text[-40:]
        assert passage.section_id == "s.6"
    _assert_exact_slices(document, passages)
    # consecutive pieces overlap a little and together cover the whole section
    for before, after in itertools.pairwise(passages):
        assert before.char_start < after.char_start <= before.char_end
    assert passages[0].char_start == 0 + len("Section 6 — Functions") + 2
    assert passages[-1].char_end == len(document.text)
    assert [p.ordinal for p in passages] == list(range(len(passages)))


def test_split_pdf_sections_keep_their_pages(tmp_path: Path, build) -> None:
    # lines must differ in more than digits, or the loader takes them for a running header
    stages = ["screening", "grit removal", "equalisation", "neutralisation", "coagulation", "flocculation",
              "clarification", "aeration", "settling", "filtration", "disinfection"]
    lines = [f"The {stage} stage of the treatment plant is described on this line of text." for stage in stages]
    pages = [["2.3 Effluent treatment", *lines[0:2]], lines[2:4], lines[4:11], ["3.1 Energy efficiency", "Boilers were retrofitted."]]
    document = load_document(build.pdf(tmp_path / "long.pdf", pages))
    passages = Splitter(min_words=1, max_words=100, overlap_words=10).run(document)
    # 132 words under 2.3: pages 1 and 2 fit in one piece, page 3 is the next
    assert [(p.section_id, p.page, p.page_end) for p in passages] == [("2.3", 1, 2), ("2.3", 3, 3), ("3.1", 4, 4)]
    assert passages[0].text.startswith("The screening stage") and passages[0].text.endswith("The neutralisation stage of the treatment plant is described on this line of text.")
    _assert_exact_slices(document, passages)


def test_pdf_passages_carry_pages(tmp_path: Path, build) -> None:
    document = load_document(build.pdf(tmp_path / "acme.pdf"))
    separate = Splitter(min_words=1).run(document)
    assert [(p.section_id, p.page, p.page_end) for p in separate] == [("1.1", 1, 1), ("2.3", 2, 2), ("3.1", 3, 3), ("4.2", 4, 4)]
    merged = Splitter().run(document)  # all four sections are small siblings: one passage
    assert [(p.section_id, p.page, p.page_end) for p in merged] == [("1.1", 1, 4)]
    _assert_exact_slices(document, separate + merged)


def test_windows_cover_a_passage_with_its_context_line() -> None:
    document = _document([Block("heading", "Section 9 — Long", level=1), Block("text", _sentences("window", 30))])
    passage = Splitter(max_words=400).run(document)[0]
    windows = passage.windows()
    assert len(windows) >= 3
    for window in windows:
        context, body = window.split("\n", 1)
        assert context == "A title > Section 9 — Long"
        assert word_count(body) <= WINDOW_WORDS
        assert body in passage.text
    assert windows[0].split("\n", 1)[1].startswith("Sentence 0 ")
    assert windows[-1].endswith("industrial unit number 29.")


# ---------------------------------------------------------------------------------------------
# Stability and exactness


def test_ids_and_hashes_are_stable_across_runs(tmp_path: Path, build) -> None:
    paths = [build.markdown(tmp_path / "sepa.md"), build.pdf(tmp_path / "acme.pdf"), build.docx(tmp_path / "cp.docx")]
    first = [Splitter(min_words=10).run(load_document(path)) for path in paths]
    second = [Splitter(min_words=10).run(load_document(path)) for path in paths]
    assert first == second
    for passages in first:
        doc_id = passages[0].doc_id
        assert [p.id for p in passages] == [f"{doc_id}:{n:04d}" for n in range(len(passages))]
        assert all(re.fullmatch(r"[0-9a-f]{16}", p.content_hash) for p in passages)


def test_passage_dict_round_trip(tmp_path: Path, build) -> None:
    passage = Splitter().run(load_document(build.pdf(tmp_path / "acme.pdf")))[0]
    assert Passage.from_dict(passage.to_dict()) == passage


def test_every_format_gives_exact_slices(tmp_path: Path, build) -> None:
    paths = [
        build.markdown(tmp_path / "a.md"),
        build.pdf(tmp_path / "b.pdf"),
        build.docx(tmp_path / "c.docx"),
        build.html(tmp_path / "d.html"),
        build.csv(tmp_path / "e.csv"),
    ]
    for path in paths:
        document = load_document(path)
        for splitter in (Splitter(), Splitter(min_words=1, max_words=12, overlap_words=3)):
            passages = splitter.run(document)
            assert passages
            _assert_exact_slices(document, passages)


_words = st.sampled_from(["water", "Agency", "shall", "effluent", "COD", "150", "mg/L", "permit", "x"])
_punctuation = st.sampled_from([" ", " ", " ", ". ", ", ", "; ", "? ", "\n"])
# a small vocabulary, so units often repeat themselves (chunk offsets must still be the real ones)
_paragraph = st.lists(st.tuples(_words, _punctuation), min_size=1, max_size=100).map(
    lambda pairs: "".join(f"{word}{sep}" for word, sep in pairs).strip()
).filter(str.strip)
_block = st.one_of(
    st.builds(lambda text, level: Block("heading", text[:30].strip(), level=level), _paragraph, st.integers(1, 4)),
    st.builds(lambda text: Block("text", text), _paragraph),
    st.builds(lambda text, n: Block("record", text, label=f"Row {n}: item"), _paragraph, st.integers(2, 9)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    blocks=st.lists(_block, min_size=1, max_size=10),
    min_words=st.integers(1, 40),
    max_words=st.integers(15, 80),
    overlap=st.integers(0, 7),
)
def test_splitter_invariants(blocks: list[Block], min_words: int, max_words: int, overlap: int) -> None:
    """Exact slices, no passage over max_words, no text lost, same result twice."""
    document = _document(blocks)
    splitter = Splitter(min_words, max_words, overlap)
    passages = splitter.run(document)
    _assert_exact_slices(document, passages)
    for passage in passages:
        assert passage.text == passage.text.strip()
        assert word_count(passage.text) <= max_words
    for block, offset in zip(document.blocks, document.offsets):
        if block.kind == "heading":
            continue
        covered = [False] * len(block.text)
        for passage in passages:
            for i in range(max(passage.char_start, offset), min(passage.char_end, offset + len(block.text))):
                covered[i - offset] = True
        lost = [i for i, seen in enumerate(covered) if not seen and not block.text[i].isspace()]
        assert not lost, (block.text, lost[:5])
    assert splitter.run(document) == passages


def test_repeated_text_keeps_its_real_offsets() -> None:
    body = "Reserved. " * 29 + "Reserved."
    document = _document([Block("heading", "Schedule II", level=1), Block("text", body)])
    passages = Splitter(min_words=5, max_words=20, overlap_words=0).run(document)
    assert len(passages) == 2
    assert passages[0].char_end <= passages[1].char_start
    assert passages[-1].char_end == len(document.text)


def test_display_title_says_unofficial_once(tmp_path: Path, build) -> None:
    text = (
        "---\ntitle: Basel Convention — article-by-article digest (unofficial)\ndoc_type: mea-digest\n---\n\n"
        "## Article 1 — Scope\n\nThe Convention applies to hazardous wastes.\n"
    )
    passage = Splitter().run(load_document(build.markdown(tmp_path / "basel-convention-digest.md", text)))[0]
    assert passage.unofficial
    assert passage.display_title.lower().count("unofficial") == 1, passage.display_title


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Regulation 13 — Decision", "reg. 13"),
        ("Rule 5 — Category \"A\" industrial units", "rule 5"),
        ("Schedule II — List of projects requiring an IEE (regulation 4)", "Sch. II"),
    ],
)
def test_regulation_rule_and_schedule_headings_get_section_ids(label, expected):
    assert section_id(label) == expected


def test_a_repealed_document_is_labelled_wherever_its_passages_are_cited():
    meta = DocMeta(title="Sindh IEE and EIA Review Regulations, 2014", doc_type="law-digest", unofficial=True, status="repealed", since=2021)
    document = Document("old-regs", "old-regs.md", meta, [Block("heading", "Regulation 3 — IEE", level=3), Block("text", "An IEE is needed. " * 20)], "0" * 64)
    passage = Splitter().run(document)[0]
    assert passage.section_id == "reg. 3"
    assert passage.display_title == "Sindh IEE and EIA Review Regulations, 2014 (unofficial digest; repealed 2021)"
    assert "repealed 2021" in passage.location
