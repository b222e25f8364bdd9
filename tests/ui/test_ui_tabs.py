"""The Triage, Glossary and Study tabs without a browser: their plain functions over the UI index
(an in-process Assistant from conftest), and their wiring into the app."""

from __future__ import annotations

import csv
import io
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest

from assistant.glossary import Glossary, GlossaryEntry
from ui import glossary_tab, study_tab, triage_tab
from ui.glossary_tab import GlossaryTab
from ui.study_tab import StudyTab
from ui.triage_tab import TriageTab

EIA_QUESTION = "Do I need an environmental impact assessment before construction?"
STOCKPILE_QUESTION = "What must each Party do with stockpiles of banned chemicals?"
OUT_OF_SCOPE = "What is the capital of France?"
XSS = "<script>window.__trixss=1</script>"


@pytest.fixture(scope="module")
def tri(ui_bot) -> TriageTab:
    return TriageTab(ui_bot)


@pytest.fixture(scope="module")
def triaged(tri: TriageTab) -> dict:
    """One batch: a covered law question, a convention question, one out of scope, a blank and a script tag."""
    table = tri.load(f"{EIA_QUESTION}\n\n{STOCKPILE_QUESTION}\n{OUT_OF_SCOPE}\n{XSS} what is the fine?\n", None)
    return tri.run_batch(table)


# ---------------------------------------------------------------- triage


def test_pasted_lines_are_the_questions(tri: TriageTab) -> None:
    table = tri.load("  first question?\n\n second question?  \n", None)
    assert [row["question"] for row in table.rows] == ["first question?", "second question?"]


def test_triage_rows_have_topic_provision_confidence_and_needs_human(triaged: dict) -> None:
    rows = triaged["rows"]
    assert len(rows) == 4
    eia = rows[0]
    assert eia["topic"] == "approvals" or "approval" in eia["topic_name"].lower()
    assert eia["governing_provision"].startswith("Sindh EPA 2014 s.1") and eia["confidence"] in ("high", "medium")
    assert eia["needs_human"] is False and "[1]" in eia["suggested_reply"]
    assert rows[2]["confidence"] == "not covered" and rows[2]["needs_human"] is True
    assert "4 questions triaged" in triaged["summary"]


def test_table_rows_filter_by_topic_and_needs_human(triaged: dict) -> None:
    everything = triage_tab.table_rows(triaged)
    assert [row[0] for row in everything] == [1, 2, 3, 4] and len(everything[0]) == len(triage_tab.HEADERS)
    assert everything[0][5] == EIA_QUESTION and len(everything[0][6].split()) <= triage_tab.REPLY_WORDS + 1
    human = triage_tab.table_rows(triaged, triage_tab.ALL_TOPICS, True)
    assert 3 in [row[0] for row in human] and 1 not in [row[0] for row in human]
    topic = triaged["rows"][0]["topic_name"]
    assert {row[1] for row in triage_tab.table_rows(triaged, topic)} == {topic}
    assert triage_tab.table_rows(None) == []


def test_selecting_a_row_shows_its_reply_with_sources_escaped(tri: TriageTab, triaged: dict) -> None:
    html, shown = tri.select(triaged, SimpleNamespace(row_value=[1, "x"]))
    assert "Suggested reply" in html and "Sindh EPA 2014 s.1" in html and "<h4>Sources</h4>" in html and shown == 1
    assert "Sindh Environmental Protection Act, 2014 (unofficial digest), Section 1" in html
    assert "sindh-act-digest:" not in html  # passage ids are the code's, not the reader's (issue 16)
    xss, _ = tri.select(triaged, SimpleNamespace(row_value=[4]))
    assert "<script" not in xss and "&lt;script&gt;" in xss
    assert tri.select(triaged, SimpleNamespace(row_value=[99])) == (triage_tab.HINT, 0)
    assert tri.select(triaged, SimpleNamespace(row_value=None)) == (triage_tab.HINT, 0)


def test_a_filter_that_hides_the_open_row_closes_its_reply(triaged: dict) -> None:
    """Issue 16: the reply panel kept showing a row the filter had hidden."""
    rows, reply, shown = TriageTab.refilter(triaged, triage_tab.ALL_TOPICS, True, 1)  # row 1 needs no person
    assert 1 not in [row[0] for row in rows] and reply == triage_tab.HINT and shown == 0
    rows, reply, shown = TriageTab.refilter(triaged, triage_tab.ALL_TOPICS, True, 3)
    assert 3 in [row[0] for row in rows] and shown == 3 and not isinstance(reply, str)  # left as it is


def test_downloads_are_csv_and_xlsx_named_by_content(tri: TriageTab, triaged: dict) -> None:
    import openpyxl

    csv_path, xlsx_path = (Path(p) for p in tri.write_downloads(triaged))
    assert csv_path.name.startswith("triage-") and csv_path.suffix == ".csv" and xlsx_path.suffix == ".xlsx"
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 4 and rows[0]["question"] == EIA_QUESTION
    assert [row["needs_human"] for row in rows] == ["no", "no", "yes", "yes"]  # the words the table shows (issue 16)
    assert rows[0]["topic"] == triaged["rows"][0]["topic_name"] == "Environmental approvals (IEE / EIA)"
    assert "[1] Sindh Environmental Protection Act" in rows[0]["sources"] and "sindh-act-digest:" not in rows[0]["sources"]
    assert {"topic", "governing_provision", "suggested_reply", "sources", "confidence", "needs_human"} <= set(rows[0])
    sheet = openpyxl.load_workbook(xlsx_path).active
    assert [c.value for c in sheet[1]][:2] == ["question", "topic"] and sheet.max_row == 5


