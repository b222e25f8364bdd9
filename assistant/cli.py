"""The `cpassist` command line. Results go to stdout, logs and progress to stderr."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import click

import assistant  # noqa: F401  (sets the offline environment before anything heavy loads)
from assistant.settings import Settings

log = logging.getLogger("cpassist")


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "bm25s", "urllib3"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.version_option(assistant.__version__, prog_name="cpassist")
@click.pass_context
def main(ctx: click.Context, verbose: int) -> None:
    """CP Assistant: cited answers on cleaner production and environmental compliance in Pakistan."""
    _configure_logging(verbose)
    ctx.obj = Settings()


def _index(settings: Settings):
    from assistant.index import Index

    return Index(settings)


def ensure_index(index, settings: Settings) -> None:
    """Build the default corpus's index on first use, so a fresh install answers at once."""
    if index.snapshot() is None:
        click.echo(f"No index in {settings.index_dir} yet: ingesting the default corpus first.", err=True)
        report = index.ingest(progress=True)
        _echo_report(report, err=True)


def _echo_report(report, err: bool = False) -> None:
    lines = []
    for label, names in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        for name in names:
            lines.append(f"{label:<9} {name}")
    for name, reason in report.skipped:
        lines.append(f"{'skipped':<9} {name}: {reason}")
    lines.append(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.removed)} removed, "
        f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped; "
        f"{report.passages} passages in the index ({report.embedded} embedded) in {report.seconds:.1f} s"
    )
    click.echo("\n".join(lines), err=err)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.pass_obj
def ingest(settings: Settings, paths: tuple[Path, ...], no_progress: bool) -> None:
    """Index PATHS (files or folders; default: the shipped corpus). Only changed files are re-embedded."""
    index = _index(settings)
    try:
        report = index.ingest(list(paths) or None, progress=not no_progress)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    _echo_report(report)
    if not report.usable:
        sys.exit(1)


def _queries(argument: str | None) -> Iterator[str]:
    if argument is not None:
        yield argument
        return
    for line in sys.stdin:
        yield line.rstrip("\n")


def _filters(doc_types: tuple[str, ...], doc_ids: tuple[str, ...], jurisdictions: tuple[str, ...]):
    from assistant.retrieval import Filters

    return Filters(doc_types=doc_types, doc_ids=doc_ids, jurisdictions=jurisdictions)


def hit_json(hit) -> dict:
    """A passage as the CLI's JSON contract (DESIGN.md section 3) describes it."""
    passage = hit.passage
    return {
        "rank": hit.rank,
        "score": round(hit.score, 6),
        "doc_id": passage.doc_id,
        "source": passage.source,
        "title": passage.display_title,
        "doc_type": passage.doc_type,
        "section": passage.section,
        "page": passage.page,
        "text": passage.text,
        "passage_id": passage.id,
    }


def _where(passage) -> str:
    parts = [passage.display_title]
    if passage.section:
        parts.append(passage.section)
    if passage.page:
        parts.append(f"p. {passage.page}")
    return ", ".join(parts)


filter_options = [
    click.option("--type", "doc_types", multiple=True, help="Only this doc_type (report, programme, law-digest, mea-digest, standard); repeatable."),
    click.option("--doc", "doc_ids", multiple=True, help="Only this document id (file stem); repeatable."),
    click.option("--jurisdiction", "jurisdictions", multiple=True, help="Only this jurisdiction; repeatable."),
]


def with_filters(command):
    for option in reversed(filter_options):
        command = option(command)
    return command


@main.command()
@click.argument("query", required=False)
@click.option("-k", "k", type=click.IntRange(1, 100), default=None, help="Number of results (default: setting top_k).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per query on stdout.")
@with_filters
@click.pass_obj
def search(settings: Settings, query: str | None, k: int | None, as_json: bool, doc_types, doc_ids, jurisdictions) -> None:
    """Search the corpus for QUERY (or for each line of stdin)."""
    from assistant.retrieval import Retriever

    index = _index(settings)
    ensure_index(index, settings)
    retriever = Retriever(index)
    filters = _filters(doc_types, doc_ids, jurisdictions)
    for text in _queries(query):
        hits = retriever.run(text, k=k, filters=filters) if text.strip() else []
        if as_json:
            click.echo(json.dumps({"query": text, "results": [hit_json(h) for h in hits]}, ensure_ascii=False))
            continue
        click.echo(f"Query: {text}")
        if not hits:
            click.echo("  (no results)")
        for hit in hits:
            snippet = " ".join(hit.passage.text.split())
            click.echo(f"\n[{hit.rank}] {_where(hit.passage)}  (score {hit.score:.4f})")
            click.echo(f"    {snippet[:400]}{'...' if len(snippet) > 400 else ''}")
        click.echo("")


