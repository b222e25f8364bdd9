"""End to end: the real `cpassist serve` over a real index, driven by gradio_client and Chromium."""

from __future__ import annotations

import csv
import json
import sqlite3
import time
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner

import assistant  # noqa: F401  (offline environment before gradio_client is imported)

pytestmark = pytest.mark.slow

STORAGE_QUESTION = "How should drums of dye chemicals be stored?"
STOCKPILE_QUESTION = "What must each Party do with stockpiles of banned chemicals?"
OUT_OF_SCOPE = "What is the capital of France?"


def test_api_ask_returns_cited_answer(served) -> None:
    from gradio_client import Client

    client = Client(served.url, verbose=False)
    assert "/ask" in client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    result = client.predict(question=STORAGE_QUESTION, api_name="/ask")
    assert result["question"] == STORAGE_QUESTION
    assert result["abstained"] is False
    assert result["citations"], result
    for citation in result["citations"]:
        assert f"[{citation['n']}]" in result["answer"]
        assert {"doc_id", "title", "doc_type", "section", "page", "text", "passage_id", "supporting"} <= set(citation)

    filtered = client.predict(question=STOCKPILE_QUESTION, history=[], doc_types=["mea-digest"], api_name="/ask")
    assert filtered["citations"] and {c["doc_type"] for c in filtered["citations"]} == {"mea-digest"}
    one_document = client.predict(question=STORAGE_QUESTION, doc_ids=["sindh-act-digest"], api_name="/ask")
    assert {c["doc_id"] for c in one_document["citations"] + one_document.get("related", [])} == {"sindh-act-digest"}


# ---------------------------------------------------------------------------------------------
# Browser helpers