def test_uploaded_csv_and_xlsx_are_read_by_content_and_keep_their_columns(tri: TriageTab, tmp_path: Path) -> None:
    import openpyxl

    evil = tmp_path / "../evil name <b>.csv".replace("../", "")
    evil.write_text(f"ref,Question\nA1,{EIA_QUESTION}\nA2,=HYPERLINK(\"x\")\n", encoding="utf-8")
    result = tri.run_batch(tri.load("ignored when a file is given", str(evil)))
    assert [row["ref"] for row in result["rows"]] == ["A1", "A2"] and result["question_column"] == "Question"
    csv_path, _ = tri.write_downloads(result)
    assert "'=HYPERLINK" in Path(csv_path).read_text(encoding="utf-8-sig")  # a spreadsheet does not run it
    assert "evil" not in csv_path
    book = openpyxl.Workbook()
    book.active.append(["question", "channel"])
    book.active.append([STOCKPILE_QUESTION, "email"])
    book.save(tmp_path / "batch.xlsx")
    table = tri.load("", str(tmp_path / "batch.xlsx"))
    assert table.rows == [{"question": STOCKPILE_QUESTION, "channel": "email"}]


@pytest.mark.parametrize(
    ("text", "file", "message"),
    [
        ("", None, "Nothing to triage"),
        ("q?\n" * 501, None, "triage at most 500"),
        ("", b"ref,text\n1,hello\n", "no 'question' column"),
        ("", b"PK\x03\x04 broken", "not a readable XLSX"),
    ],
)
def test_bad_input_is_a_clear_message(tri: TriageTab, tmp_path: Path, text: str, file: bytes | None, message: str) -> None:
    path = None
    if file is not None:
        path = tmp_path / ("in.xlsx" if file.startswith(b"PK") else "<img src=x onerror=alert(1)>.csv")
        path.write_bytes(file)
    status, result, rows, csv_button, *_ = tri.run(text, str(path) if path else None, triage_tab.ALL_TOPICS, False, progress=None)
    assert message in unescape(status) and "<img" not in status and result is None and rows == [] and csv_button.visible is False


def test_run_handler_reports_progress_and_offers_downloads(tri: TriageTab) -> None:
    seen = []

    class Progress:
        def tqdm(self, items, total, desc, unit):
            seen.append((total, desc))
            return items

    status, result, rows, csv_button, xlsx_button, *_ = tri.run(f"{EIA_QUESTION}\n", None, triage_tab.ALL_TOPICS, False, Progress())
    assert seen == [(1, "Triaging")] and len(rows) == 1 and "1 questions triaged" in status
    assert csv_button.visible and xlsx_button.visible and result["rows"][0]["governing_provision"].startswith("Sindh EPA 2014 s.1")


# ---------------------------------------------------------------- glossary


def test_glossary_lists_every_term_once_with_clickable_citations(ui_bot) -> None:
    html = GlossaryTab(ui_bot.index).full_list()
    assert "10 defined" in html and "transboundary movement" in html  # 12 entries: "Act" and "Agency" are defined twice
    assert (
        '<a class="cp-cite" href="#cp-gloss-document" data-passage="basel-convention-digest:0000" data-turn="-1" data-view="glossary">'
        "Basel Convention on Hazardous Wastes (unofficial digest), Art. 2</a>"
    ) in html
    assert ">basel-convention-digest:0000<" not in html and "[basel-convention-digest" not in html
    act = html[html.index("<tr><td>Act</td>"):]
    act = act[: act.index("</tr>")]
    assert act.count('class="cp-cite"') == 2 and "reg. 2(a)" in act and "rule 2(a)" in act


def test_glossary_gives_the_definition_a_pointer_refers_to(ui_bot) -> None:
    """Issue 16: "EIA" only pointed to section 2(xv) of the Act."""
    html = GlossaryTab(ui_bot.index).search("EIA")
    assert "Defined term" in html and "An environmental study comprising collection of data" in html
    assert "in the sense of section 2(xv)" not in html and "s.2(xv)" in html


def test_glossary_search_is_fuzzy_and_says_when_nothing_matches(ui_bot) -> None:
    tab = GlossaryTab(ui_bot.index)
    exact = tab.search("Transboundary movement")
    assert "Defined term" in exact and "A shipment of hazardous wastes" in exact and "Art. 2" in exact
    close = tab.search("transboundry")
    assert "Closest terms" in close and "transboundary movement" in close
    assert "No defined term matches" in tab.search("zzqx") and tab.search("  ") == ""


