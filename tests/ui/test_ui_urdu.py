"""Urdu in the browser (issue 15): the question box takes the direction of what is typed, the
user's Urdu words and the answer's Urdu line read right to left in the app's own Urdu font
(served by the app, nothing fetched from another host), the quoted English stays left to right,
and the chat says what the question was searched as. Roman Urdu stays left to right."""

from __future__ import annotations

import pytest
from test_ui_app import ask, bot_messages, off_host, open_page

pytestmark = pytest.mark.slow

URDU_QUESTION = "کیمیکل کے ڈرم کیسے ذخیرہ کرنے چاہئیں؟"
ROMAN_QUESTION = "Kya hamein chemical drums ko store karne ke liye koi ehtiyat karni chahiye?"
DIRECTION = "(element) => getComputedStyle(element).direction"
URDU_FONT_USED = """async () => {
  await document.fonts.ready;
  return [...document.fonts].some((face) => face.family.includes('Noto Nastaliq Urdu') && face.status === 'loaded');
}"""


def test_urdu_question_reads_right_to_left_in_the_apps_own_font(browser, served, shots) -> None:
    page = open_page(browser, served)
    box = page.locator("#cp-question textarea")
    box.fill(URDU_QUESTION)
    assert box.evaluate(DIRECTION) == "rtl", "the question box follows what is typed in it"
    ask(page, URDU_QUESTION)

    user = page.locator("#cp-chat [data-testid='user'] [lang='ur']").last
    assert user.inner_text().strip() == URDU_QUESTION
    assert user.evaluate(DIRECTION) == "rtl"
    answer = bot_messages(page).last
    framing = answer.locator("[lang='ur']").first
    assert framing.evaluate(DIRECTION) == "rtl"
    quoted = answer.locator("p").filter(has=page.locator("a.cp-ref")).first
    assert quoted.evaluate(DIRECTION) == "ltr", "the English passages are quoted left to right"
    assert "Searched in English as:" in answer.inner_text()
    assert page.evaluate(URDU_FONT_USED), "the Urdu font was not loaded"
    assert any("NotoNastaliqUrdu" in url for url in page.requests)
    assert not off_host(page, served)
    box.fill("")
    assert box.evaluate(DIRECTION) == "ltr", "an empty or English box reads left to right again"
    shots(page, "urdu-answer")
    page.close()


def test_roman_urdu_stays_left_to_right_and_says_what_it_searched(browser, served) -> None:
    page = open_page(browser, served)
    ask(page, ROMAN_QUESTION)
    assert page.locator("#cp-chat [lang='ur']").count() == 0
    answer = bot_messages(page).last
    assert answer.evaluate(DIRECTION) == "ltr"
    assert "Searched in English as:" in answer.inner_text()
    page.close()