def open_page(browser, served, width: int = 1280, height: int = 800):
    """A fresh page on the app, with every requested URL recorded in page.requests."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(served.url, wait_until="domcontentloaded")
    page.wait_for_selector("#cp-question textarea", timeout=30_000)
    page.wait_for_selector("#cp-sources .cp-panel", timeout=30_000)
    return page


def bot_messages(page):
    return page.locator("#cp-chat [data-testid='bot']")


def ask(page, question: str) -> float:
    """Type the question, press Enter, wait for the new answer; returns the seconds it took."""
    before = bot_messages(page).count()
    page.fill("#cp-question textarea", question)
    start = time.perf_counter()
    page.press("#cp-question textarea", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll(\"#cp-chat [data-testid='bot']\").length > n", arg=before, timeout=30_000
    )
    elapsed = time.perf_counter() - start
    page.wait_for_selector("#cp-sources .cp-sources", timeout=10_000)
    return elapsed


def card_types(page) -> list[str]:
    return [meta.split(" · ")[0] for meta in page.locator("#cp-sources .cp-card .cp-meta").all_inner_texts()]


def off_host(page, served) -> list[str]:
    return [
        url for url in page.requests
        if urlparse(url).scheme not in ("data", "blob") and urlparse(url).netloc != f"127.0.0.1:{served.port}"
    ]


def no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) <= window.innerWidth"
    )


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] < height and box["y"] + box["height"] > 0


# ---------------------------------------------------------------------------------------------
# Browser tests


def test_first_screen_offers_examples_and_says_what_is_covered(browser, served) -> None:
    page = open_page(browser, served)
    for group in ("Industry staff", "SEPA helpdesk", "Trainees"):
        assert page.get_by_text(group, exact=True).is_visible()
    about = page.locator("#cp-sources .cp-about")  # the sources panel shows what the documents cover until there are sources
    assert about.is_visible() and "unofficial plain-language digests" in about.inner_text()
    for title in ("Sindh Environmental Protection Act, 2014", "Stockholm Convention", "Dye Store Safety Notice"):
        assert title in about.inner_text()
    assert page.locator("#cp-filter-line").inner_text().strip() == "Searching all documents."
    page.get_by_role("button", name="What does the Stockholm Convention require for stockpiles?").click()
    page.wait_for_function("() => document.querySelectorAll(\"#cp-chat [data-testid='bot']\").length === 1")
    assert "Stockholm Convention" in page.locator("#cp-sources").inner_text()
    assert not page.get_by_text("Trainees", exact=True).is_visible()  # the examples make room for the chat
    assert off_host(page, served) == []
    page.close()


def test_answer_sources_document_view_and_timing(browser, served, shots, capsys) -> None:
    page = open_page(browser, served)
    ask(page, STOCKPILE_QUESTION)  # warm-up: the timing below is a warm answer
    seconds = ask(page, STORAGE_QUESTION)
    with capsys.disabled():
        print(f"\nUI answer time (Enter pressed to answer shown, warm): {seconds * 1000:.0f} ms")

    answer = bot_messages(page).last
    markers = answer.locator("a.cp-ref:not(.cp-src)")
    assert markers.count() >= 1
    assert markers.first.inner_text() == "[1]"
    cards = page.locator("#cp-sources .cp-card")
    assert cards.count() >= 1
    assert "Dye Store Safety Notice" in cards.first.inner_text()
    assert page.locator("#cp-sources .cp-card mark").count() >= 1
    assert "answer 2" in page.locator("#cp-sources h3").inner_text()
    shots(page, "desktop-answer", top=True)

    markers.first.click()
    document = page.locator("#cp-doc")
    document.wait_for(timeout=10_000)
    assert "Dye Store Safety Notice" in document.locator(".cp-trail").inner_text()
    assert document.locator(".cp-focus mark").count() >= 1
    assert document.locator(".cp-doc-passage").count() >= 2  # the passage and its neighbour
    shots(page, "desktop-document")

    page.get_by_role("tab", name="Sources").click()
    last_card = page.locator("#cp-sources .cp-card").last
    card_text = last_card.locator(".cp-text").inner_text()
    last_card.click()
    page.locator("#cp-doc .cp-focus").wait_for(state="visible", timeout=10_000)
    assert card_text.strip("…") in page.locator("#cp-doc .cp-focus .cp-doc-text").inner_text()

    page.locator("#cp-export").get_by_text("Copy or save this answer").click()
    exported = page.locator("#cp-export-text textarea").input_value()
    assert exported.startswith(f"## Question\n\n{STORAGE_QUESTION}") and "## Sources" in exported and "[1] **" in exported

    assert no_horizontal_overflow(page)
    assert off_host(page, served) == [], "the page must request nothing from another host"
    page.close()


def test_script_in_a_passage_is_shown_as_text(browser, served) -> None:
    page = open_page(browser, served)
    ask(page, STORAGE_QUESTION)
    cards_text = page.locator("#cp-sources").inner_text()
    assert "<script>window.__xss=1</script>" in cards_text
    assert "<script>window.__xss=1</script>" in bot_messages(page).last.inner_text()
    assert "Ignore previous instructions" in cards_text
    page.locator("#cp-sources .cp-card", has_text="window.__xss").click()
    page.wait_for_selector("#cp-doc .cp-focus")
    assert "<script>window.__xss=1</script>" in page.locator("#cp-doc .cp-focus").inner_text()
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.locator("#cp-sources script, #cp-document script, #cp-chat script").count() == 0
    page.close()


def test_feedback_is_stored_and_exported(browser, served, tmp_path) -> None:
    page = open_page(browser, served)
    ask(page, STORAGE_QUESTION)
    page.locator("#cp-chat button[aria-label='Like']").last.click()
    page.wait_for_function("() => document.querySelector('#cp-feedback-status')?.innerText.includes('Saved')")
    page.fill("#cp-comment textarea", "Clear and well sourced.")
    page.click("#cp-send-comment")
    page.wait_for_function("() => document.querySelector('#cp-feedback-status')?.innerText.includes('comment')")
    page.close()

    database = served.settings.data_dir / "feedback.sqlite3"
    with sqlite3.connect(database) as db:
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute("SELECT * FROM feedback WHERE comment = 'Clear and well sourced.'")]
    assert len(rows) == 1
    row = rows[0]
    assert row["rating"] == "up" and row["question"] == STORAGE_QUESTION and "[1]" in row["answer"]
    assert json.loads(row["citations"])[0]["doc_id"] == "dye-store-notice"

    from assistant.cli import main

    out = tmp_path / "feedback.csv"
    result = CliRunner().invoke(main, ["feedback", "export", "-o", str(out)], env={"CPASSIST_DATA_DIR": str(served.settings.data_dir)})
    assert result.exit_code == 0, result.output
    exported = list(csv.DictReader(out.open(encoding="utf-8")))
    assert any(r["comment"] == "Clear and well sourced." and r["rating"] == "up" for r in exported)


def test_filter_restricts_sources_and_is_shown(browser, served) -> None:
    page = open_page(browser, served)
    ask(page, STOCKPILE_QUESTION)
    assert set(card_types(page)) > {"Convention digest"}  # unfiltered, another document is cited too

    page.locator("#cp-filters").get_by_text("Filter documents").click()
    page.get_by_label("Convention digests").check()
    page.wait_for_function("() => document.querySelector('#cp-filter-line').innerText.includes('Searching only')")
    assert "Convention digests" in page.locator("#cp-filter-line").inner_text()
    ask(page, STOCKPILE_QUESTION)
    assert card_types(page) and set(card_types(page)) == {"Convention digest"}
    assert "Searched only: Convention digests" in bot_messages(page).last.inner_text()

    page.click("#cp-clear-filters")
    page.wait_for_function("() => document.querySelector('#cp-filter-line').innerText.includes('all documents')")
    page.close()


def test_abstention_shows_what_may_be_related(browser, served) -> None:
    page = open_page(browser, served)
    ask(page, OUT_OF_SCOPE)
    assert "Not covered by these documents" in bot_messages(page).last.inner_text()
    assert "May be related" in page.locator("#cp-sources h3").inner_text()
    assert page.locator("#cp-sources .cp-card").count() >= 1
    assert page.locator("#cp-sources .cp-card mark").count() == 0
    page.close()


def test_follow_up_keeps_the_conversation(browser, served) -> None:
    page = open_page(browser, served)
    ask(page, STORAGE_QUESTION)
    ask(page, "and what must workers wear when opening them?")
    assert bot_messages(page).count() == 2
    assert "answer 2" in page.locator("#cp-sources h3").inner_text()
    assert "gloves" in page.locator("#cp-sources").inner_text()
    bot_messages(page).first.click(position={"x": 5, "y": 5})
    page.wait_for_function("() => document.querySelector('#cp-sources h3').innerText.includes('answer 1')")
    page.close()


def test_a_short_new_question_after_the_cod_example_gets_its_own_answer(browser, served) -> None:
    """Issue 16: 'What is eco-efficiency?' after the COD example came back with the COD answer."""
    page = open_page(browser, served)
    ask(page, "Is COD 180 mg/L OK for discharge into inland waters?")
    first = bot_messages(page).nth(0).inner_text()
    assert "COD" in first
    ask(page, "What is eco-efficiency?")
    assert bot_messages(page).count() == 2
    second = bot_messages(page).nth(1).inner_text()
    assert second != first and "mg/L" not in second
    header = page.locator("#cp-sources h3").inner_text()
    assert "2" in header and "What is eco-efficiency?" in header, "the sources panel belongs to the new question"
    assert "Chemical oxygen demand" not in page.locator("#cp-sources").inner_text()
    page.close()


CONTRAST = """(selector) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const v = rgb(c).map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const el = document.querySelector(selector);
  let bg = el; while (bg && getComputedStyle(bg).backgroundColor.match(/rgba\\(0, 0, 0, 0\\)|transparent/)) bg = bg.parentElement;
  const a = lum(getComputedStyle(el).color), b = lum(bg ? getComputedStyle(bg).backgroundColor : "rgb(255,255,255)");
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_subdued_text_meets_aa_contrast(browser, served) -> None:
    """Issue 16: the subtitle and other grey text measured 1.91:1."""
    page = open_page(browser, served)
    assert page.evaluate(CONTRAST, "#cp-header p") >= 4.5  # 1.91 before
    page.close()