def test_glossary_text_is_escaped() -> None:
    entry = GlossaryEntry(term=XSS, definition='<img src=x onerror="alert(1)"> thing', doc_id="d", title="<b>T</b>", section=None, section_id="s.2", passage_id="d:0")
    glossary = Glossary([entry])
    for html in (glossary_tab.list_html(glossary), glossary_tab.search_html(glossary, XSS)):
        assert "<script" not in html and "<img" not in html and "<b>" not in html and "&lt;script&gt;" in html
    assert "define no terms" in glossary_tab.list_html(Glossary())


# ---------------------------------------------------------------- study


def test_study_topic_shows_a_cited_answer_with_source_cards(ui_bot) -> None:
    html, record, _ = StudyTab(ui_bot).explain("Stockholm Convention")
    passage = record["citations"][0]["passage_id"]
    assert "What is the goal of the Stockholm Convention?" in html
    assert f'<a class="cp-ref" href="#cp-study-document" data-passage="{passage}" data-turn="-1" data-view="study"' in html
    assert 'class="cp-card"' in html and 'data-view="study"' in html and 'data-view="ask"' not in html  # opens in this tab
    iee, _, _ = StudyTab(ui_bot).explain("IEE vs EIA")
    assert "Section 17" in iee and "Not covered" not in iee


def test_study_topic_outside_the_documents_says_so(ui_bot) -> None:
    html, _, _ = StudyTab(ui_bot).explain("Eco-efficiency")
    assert "Not covered by these documents." in html and "Related passages" in html
    assert StudyTab(ui_bot).explain(None) == (study_tab.TOPIC_HINT, None, study_tab.DOCUMENT_HINT)


def test_topic_html_escapes_corpus_text() -> None:
    record = {"question": XSS, "answer": f"{XSS} [1]", "abstained": False, "citations": [
        {"n": 1, "passage_id": "p:1", "title": "<b>t</b>", "doc_type": "report", "section": XSS, "page": None, "text": XSS, "supporting": []}]}
    html = study_tab.topic_html(record, [{"passage_id": "p:2", "title": XSS, "doc_type": "report", "text": XSS}])
    assert "<script" not in html and "<b>" not in html and html.count("&lt;script&gt;") >= 4


def test_quiz_same_seed_same_questions_each_citing_its_passage(ui_bot) -> None:
    tab = StudyTab(ui_bot)
    first, again = tab.questions(5, 7), tab.questions(5, 7)
    assert [q["prompt"] for q in first] == [q["prompt"] for q in again] and len(first) == 5
    assert {q["kind"] for q in first} >= {"definition", "limit"}
    assert all(q["citation"].endswith("]") and q["evidence"] for q in first)


def test_quiz_scoring_reveal_and_advance(ui_bot) -> None:
    tab = StudyTab(ui_bot)
    state, score, question, radio, _check, next_button, reveal = tab.start(3, " 11 ")
    assert study_tab.parse_seed("") is None and study_tab.parse_seed("x") is None and study_tab.parse_seed(5) == 5
    assert len(state["questions"]) == 3 and "Question 1 of 3" in question and radio.visible and not next_button.visible
    assert [value for _, value in radio.choices] == ["a", "b", "c", "d"]
    q = state["questions"][0]
    state, score, reveal, radio, check_button, next_button = tab.check(state, q["answer"])
    assert "Correct" in reveal and "Score: 1/1" in score and next_button.visible
    assert escape_text(q["citation"].removesuffix(f" [{q['passage_id']}]")) in reveal and q["passage_id"] not in reveal
    assert radio.interactive is False and check_button.visible is False  # the answer cannot be re-checked (issue 16)
    state, score, *_ = tab.check(state, q["answer"])  # nor counted twice
    assert "Score: 1/1" in score
    state, _, _, radio, check_button, _ = tab.next(state)[:6]
    assert radio.interactive is True and check_button.visible is True
    wrong = next(letter for letter in "abcd" if letter != state["questions"][1]["answer"])
    state, score, reveal, *_ = tab.check(state, wrong)
    assert "Not quite: the answer is" in reveal and "Score: 1/2** (50%)" in score and "cp-quiz-evidence" in reveal
    assert "Choose an answer first" in tab.check(state, None)[2]
    state, *_ = tab.next(state)
    state, *_ = tab.next(state)
    assert "Quiz finished" in study_tab.question_html(state) and study_tab.choices(state) == []


def escape_text(text: str) -> str:
    from html import escape

    return escape(text)


# ---------------------------------------------------------------- wiring


def test_app_has_the_three_tabs(tmp_path: Path) -> None:
    from assistant.feedback import FeedbackStore
    from assistant.settings import Settings
    from ui.app import App

    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index")
    bot = SimpleNamespace(settings=settings, index=SimpleNamespace(snapshot=lambda: None))
    config = App(bot, FeedbackStore(tmp_path / "data")).blocks().get_config_file()
    labels = [c["props"].get("label") for c in config["components"] if c["type"] == "tabitem"]
    assert {"Ask a question", "Check my effluent", "Triage", "Glossary", "Study", "Quiz me"} <= set(labels)
    assert GlossaryTab(bot.index).full_list().count("define no terms") == 1
    assert isinstance(gr.Dataframe, type)
