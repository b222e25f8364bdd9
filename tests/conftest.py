"""Shared fixtures: the real embedding model (loaded once), isolated settings, small real documents.

Every document a test needs is written here by code (reportlab PDFs, python-docx DOCX files,
Markdown with front matter, HTML, CSV), small enough that ingesting it takes well under a second
of embedding. Nothing reads or writes the repository's corpus or index.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

# tests/ is on sys.path: pytest puts a conftest's folder there
from llm_server import ScriptedServer

import assistant  # noqa: F401  (offline environment defaults before anything heavy is imported)
from assistant.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------------------------------
# Environment and settings


@pytest.fixture(autouse=True)
def _no_cpassist_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No CPASSIST_* variable from the shell or an earlier test reaches a test."""
    for name in list(os.environ):
        if name.startswith("CPASSIST_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def embedder():
    """The shipped all-MiniLM-L6-v2, loaded once for the whole session (about 10 s)."""
    from assistant.embeddings import MiniLMEmbeddings

    model = MiniLMEmbeddings()
    model.embed_query("warm up")
    return model


def settings_for(root: Path, corpus_dir: Path | None = None, **overrides) -> Settings:
    """Settings whose every path is under `root` (never the repository's corpus or index)."""
    return Settings(
        index_dir=root / "index",
        corpus_dir=corpus_dir or root / "corpus",
        manifest_path=root / "manifest.toml",
        evals_dir=root / "evals",
        data_dir=root / "data",
        **overrides,
    )


def clean_settings(root: Path, corpus_dir: Path | None = None, **overrides) -> Settings:
    """settings_for(...) built as a user's shell would not leak into it: no CPASSIST_* variable
    and no ./cpassist.toml (it is built from inside `root`). For module-scoped fixtures, where
    the autouse fixture above does not reach."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("CPASSIST_"):
                patch.delenv(name)
        patch.chdir(root)
        return settings_for(root, corpus_dir, **overrides)


@pytest.fixture
def make_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Settings]:
    """Settings(...) from explicit arguments only: paths under tmp_path, no ./cpassist.toml picked up."""
    monkeypatch.chdir(tmp_path)

    def make(corpus_dir: Path | None = None, **overrides) -> Settings:
        return settings_for(tmp_path, corpus_dir, **overrides)

    return make


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


def cli_environment(settings: Settings) -> dict[str, str]:
    """The CPASSIST_* variables that make the CLI use these settings' folders."""
    return {
        "CPASSIST_INDEX_DIR": str(settings.index_dir),
        "CPASSIST_CORPUS_DIR": str(settings.corpus_dir),
        "CPASSIST_MANIFEST_PATH": str(settings.manifest_path),
        "CPASSIST_EVALS_DIR": str(settings.evals_dir),
        "CPASSIST_DATA_DIR": str(settings.data_dir),
    }


# ---------------------------------------------------------------------------------------------
# Document builders


PDF_PAGES: list[list[str]] = [
    [
        "1.1 Introduction to the plant",
        "The ACME textile mill in Karachi dyes cotton fabric and discharges",
        "its wastewater into a nallah. This report reviews the na-",
        "tional standards and the plant's compliance record.",
    ],
    [
        "2.3 Effluent treatment",
        "The treatment plant uses equalisation, chemical dosing and an",
        "activated sludge stage before discharge to inland waters.",
        "Sludge is dewatered on drying beds and sent to a landfill.",
    ],
    [
        "3.1 Energy efficiency",
        "Boilers were retrofitted with economisers and condensate recovery.",
        "Steam losses fell by a fifth after the insulation survey.",
    ],
    [
        "4.2 Chemical management",
        "Dye auxiliaries are stored in a bunded area with spill kits.",
        "Material safety data sheets are kept at the store.",
    ],
]


def write_pdf(
    path: Path,
    pages: list[list[str]] | None = None,
    *,
    footer: str = "ACME Report | page {n}",
    title: str = "ACME Annual Environmental Report",
    page_numbers: bool = True,
    encrypt: str | None = None,
) -> Path:
    """A text PDF made with reportlab: one printed line per list item, a running footer and a bare page number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    pdf.setTitle(title)
    for number, lines in enumerate(pages if pages is not None else PDF_PAGES, start=1):
        y = 780
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        if footer:
            pdf.drawString(72, 40, footer.format(n=number))
        if page_numbers:
            pdf.drawString(520, 40, str(number))
        pdf.showPage()
    pdf.save()
    return path


def write_blank_pdf(path: Path, pages: int = 1) -> Path:
    """A valid PDF with pages but no text at all (what a scan without OCR looks like)."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for _ in range(pages):
        pdf.rect(100, 100, 200, 200)
        pdf.showPage()
    pdf.save()
    return path


def write_docx(path: Path) -> Path:
    """A Word document with Heading 1/2 styles, a 'List Number' list, a bullet and a table."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Cleaner Production Programme Handbook"
    document.add_heading("1 Programme overview", level=1)
    document.add_paragraph(
        "The programme helps textile and leather units cut water, energy and chemical use "
        "through in-plant audits and low-cost housekeeping measures."
    )
    document.add_heading("1.1 Audit steps", level=2)
    for step in ("Walk-through audit of the dye house", "Baseline measurement of water use", "Screening of options"):
        document.add_paragraph(step, style="List Number")
    document.add_paragraph("Each audit ends with a written report to the unit's management.")
    document.add_paragraph("Housekeeping comes first", style="List Bullet")
    document.add_heading("2 Results", level=1)
    document.add_paragraph("Participating units reported lower fuel bills within a year.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Measure"
    table.cell(0, 1).text = "Saving"
    table.cell(1, 0).text = "Condensate return"
    table.cell(1, 1).text = "8 percent fuel"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


ACT_MARKDOWN = """\
---
title: Sindh Environmental Protection Act, 2014
doc_type: law-digest
jurisdiction: Sindh, Pakistan
year: 2014
unofficial: true
---

# Sindh Environmental Protection Act

## Part I — Preliminary

### Section 1 — Short title and commencement

This Act may be called the Sindh Environmental Protection Act, 2014. It extends to the whole of the Province of Sindh.

### Section 2 — Definitions

In this Act an adverse environmental effect means impairment of, or damage to, the environment, including impairment of human health, damage to biodiversity and damage to property.

## Part III — The Sindh Environmental Protection Agency

### Section 5 — Establishment of the Agency

The Government shall establish the Sindh Environmental Protection Agency, headed by a Director General. The Agency shall administer and implement the provisions of this Act and the rules and regulations made under it, and shall keep a register of industrial units that discharge effluent.

### Section 6 — Functions of the Agency

The Agency shall prepare environmental policies, take measures for the conservation of natural resources, and encourage the use of cleaner production in industry.
"""


def write_markdown(path: Path, text: str = ACT_MARKDOWN) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


HTML_PAGE = """\
<!doctype html>
<html>
<head>
  <title>SEPA approvals page</title>
  <script>var tracker = "analytics beacon code";</script>
  <style>p { color: red; }</style>
</head>
<body>
  <nav>Home | About | Contact</nav>
  <h1>Environmental approvals</h1>
  <p>The Agency reviews <b>initial environmental examinations</b> within two months of filing.</p>
  <script>document.write("do not index this script text");</script>
  <h2>Fees</h2>
  <ul><li>A review fee is charged for each filing.</li></ul>
  <table><tr><td>IEE</td><td>10,000 rupees</td></tr></table>
</body>
</html>
"""


def write_html(path: Path, text: str = HTML_PAGE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


LIMITS_CSV = """\
parameter,unit,into_inland_waters,into_sea
Chemical oxygen demand (COD),mg/L,150,400
Total suspended solids (TSS),mg/L,200,
pH,,6-9,6-9
"""


def write_csv(path: Path, text: str = LIMITS_CSV) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_corrupt_pdf(path: Path) -> Path:
    path.write_bytes(random.Random(7).randbytes(4000))
    return path


def write_truncated_pdf(path: Path, scratch: Path) -> Path:
    data = write_pdf(scratch / "whole-for-truncation.pdf").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


# ---------------------------------------------------------------------------------------------
# A small, realistic corpus with distinct topics, indexed once per session


RETRIEVAL_DOCS: dict[str, str] = {
    "sindh-epa-digest.md": """\
---
title: Sindh Environmental Protection Act, 2014
doc_type: law-digest
jurisdiction: Sindh, Pakistan
unofficial: true
---

## Part IV — Prohibitions and approvals

### Section 11 — Prohibition of certain discharges or emissions

No person shall discharge or emit, or allow the discharge or emission of, any effluent, waste, air pollutant or noise in an amount, concentration or level in excess of the Sindh Environmental Quality Standards. The Agency may direct an industrial unit that violates this section to install pollution control equipment within a period it fixes.

### Section 17 — Initial environmental examination and environmental impact assessment

No proponent of a project shall commence construction or operation unless he has filed with the Agency an initial environmental examination or an environmental impact assessment, and has obtained from the Agency approval in respect thereof. The Agency shall communicate its approval or rejection within four months of the filing of an environmental impact assessment.
""",
    "boiler-efficiency-report.md": """\
---
title: Boiler House Efficiency Review
doc_type: report
jurisdiction: Pakistan
---

## 3.1 Heat recovery

Fitting an economiser on the boiler flue recovers heat from the hot exhaust gases and preheats the feed water, which cuts fuel consumption by five to eight percent. Returning hot condensate to the feed tank saves further fuel and treated water.

## 3.2 Insulation of steam lines

Bare steam pipes, valves and flanges lose heat continuously. Lagging them with mineral wool and aluminium cladding pays back within months in most textile finishing mills.
""",
    "stockholm-convention-digest.md": """\
---
title: Stockholm Convention on Persistent Organic Pollutants
doc_type: mea-digest
jurisdiction: international
---

## Article 5 — Measures to reduce or eliminate releases from unintentional production

Each Party shall take measures to reduce the total releases of dioxins and furans from anthropogenic sources, such as waste incinerators and open burning, with the goal of their continuing minimisation.

## Article 6 — Measures to reduce or eliminate releases from stockpiles and wastes

Each Party shall identify stockpiles consisting of or containing banned chemicals, such as obsolete pesticides, and manage them in a safe, efficient and environmentally sound manner, so that their persistent organic pollutant content is destroyed or irreversibly transformed.
""",
    "dye-house-water-programme.md": """\
---
title: Dye House Water Saving Programme
doc_type: programme
jurisdiction: Punjab, Pakistan
---

## Counter-current rinsing

Running rinse water against the direction of the fabric lets the cleanest water meet the cleanest cloth, so each litre is used several times before it is drained. Mills in the programme cut rinse water use by about a third.

## Reuse of cooling water

Cooling water from jet dyeing machines is clean and warm; collecting it in a tank for the next batch saves both water and the energy needed to heat it.
""",
    "effluent-limits.csv": """\
parameter,unit,into_inland_waters,into_sea
Chemical oxygen demand (COD),mg/L,150,400
Total suspended solids (TSS),mg/L,200,200
Oil and grease,mg/L,10,10
""",
}


def ingested(root: Path, files: dict[str, str], embedder, manifest: str = "", **overrides):
    """An index of `files` (name -> text) under `root`, with an optional manifest, ingested with
    nothing skipped: for module fixtures that need a small corpus of their own."""
    from assistant.index import Index

    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    if manifest:
        (root / "manifest.toml").write_text(manifest, encoding="utf-8")
    index = Index(clean_settings(root, corpus, **overrides), embedder=embedder)
    report = index.ingest(progress=False)
    assert not report.skipped, report.skipped
    return index


def write_retrieval_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in RETRIEVAL_DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def retrieval_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator:
    """The small realistic corpus, ingested once for the session; tests only read from it."""
    from assistant.index import Index

    root = tmp_path_factory.mktemp("retrieval")
    settings = settings_for(root, write_retrieval_corpus(root / "corpus"), min_words=20)
    index = Index(settings, embedder=embedder)
    report = index.ingest(progress=False)
    assert not report.skipped, report.skipped
    assert report.generation == 1
    yield index


SHIPPED = Path(__file__).resolve().parents[1] / "corpus"


def shipped_passages(*suffixes: str) -> list:
    """Passages of the shipped corpus files with these suffixes, split as ingest would (no model)."""
    from assistant.corpus import read_manifest
    from assistant.loaders import load_document
    from assistant.passages import Splitter

    manifest = read_manifest(SHIPPED / "manifest.toml")
    passages = []
    for path in sorted((SHIPPED / "documents").iterdir()):
        if path.suffix in suffixes:
            passages += Splitter().run(load_document(path, manifest.get(path.name, {})))
    return passages


@pytest.fixture(scope="session")
def build() -> SimpleNamespace:
    """The document builders and helpers above, for test modules (which do not import conftest)."""
    return SimpleNamespace(
        pdf=write_pdf,
        blank_pdf=write_blank_pdf,
        docx=write_docx,
        markdown=write_markdown,
        html=write_html,
        csv=write_csv,
        corrupt_pdf=write_corrupt_pdf,
        truncated_pdf=write_truncated_pdf,
        retrieval_corpus=write_retrieval_corpus,
        settings_for=settings_for,
        clean_settings=clean_settings,
        ingested=ingested,
        cli_environment=cli_environment,
        shipped_passages=shipped_passages,
        scripted_llm=ScriptedServer,
        pdf_pages=PDF_PAGES,
        act_markdown=ACT_MARKDOWN,
        retrieval_docs=RETRIEVAL_DOCS,
    )


# ---------------------------------------------------------------------------------------------
# A tiny answerability judge: the real training code, a few steps on a four-question slice

JUDGE_PASSAGES = {
    "act:1": ("act", "Act > Section 17\nNo proponent may start construction before the Agency approves the IEE or EIA."),
    "act:2": ("act", "Act > Section 22\nWhoever contravenes the Act is punishable with a fine of up to five million rupees."),
    "basel:1": ("basel", "Basel Convention > Article 4\nParties prohibit the export of hazardous wastes to Parties that have banned their import."),
    "rules:1": ("rules", "Hospital rules > Rule 5\nWaste is segregated at source into colour-coded bags."),
}
JUDGE_QUESTIONS = [
    ("q1", "Can we start building before the IEE is approved?", "act", ["act:1"], ["act:2", "basel:1"]),
    ("q2", "What is the fine for breaking the Act?", "act", ["act:2"], ["act:1", "basel:1"]),
    ("q3", "Who runs the Basel secretariat in Geneva?", "basel", [], ["basel:1", "act:1"]),
    ("q4", "How is hospital waste separated?", "rules", ["rules:1"], ["act:1"]),
]


@pytest.fixture(scope="session")
def tiny_judge(tmp_path_factory: pytest.TempPathFactory):
    """(folder, training result) of a one-layer judge trained two steps (q2 is dev, q4's document held out)."""
    import json

    from assistant.embeddings import shipped_model_path
    from assistant.judge.train import parser, train

    root = tmp_path_factory.mktemp("judge")
    data = root / "data"
    data.mkdir()
    with (data / "passages.jsonl").open("w") as handle:
        for pid, (doc, text) in JUDGE_PASSAGES.items():
            handle.write(json.dumps({"id": pid, "doc_id": doc, "text": text}) + "\n")
    with (data / "pairs.jsonl").open("w") as handle:
        for qid, question, doc, positives, negatives in JUDGE_QUESTIONS:
            for pid, label in [(p, 1) for p in positives] + [(p, 0) for p in negatives]:
                row = {"qid": qid, "question": question, "passage_id": pid, "label": label, "doc_id": doc, "split": "dev" if qid == "q2" else "train"}
                handle.write(json.dumps(row) + "\n")
    out = root / "judge"
    args = parser().parse_args(
        ["--data", str(data), "--base", str(shipped_model_path()), "--out", str(out), "--layers", "1", "--max-steps", "2",
         "--questions-per-batch", "2", "--per-question", "3", "--max-length", "64", "--holdout-doc", "rules"]
    )
    return out, train(args)