def test_phone_width_is_usable(browser, served, shots) -> None:
    page = open_page(browser, served, width=390, height=844)
    assert no_horizontal_overflow(page)
    ask(page, STORAGE_QUESTION)
    question = page.locator("#cp-question textarea")
    assert question.is_visible() and in_viewport(page, question)
    assert in_viewport(page, bot_messages(page).last)
    assert no_horizontal_overflow(page)
    shots(page, "phone-answer")
    page.locator("#cp-sources .cp-card").first.click()
    page.wait_for_selector("#cp-doc .cp-focus")
    assert no_horizontal_overflow(page)
    shots(page, "phone-document")
    page.close()


def test_login_required_when_auth_is_set(served, ui_embedder) -> None:
    import socket

    import httpx
    from gradio_client import Client

    from assistant.index import Index
    from assistant.pipeline import Assistant
    from ui.app import launch

    settings = served.settings.model_copy(update={"auth": "ann:s3cret"})
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    demo = launch(settings, "127.0.0.1", port, Assistant(settings, index=Index(settings, embedder=ui_embedder)), block=False)
    url = f"http://127.0.0.1:{port}/"
    try:
        assert httpx.get(f"{url}config").status_code == 401
        assert "Dye Store Safety Notice" not in httpx.get(url).text  # the page carries no app config before login
        with pytest.raises(Exception):
            Client(url, verbose=False)
        result = Client(url, auth=("ann", "s3cret"), verbose=False).predict(question=STORAGE_QUESTION, api_name="/ask")
        assert result["citations"]
    finally:
        demo.close()