@main.command("eval")
@click.option("--no-baselines", is_flag=True, help="Only our system (skips the 15 s baseline build).")
@click.option("--questions", type=click.Path(exists=True, path_type=Path), default=None, help="Question file (JSONL).")
@click.option("--show-misses", is_flag=True, help="List the questions whose gold passage is not in the top 5.")
@click.pass_obj
def eval_command(settings: Settings, no_baselines: bool, questions: Path | None, show_misses: bool) -> None:
    """Measure retrieval (and answers) on the project's question set and print the figures."""
    from assistant import evaluation

    index = _index(settings)
    ensure_index(index, settings)
    question_set = evaluation.load_questions(questions or settings.evals_dir / "questions.jsonl")
    in_scope = [q for q in question_set if q.in_scope]
    click.echo(
        f"Question set: {len(question_set)} questions ({len(in_scope)} in scope, "
        f"{len(question_set) - len(in_scope)} out of scope); top 5; warm latency per query.\n"
    )
    systems = evaluation.run_retrieval_eval(index, question_set, baselines=not no_baselines)
    click.echo("Retrieval, all in-scope questions")
    click.echo(evaluation.retrieval_table(systems))
    click.echo("\nRetrieval by split (fusion weights were tuned on dev; test is held out)")
    click.echo(evaluation.split_table(in_scope, systems[0]))
    if show_misses:
        click.echo("\nMisses (gold passage not in the top 5):")
        for line in evaluation.misses(in_scope, systems[0]):
            click.echo(f"  {line}")

    from assistant.pipeline import Assistant

    figures = evaluation.run_answer_eval(Assistant(settings, index=index), question_set)
    click.echo("\nAnswers (cpassist ask, extractive composer)")
    click.echo(figures.table(len(in_scope), len(question_set) - len(in_scope)))
    if show_misses:
        click.echo("\nAnswer failures:")
        for line in figures.failures:
            click.echo(f"  {line}")


def answer_json(answer) -> dict:
    from assistant.pipeline import citation_json

    data = {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [citation_json(c) for c in answer.citations],
    }
    if answer.abstained and answer.related:
        data["related"] = [hit_json(h) for h in answer.related]
    if answer.note:
        data["note"] = answer.note
    return data


def render_answer(answer) -> str:
    lines = [answer.text]
    if answer.note:
        lines.append(f"({answer.note})")
    if answer.citations:
        lines.append("\nSources:")
        for citation in answer.citations:
            lines.append(f"  [{citation.n}] {_where(citation.passage)}")
    elif answer.related:
        lines.append("\nMay be related:")
        for hit in answer.related:
            lines.append(f"  - {_where(hit.passage)}")
    return "\n".join(lines)


@main.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question on stdout.")
@with_filters
@click.pass_obj
def ask(settings: Settings, question: str | None, as_json: bool, doc_types, doc_ids, jurisdictions) -> None:
    """Answer QUESTION (or each line of stdin) with cited passages, or say the corpus does not cover it."""
    from assistant.pipeline import Assistant

    bot = Assistant(settings)
    ensure_index(bot.index, settings)
    filters = _filters(doc_types, doc_ids, jurisdictions)
    for text in _queries(question):
        answer = bot.ask(text, filters=filters)
        if as_json:
            click.echo(json.dumps(answer_json(answer), ensure_ascii=False))
        else:
            click.echo(render_answer(answer) + "\n")


@main.command("check-effluent")
@click.argument("lab_report", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--receiving", required=True, help="Where the effluent goes: inland, sewage or sea.")
@click.option("--json", "as_json", is_flag=True, help="JSON: the row objects plus the summary.")
@click.option("--limits", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="SEQS limits CSV (default: the corpus copy).")
@click.pass_obj
def check_effluent(settings: Settings, lab_report: Path, receiving: str, as_json: bool, limits: Path | None) -> None:
    """Check a lab report (CSV or XLSX: parameter,value,unit) against the Sindh effluent limits."""
    from assistant import effluent

    try:
        body = effluent.parse_receiving(receiving)
        table = effluent.load_limits(limits or settings.corpus_dir / "seqs-effluent-limits.csv")
        report = effluent.check_rows(effluent.read_lab_report(lab_report), table, body)
    except (ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(effluent.render_table(report))
