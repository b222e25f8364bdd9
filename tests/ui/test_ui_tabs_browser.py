"""End to end: the Triage, Glossary and Study tabs in a real Chromium against the real `cpassist serve`."""

from __future__ import annotations

import pytest

import assistant  # noqa: F401  (offline environment before gradio_client is imported)

pytestmark = pytest.mark.slow

QUESTIONS = (
    "Do I need an environmental impact assessment before construction?\n"
    "What must each Party do with stockpiles of banned chemicals?\n"
    "What is the capital of France?\n"
    "<script>window.__trixss=1</script> What is the fine?"
)


def test_triage_glossary_and_study_tabs(browser, served, shots) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(served.url, wait_until="domcontentloaded")
    page.wait_for_selector("#cp-question textarea", timeout=30_000)

    # Triage: paste, run, the table shows the rows, selecting one shows its reply.
    page.get_by_role("tab", name="Triage").click()
    page.fill("#cp-tri-text textarea", QUESTIONS)
    page.click("#cp-tri-run")
    page.wait_for_selector("#cp-tri-status .cp-eff-message", timeout=60_000)
    assert "4 questions triaged" in page.locator("#cp-tri-status").inner_text()
    table = page.locator("#cp-tri-table")
    table.get_by_text("What must each Party do with stockpiles", exact=False).first.wait_for(timeout=10_000)
    assert "Sindh EPA 2014 s.1" in table.inner_text() and "not covered" in table.inner_text()
    assert page.locator("#cp-tri-csv").is_visible() and page.locator("#cp-tri-xlsx").is_visible()
    shots(page, "triage-table", top=True)
    table.get_by_text("What must each Party do with stockpiles", exact=False).first.click()
    page.wait_for_selector("#cp-tri-reply .cp-tri-reply", timeout=10_000)
    reply = page.locator("#cp-tri-reply").inner_text()
    assert "Suggested reply" in reply and "Stockholm Convention on Persistent Organic Pollutants" in reply
    page.locator("#cp-tri-reply").scroll_into_view_if_needed()
    shots(page, "triage-reply")
    # A second row opens its own reply (the row number in column 1 is what is looked up, so sorting cannot mix replies).
    table.get_by_text("What is the capital of France?").first.click()
    page.wait_for_function("() => document.querySelector('#cp-tri-reply').innerText.includes('capital of France')", timeout=10_000)
    assert "not covered" in page.locator("#cp-tri-reply").inner_text()
    page.locator("#cp-tri-human input").check()
    page.wait_for_function("() => !document.querySelector('#cp-tri-table').innerText.includes('stockpiles of banned')")
    assert "capital of France" in table.inner_text()
    assert page.evaluate("() => window.__trixss") is None

    # Glossary: a fuzzy search shows the definition and its citation; the full list is there.
    page.get_by_role("tab", name="Glossary").click()
    page.fill("#cp-gloss-query textarea, #cp-gloss-query input", "transboundry")
    page.click("#cp-gloss-search")
    page.wait_for_selector("#cp-gloss-results .cp-gloss-entry", timeout=10_000)
    results = page.locator("#cp-gloss-results").inner_text()
    assert "transboundary movement" in results and "A shipment of hazardous wastes" in results and "Art. 2" in results
    assert page.locator("#cp-gloss-list tbody tr").count() == 10
    shots(page, "study-glossary", top=True)

    # Study: a topic shows a cited answer with source cards.
    page.get_by_role("tab", name="Study").click()
    page.get_by_label("Basel Convention").check()
    page.wait_for_selector("#cp-study-explanation .cp-study-answer", timeout=20_000)
    explanation = page.locator("#cp-study-explanation")
    assert "[1]" in explanation.inner_text() and explanation.locator(".cp-card").count() >= 1
    assert "Basel Convention" in explanation.locator(".cp-card-title").first.inner_text()
    shots(page, "study-topic", top=True)

    # Quiz me: start, answer, reveal with the source, score.
    page.get_by_role("tab", name="Quiz me").click()
    page.click("#cp-quiz-start")
    page.wait_for_selector("#cp-quiz-question .cp-quiz-q", timeout=20_000)
    assert "Question 1 of 5" in page.locator("#cp-quiz-question").inner_text()
    page.locator("#cp-quiz-choice label").first.click()
    page.click("#cp-quiz-check")
    page.wait_for_selector("#cp-quiz-reveal .cp-quiz-reveal", timeout=10_000)
    reveal = page.locator("#cp-quiz-reveal").inner_text()
    assert ("Correct" in reveal or "Not quite" in reveal) and "Source:" in reveal
    assert "Score: " in page.locator("#cp-quiz-score").inner_text() and "/1" in page.locator("#cp-quiz-score").inner_text()
    shots(page, "study-quiz", top=True)
    page.click("#cp-quiz-next")
    page.wait_for_function("() => document.querySelector('#cp-quiz-question').innerText.includes('Question 2 of 5')")
    page.close()


def test_all_five_tabs_are_reachable_on_a_phone(browser, served, shots) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(served.url, wait_until="domcontentloaded")
    page.wait_for_selector("#cp-question textarea", timeout=30_000)
    for name in ("Ask a question", "Check my effluent", "Triage", "Glossary", "Study"):
        assert page.get_by_role("tab", name=name).is_visible(), name
    page.get_by_role("tab", name="Triage").click()
    page.wait_for_selector("#cp-tri-text textarea", timeout=10_000)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    shots(page, "triage-phone", top=True)
    page.close()