# ---------------------------------------------------------------------------------------------
# Check my effluent

SEA = "The sea (creek, coast)"
INLAND = "Inland waters (nallah, river, canal)"


def test_api_check_effluent(served) -> None:
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    from ui.effluent_view import EXAMPLE_REPORT

    client = Client(served.url, verbose=False)
    assert "/check_effluent" in client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    result = client.predict(lab_csv=EXAMPLE_REPORT, receiving="sea", api_name="/check_effluent")
    assert result["receiving"] == "sea" and result["problems"] == []
    assert result["summary"] == {"parameters": 12, "within": 4, "exceeds": 3, "no_limit": 2, "unknown": 1, "bad_or_mismatch": 2}
    cod = result["rows"][1]
    assert (cod["input"]["value"], cod["value"], cod["status"], cod["limit"]) == ("1,200", 1200.0, "exceeds", "≤ 400 mg/L")
    assert cod["citation"]["row"] == 5 and cod["citation"]["doc_id"] == "seqs-effluent-limits"
    with pytest.raises(AppError, match="Nothing to check"):
        client.predict(lab_csv="  ", receiving="sea", api_name="/check_effluent")


def open_effluent_tab(browser, served, width: int = 1280, height: int = 800):
    page = open_page(browser, served, width, height)
    page.get_by_role("tab", name="Check my effluent").click()
    page.wait_for_selector("#cp-eff-text textarea", timeout=10_000)
    return page


def press_check(page, receiving: str) -> None:
    """Choose the receiving body, press Check, wait for the table."""
    page.get_by_label(receiving).check()
    page.click("#cp-eff-check")
    page.wait_for_selector("#cp-eff-result .cp-eff-report", timeout=15_000)


def check_example(page) -> None:
    page.click("#cp-eff-example")
    page.wait_for_function("() => document.querySelector('#cp-eff-text textarea').value.includes('Mercury')")
    press_check(page, SEA)


