"""The "My project" tab without a browser: the card (escaped, with its requirement and numbered
sources), blank input, the tab in the app, and a real profile over a small index."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from ui import project_tab
from ui.project_tab import ProjectTab

DOCUMENTS = Path(__file__).resolve().parents[2] / "corpus" / "documents"
XSS = "<script>window.__projxss=1</script>"


def test_card_shows_requirement_entries_and_numbered_sources_escaped() -> None:
    data = {
        "project": XSS, "regulations": "Sindh Environmental Assessment Regulations 2021", "requirement": "IEE",
        "schedule": "II", "missing": [], "answer": f"Requirement: IEE {XSS} [1].",
        "entries": [{"schedule": "II", "item": "J.4", "requirement": "IEE", "project": "Hospitals", "threshold": "more than 50 beds",
                     "applies": "applies", "reason": "120-bed is more than 50 beds"}],
        "citations": [{"n": 1, "title": "Screening schedules", "section": "Row 178", "text": XSS}],
    }
    html = project_tab.card_html(data)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'class="cp-req cp-req-iee"' in html and "(Schedule II)" in html
    assert '<a href="#cp-proj-src-1">[1]</a>' in html and 'id="cp-proj-src-1"' in html and "more than 50 beds" in html
    missing = project_tab.card_html({**data, "requirement": "need more information", "schedule": None, "missing": ["number of beds"]})
    assert "cp-req-other" in missing and "number of beds" in missing and "(Schedule" not in missing
    assert project_tab.card_html({}) == ""


def test_blank_description_or_no_index_gives_no_card() -> None:
    tab = ProjectTab(SimpleNamespace(snapshot=lambda: None, embedder=None))
    assert tab.profile("   ") == {} and tab.profile("a hospital") == {} and tab.screen("") == ""


def test_app_has_the_my_project_tab(tmp_path: Path) -> None:
    from assistant.feedback import FeedbackStore
    from assistant.settings import Settings
    from ui.app import App

    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index")
    bot = SimpleNamespace(settings=settings, index=SimpleNamespace(snapshot=lambda: None))
    config = App(bot, FeedbackStore(tmp_path / "data")).blocks().get_config_file()
    labels = [c["props"].get("label") for c in config["components"] if c["type"] == "tabitem"]
    assert "My project" in labels and "Check my effluent" in labels


@pytest.fixture(scope="module")
def screening_index(tmp_path_factory: pytest.TempPathFactory, ui_embedder, build):
    from assistant.index import Index

    root = tmp_path_factory.mktemp("project-tab")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("sindh-eia-screening-schedules.csv", "sindh-environmental-assessment-regulations-2021-digest.md"):
        shutil.copy(DOCUMENTS / name, corpus / name)
    settings = build.clean_settings(root, corpus)
    index = Index(settings, embedder=ui_embedder)
    assert not index.ingest(progress=False).skipped
    return index


@pytest.mark.slow
def test_screening_a_description_shows_its_cited_card(screening_index) -> None:
    tab = ProjectTab(screening_index)
    data = tab.profile("a 120-bed private hospital")
    assert data["requirement"] == "IEE" and data["schedule"] == "II" and data["citations"]
    html = tab.screen("a 120-bed private hospital")
    assert "cp-req-iee" in html and "Hospitals and health care units" in html and 'id="cp-proj-src-1"' in html
    need = tab.screen("a private hospital")
    assert "need more information" in need and "number of beds" in need


@pytest.fixture(scope="module")
def served_screening(screening_index):
    """`cpassist serve` over the screening index on a free port (the browser test's own server)."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = screening_index.settings
    root = settings.index_dir.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPASSIST_")} | {
        "CPASSIST_INDEX_DIR": str(settings.index_dir), "CPASSIST_CORPUS_DIR": str(settings.corpus_dir),
        "CPASSIST_MANIFEST_PATH": str(settings.manifest_path), "CPASSIST_DATA_DIR": str(settings.data_dir),
        "CPASSIST_EVALS_DIR": str(settings.evals_dir), "PYTHONUNBUFFERED": "1",
    }
    log = root / "serve.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [sys.executable, "-c", "from assistant.cli import main; main()", "serve", "--port", str(port)],
            cwd=root, env=env, stdout=handle, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"cpassist serve did not start:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.slow
def test_my_project_tab_in_a_browser(browser, served_screening, shots) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(served_screening, wait_until="domcontentloaded")
    page.wait_for_selector("#cp-question textarea", timeout=60_000)
    page.get_by_role("tab", name="My project").click()
    page.fill("#cp-proj-description textarea, #cp-proj-description input", "a 120-bed private hospital")
    page.click("#cp-proj-screen")
    page.wait_for_selector("#cp-proj-card .cp-proj-card", timeout=60_000)
    card = page.locator("#cp-proj-card")
    assert "IEE" in card.locator(".cp-req").inner_text() and "Hospitals and health care units" in card.inner_text()
    assert card.locator(".cp-proj-sources li").count() >= 2
    shots(page, "project-card", top=True)
    page.fill("#cp-proj-description textarea, #cp-proj-description input", "<script>window.__projxss=1</script> hospital")
    page.click("#cp-proj-screen")
    page.wait_for_function("() => document.querySelector('#cp-proj-card').innerText.includes('<script>')", timeout=60_000)
    assert page.evaluate("() => window.__projxss") is None
    page.close()