def test_effluent_example_is_checked_coloured_and_downloadable(browser, served, shots) -> None:
    page = open_effluent_tab(browser, served, height=1000)
    check_example(page)
    result = page.locator("#cp-eff-result")
    summary = result.locator(".cp-eff-summary")
    assert "Discharge into the sea: 12 parameters: 4 within, 3 exceeding" in summary.inner_text()
    # Both boxes are read in one frame: the page may scroll to the new result between two reads.
    summary_top, table_top = result.evaluate(
        "e => [e.querySelector('.cp-eff-summary'), e.querySelector('table')].map(x => x.getBoundingClientRect().top)"
    )
    assert summary_top < table_top
    rows = result.locator("tr.cp-eff-row")
    assert rows.count() == 12
    exceeds = result.locator("tr.cp-eff-red")
    assert exceeds.count() == 3 and "Chemical oxygen demand (COD)" in exceeds.nth(1).inner_text()
    assert all(status == "exceeds" for status in result.locator("tr.cp-eff-red .cp-eff-badge").all_inner_texts())
    badge = exceeds.first.locator(".cp-eff-badge")
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(254, 226, 226)"  # red
    assert exceeds.first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(220, 38, 38, 0.09)"
    tones = {row.get_attribute("data-status"): row.get_attribute("class").split()[-1] for row in rows.all()}
    assert tones == {
        "exceeds": "cp-eff-red", "within": "cp-eff-green", "no-limit": "cp-eff-grey",
        "unknown-parameter": "cp-eff-amber", "bad-value": "cp-eff-amber", "unit-mismatch": "cp-eff-amber",
    }
    assert "row 5" in exceeds.nth(1).inner_text()
    shots(page, "effluent-desktop", top=True)
    summary.evaluate("e => e.scrollIntoView({block: 'start'})")
    shots(page, "effluent-desktop-table")

    with page.expect_download(timeout=10_000) as info:
        page.click("#cp-eff-download")
    download = info.value
    assert download.suggested_filename.startswith("effluent-check-sea-") and download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(open(download.path(), encoding="utf-8-sig", newline="")))
    assert len(rows) == 12 and {r["receiving"] for r in rows} == {"sea"}
    cod = next(r for r in rows if r["parameter_given"] == "COD")
    assert (cod["value_given"], cod["value"], cod["status"], cod["seqs_row"]) == ("1,200", "1200", "exceeds", "5")
    assert [r["status"] for r in rows].count("exceeds") == 3
    assert no_horizontal_overflow(page) and off_host(page, served) == []
    page.close()


def test_effluent_tab_at_phone_width(browser, served, shots) -> None:
    page = open_effluent_tab(browser, served, width=390, height=844)
    check_example(page)
    assert no_horizontal_overflow(page)
    page.evaluate("() => document.querySelector('#cp-eff-result').scrollIntoView({block: 'start'})")
    assert page.locator("#cp-eff-result th").first.is_visible() is False  # cards, one per parameter
    assert page.locator("#cp-eff-result tr.cp-eff-red").first.is_visible()
    shots(page, "effluent-phone")
    page.close()


def test_script_in_a_parameter_name_is_shown_as_text(browser, served) -> None:
    page = open_effluent_tab(browser, served)
    page.fill(
        "#cp-eff-text textarea",
        '<script>window.__effxss=1</script>,5,mg/L\n"<img src=x onerror=""window.__effxss=2"">",1,mg/L\nCOD,95,mg/L',
    )
    press_check(page, INLAND)
    text = page.locator("#cp-eff-result").inner_text()
    assert "<script>window.__effxss=1</script>" in text and '<img src=x onerror="window.__effxss=2">' in text
    assert page.evaluate("() => typeof window.__effxss") == "undefined"
    assert page.locator("#cp-eff-result script, #cp-eff-result img").count() == 0
    page.close()


def test_effluent_xlsx_upload_fills_the_box_and_checks(browser, served, tmp_path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in (["Parameter", "Value", "Unit"], ["COD", "1,200", "mg/L"], ["BOD5", 60, "mg/L"]):
        workbook.active.append(row)
    workbook.save(tmp_path / "lab.xlsx")
    page = open_effluent_tab(browser, served)
    page.get_by_label(INLAND).check()
    page.set_input_files("#cp-eff-file input[type=file]", str(tmp_path / "lab.xlsx"))
    page.wait_for_selector("#cp-eff-result .cp-eff-report", timeout=15_000)
    assert page.locator("#cp-eff-text textarea").input_value() == 'parameter,value,unit\nCOD,"1,200",mg/L\nBOD5,60,mg/L\n'
    assert "2 parameters: 1 within, 1 exceeding" in page.locator("#cp-eff-result .cp-eff-summary").inner_text()
    page.close()
