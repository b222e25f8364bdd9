"""The `cpassist` command line. Results go to stdout, logs and progress to stderr.

Past 500 lines on purpose: one module holds every command, so the options of all of them read
together in one place; each command only parses, calls the library (pipeline, evaluation,
standards, judge, triage, quiz) and prints, so there is no logic here to split by concern.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import click

import assistant  # noqa: F401  (sets the offline environment before anything heavy loads)
from assistant.schema import answer_json, explain_json, search_json
from assistant.settings import Settings

log = logging.getLogger("cpassist")


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "bm25s", "urllib3"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


class _Commands(click.Group):
    """Turns an unreachable Chroma server into a one-line message instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except RuntimeError as error:
            from assistant.store import ChromaUnreachable

            if isinstance(error, ChromaUnreachable):
                raise click.ClickException(str(error)) from None
            raise


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
    if report.changed:
        _warm_tables(index)


def _warm_tables(index) -> None:
    """Embed the screening table's fixed texts (its entries, exemplars and unlisted activities)
    while the embedder is loaded, so the first screening answer after an ingest does not pay for
    it (about 7 s on 2 cores). An ingest that changed nothing leaves them be, and loads no model."""
    from assistant.standards.profile import builder_for
    from assistant.standards.schedules import DOC_ID

    snapshot = index.snapshot()
    if DOC_ID in snapshot.files:
        try:
            builder_for(snapshot, index.embedder, index.table_vectors)
        except (OSError, ValueError) as error:
            log.warning("screening table not prepared: %s", error)


def _queries(argument: str | None) -> Iterator[str]:
    if argument is not None:
        yield argument
        return
    for line in sys.stdin:
        yield line.rstrip("\n")


def _filters(doc_types: tuple[str, ...], doc_ids: tuple[str, ...], jurisdictions: tuple[str, ...]):
    from assistant.retrieval import Filters

    return Filters(doc_types=doc_types, doc_ids=doc_ids, jurisdictions=jurisdictions)


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
            click.echo(json.dumps(search_json(text, hits), ensure_ascii=False))
            continue
        click.echo(f"Query: {text}")
        if not hits:
            click.echo("  (no results)")
        for hit in hits:
            snippet = " ".join(hit.passage.text.split())
            click.echo(f"\n[{hit.rank}] {hit.passage.location}  (score {hit.score:.4f})")
            click.echo(f"    {snippet[:400]}{'...' if len(snippet) > 400 else ''}")
        click.echo("")


QUESTION_SETS = ("questions.jsonl", "holdout.jsonl", "holdout2.jsonl", "new_documents.jsonl")
LANGUAGE_SETS = ("urdu.jsonl",)  # questions in Urdu script and Roman Urdu, each with its English twin
MODES = ("rules", "judge", "judge+rules")


@main.command("eval")
@click.option("--no-baselines", is_flag=True, help="Only our system (skips the 15 s baseline build).")
@click.option(
    "--questions", type=click.Path(exists=True, path_type=Path), multiple=True,
    help="Question or screening-case file (JSONL); repeat for several; only these are measured (default: every set in evals/).",
)
@click.option("--mode", "modes", type=click.Choice(MODES), multiple=True, help="Answerability modes to compare (default: all three).")
@click.option("--show-misses", is_flag=True, help="List the questions whose gold passage is not in the top 5.")
@click.pass_obj
def eval_command(settings: Settings, no_baselines: bool, questions: tuple[Path, ...], modes: tuple[str, ...], show_misses: bool) -> None:
    """Measure retrieval and answers on the project's question sets and print the figures."""
    from assistant import evaluation

    index = _index(settings)
    ensure_index(index, settings)
    paths = questions or tuple(p for name in QUESTION_SETS + LANGUAGE_SETS if (p := settings.evals_dir / name).is_file())
    case_files = [p for p in questions if evaluation.is_screening_file(p)]
    if not questions:
        case_files = sorted(settings.evals_dir.glob("screening*.jsonl"))
    for path in paths:
        if path in case_files:
            continue
        try:
            question_set = evaluation.load_questions(path)
        except evaluation.QuestionFileError as error:
            raise click.ClickException(str(error)) from None
        if evaluation.is_language_set(question_set):
            click.echo(f"\n=== {path.name}: questions in Urdu script and Roman Urdu, and the same in English")
            _eval_languages(settings, index, question_set, show_misses)
            continue
        click.echo(f"\n=== {path.name}")
        _eval_set(settings, index, path, no_baselines, modes or MODES, show_misses)

    if not questions:
        click.echo("\nTopics (helpdesk triage routing)")
        try:
            click.echo(evaluation.topic_tables(index, settings.evals_dir))
        except FileNotFoundError as error:
            click.echo(f"(topic figures skipped: {error})")
    elif not case_files:
        return

    click.echo("\nScreening (cpassist screen: the requirement of each described project)")
    if not case_files:
        click.echo(f"(screening figures skipped: no screening*.jsonl in {settings.evals_dir})")
        return
    from assistant.standards.profile import builder_for

    builder = builder_for(index.snapshot(), index.embedder, index.table_vectors)
    for cases_path in case_files:
        screening = evaluation.run_screening_eval(
            lambda text: builder.screener.screen(text).requirement, evaluation.load_screening_cases(cases_path)
        )
        click.echo(f"{cases_path.name}:")
        click.echo(screening.table())
        if show_misses:
            for line in screening.failures:
                click.echo(f"  {line}")


def _eval_set(settings: Settings, index, path: Path, no_baselines: bool, modes: tuple[str, ...], show_misses: bool) -> None:
    from assistant import evaluation

    question_set = evaluation.load_questions(path)
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

    from assistant.judge import JUDGE_FOLDER
    from assistant.pipeline import Assistant

    gold = evaluation.gold_for(index, question_set)
    by_mode = {}
    judge = Path(settings.judge_model) if settings.judge_model else JUDGE_FOLDER
    if not (judge / "model.safetensors").is_file():
        click.echo(f"\n(judge modes skipped: no judge in {judge}; build one with `cpassist train-judge`)")
        modes = tuple(m for m in modes if m == "rules")
    for mode in modes:
        assistant = Assistant(settings.model_copy(update={"answerability": mode}), index=index)
        by_mode[mode] = evaluation.run_answer_eval(assistant, question_set, gold)
    composer = "extractive composer" if assistant.llm is None else "LLM composer, extractive when it fails"
    click.echo(f"\nAnswers by answerability mode (cpassist ask, {composer}; rules = the hand-set rules and evidence score alone)")
    click.echo(evaluation.modes_table(by_mode, len(in_scope), len(question_set) - len(in_scope)))
    judged = by_mode.get("judge")
    if judged is not None and judged.best_judge:
        click.echo("\nAbstention curve (judge alone, over its threshold)")
        click.echo(evaluation.abstention_curve(judged))
    if show_misses:
        for mode, figures in by_mode.items():
            click.echo(f"\nAnswer failures ({mode}):")
            for line in figures.failures:
                click.echo(f"  {line}")


def _eval_languages(settings: Settings, index, question_set, show_misses: bool) -> None:
    from assistant import evaluation
    from assistant.pipeline import Assistant

    figures = evaluation.run_language_eval(index, Assistant(settings, index=index), question_set)
    click.echo(f"Search (top 5) and answers (cpassist ask, answerability {settings.answerability}), warm latency per question.\n")
    click.echo(evaluation.language_table(figures))
    if show_misses:
        for f in figures:
            click.echo(f"\nSearch misses and answer failures, {f.name.strip()}:")
            for line in evaluation.misses(f.in_scope, f.search):
                click.echo(f"  search miss {line}")
            for line in f.answers.failures:
                click.echo(f"  {line}")


def render_answer(answer) -> str:
    from assistant.language import searched_as_line

    lines = [answer.text]
    if answer.note:
        lines.append(f"({answer.note})")
    if answer.language != "en":
        lines.append(f"({searched_as_line(answer.searched_as)})")
    if answer.citations:
        lines.append("\nSources:")
        for citation in answer.citations:
            lines.append(f"  [{citation.n}] {citation.passage.location}")
    elif answer.related:
        lines.append("\nMay be related:")
        for hit in answer.related:
            lines.append(f"  - {hit.passage.location}")
    return "\n".join(lines)


STAGE_HINTS = {
    "rule": "a refusal rule withheld the answer ({rule}); if the corpus does cover this, that rule is wrong here",
    "structured table": "answered from the table itself; if wrong, the question was routed to the table or read wrongly",
    "judge": (
        "no candidate reached the threshold. If the corpus covers this: the answering passage is missing from the "
        "candidates (retrieval missed it, or a corpus gap), or it is listed with a low judge score (the judge rejected it)"
    ),
    "evidence score": "the retrieval evidence score was under the threshold (answerability = rules)",
    "composer": (
        "the answer quotes the accepted passages, best first. If it is wrong: the first accepted passage does not "
        "answer (a judge error), or the answering passage was accepted but not quoted (the composer dropped it)"
    ),
}


def render_trace(answer) -> str:
    """The --explain text: each candidate with its fused rank and judge score, and where to look."""
    trace = answer.trace
    if trace is None:
        return ""
    threshold = f", threshold {trace.threshold:.3f}" if trace.threshold is not None else ""
    lines = [f"\nWhy (answerability: {trace.answerability}{threshold}; decided at: {trace.stage or 'n/a'})"]
    lines.append("  " + STAGE_HINTS.get(trace.stage, "").format(rule=trace.rule))
    lines.append(f"  {'judge':>6} {'fused':>5}  {'found by (rank in each list)':<30} passage")
    for hit in trace.candidates:
        score = f"{hit.judge:.3f}" if hit.judge is not None else "-"
        mark = "accepted" if hit.passage.id in trace.accepted else ""
        found = " ".join(f"{name} {rank}" for name, rank in hit.list_ranks.items()) or "-"
        lines.append(f"  {score:>6} {hit.fused_rank or '-':>5}  {found:<30} {hit.passage.location} [{hit.passage.id}] {mark}".rstrip())
    return "\n".join(lines)


@main.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question on stdout.")
@click.option("--explain", is_flag=True, help="Also show why: candidates, judge scores, the rule or step that decided.")
@with_filters
@click.pass_obj
def ask(settings: Settings, question: str | None, as_json: bool, explain: bool, doc_types, doc_ids, jurisdictions) -> None:
    """Answer QUESTION (or each line of stdin) with cited passages, or say the corpus does not cover it."""
    from assistant.pipeline import Assistant

    bot = Assistant(settings)
    ensure_index(bot.index, settings)
    filters = _filters(doc_types, doc_ids, jurisdictions)
    for text in _queries(question):
        answer = bot.ask(text, filters=filters)
        if as_json:
            data = answer_json(answer)
            if explain:
                data["explain"] = explain_json(answer.trace, STAGE_HINTS.get(answer.trace.stage if answer.trace else "", ""))
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            click.echo(render_answer(answer) + (render_trace(answer) if explain else "") + "\n")


@main.command("train-judge")
@click.option("--pairs-only", is_flag=True, help="Only write training/judge/build/ (pairs for a GPU machine), do not train.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Where to write the judge (default: assistant/judge/model).")
@click.option("--max-steps", type=int, default=0, help="Stop after this many steps (0: the recipe's epochs).")
@click.pass_obj
def train_judge(settings: Settings, pairs_only: bool, out: Path | None, max_steps: int) -> None:
    """Build the answerability judge from training/judge/data (2 CPU cores: about 50 min)."""
    from assistant.index import Index
    from assistant.judge import JUDGE_FOLDER
    from assistant.judge.build import build_pairs
    from assistant.judge.build import train_judge as train

    index = Index(settings)
    ensure_index(index, settings)
    click.echo(json.dumps(build_pairs(index)), err=True)
    if pairs_only:
        return
    result = train(out=out or JUDGE_FOLDER, max_steps=max_steps)
    click.echo(json.dumps(result["figures"], indent=2))


@main.command("screen")
@click.argument("description", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per description on stdout.")
@click.pass_obj
def screen_command(settings: Settings, description: str | None, as_json: bool) -> None:
    """A project's compliance profile: the approval the 2021 Regulations require (checklist, IEE
    or EIA), what follows, and its self-monitoring; DESCRIPTION or each line of stdin."""
    from assistant.standards.profile import builder_for

    index = _index(settings)
    ensure_index(index, settings)
    try:
        builder = builder_for(index.snapshot(), index.embedder, index.table_vectors)
    except (OSError, ValueError) as error:
        raise click.ClickException(f"cannot screen: {error}") from None
    for text in _queries(description):
        if not text.strip():
            continue
        profile = builder.profile(text)
        if as_json:
            click.echo(json.dumps(profile.to_dict(), ensure_ascii=False))
            continue
        lines = [profile.answer, "\nSources:"]
        lines += [f"  [{c.n}] {c.passage.location}" for c in profile.citations]
        click.echo("\n".join(lines) + "\n")


@main.command("check-effluent")
@click.argument("lab_report", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--receiving", required=True, help="Where the effluent goes: inland, sewage or sea.")
@click.option("--json", "as_json", is_flag=True, help="JSON: the row objects plus the summary.")
@click.option("--limits", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="SEQS limits CSV (default: the corpus copy).")
@click.pass_obj
def check_effluent(settings: Settings, lab_report: Path, receiving: str, as_json: bool, limits: Path | None) -> None:
    """Check a lab report (CSV or XLSX: parameter,value,unit) against the Sindh effluent limits."""
    from assistant.standards.check import check_rows
    from assistant.standards.lab_report import read_lab_report
    from assistant.standards.render import render_table
    from assistant.standards.seqs import load_limits, parse_receiving

    try:
        body = parse_receiving(receiving)
        table = load_limits(limits or settings.corpus_dir / "seqs-effluent-limits.csv")
        report = check_rows(read_lab_report(lab_report), table, body)
    except (ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(render_table(report))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (0.0.0.0 exposes it to the network).")
@click.option("--port", type=click.IntRange(1, 65535), default=7860, show_default=True, help="Port to listen on.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int) -> None:
    """Start the web UI (and its /ask API); login is required when CPASSIST_AUTH is set."""
    from assistant.pipeline import Assistant
    from ui.app import launch, parse_auth

    try:
        parse_auth(settings.auth)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    bot = Assistant(settings)
    ensure_index(bot.index, settings)
    # Load the model and the screening tables before the port opens, so the first answers are quick.
    bot.ask("What is cleaner production?")
    bot.ask("Do I need an EIA for a cement plant?")
    launch(settings, host, port, bot)


@main.group()
def feedback() -> None:
    """Ratings and comments given to answers in the web UI."""


@feedback.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="CSV file (default: stdout).")
@click.pass_obj
def feedback_export(settings: Settings, output: Path | None) -> None:
    """Write every rating (question, answer, citations as JSON, rating, comment) as CSV."""
    from assistant.feedback import FeedbackStore

    store = FeedbackStore(settings.data_dir)
    if output is None:
        count = store.export_csv(sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as handle:
            count = store.export_csv(handle)
    click.echo(f"{count} feedback rows exported{f' to {output}' if output else ''}.", err=True)


# ---------------------------------------------------------------------------------------------
# Helpdesk triage and study mode (issue 5)


@main.command("triage")
@click.argument("input_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="CSV or XLSX file, by suffix (default: CSV on stdout).")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.pass_obj
def triage_command(settings: Settings, input_file: Path, output: Path | None, no_progress: bool) -> None:
    """Route and answer a batch of questions (CSV or XLSX with a 'question' column).

    Adds topic, governing_provision, suggested_reply, sources, confidence, needs_human and note
    to every row; the other columns are kept as they are.
    """
    from tqdm import tqdm

    from assistant import triage
    from assistant.pipeline import Assistant

    try:
        table = triage.read_table(input_file)
    except triage.TriageInputError as error:
        raise click.ClickException(str(error)) from None
    for warning in table.warnings:
        click.echo(f"warning: {warning}", err=True)
    if output is not None and output.suffix.lower() not in (".csv", ".xlsx"):
        raise click.ClickException(f"{output.name}: the output must be a .csv or .xlsx file")
    bot = Assistant(settings)
    ensure_index(bot.index, settings)

    def progress(items):
        return tqdm(items, total=len(table.rows), desc="triage", unit="question", file=sys.stderr, disable=no_progress)

    result = triage.triage_table(bot, table, progress=progress)
    triage.write_table(result, output, stream=sys.stdout)
    click.echo(triage.summary(result) + (f" Written to {output}." if output else ""), err=True)


@main.command("glossary")
@click.argument("term", required=False)
@click.option("--json", "as_json", is_flag=True, help="JSON: a list of entries (term, definition, citation...).")
@click.pass_obj
def glossary_command(settings: Settings, term: str | None, as_json: bool) -> None:
    """Defined terms of the law and convention digests; with TERM, its definition and source."""
    from assistant.glossary import glossary_for

    index = _index(settings)
    ensure_index(index, settings)
    glossary = glossary_for(index.snapshot())
    if term is None:
        entries = glossary.sorted()
        if as_json:
            click.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=1))
            return
        for entry in entries:
            click.echo(f"{entry.term}  ({entry.citation})")
        click.echo(f"{len(entries)} terms.", err=True)
        return
    entries, exact = glossary.lookup(term)
    if as_json:
        click.echo(json.dumps({"query": term, "exact": exact, "entries": [e.to_dict() for e in entries]}, ensure_ascii=False, indent=1))
        if not entries:
            sys.exit(1)
        return
    if not entries:
        raise click.ClickException(f"no glossary term matches {term!r}; run `cpassist glossary` for the list")
    if not exact:
        click.echo(f"No term is exactly {term!r}; the closest:\n")
    for entry in entries:
        names = " / ".join((entry.term, *entry.aliases))
        click.echo(f"{names}\n  {entry.definition}\n  Source: {entry.citation}\n")


@main.command("quiz")
@click.option("--n", "count", type=click.IntRange(1, 100), default=10, show_default=True, help="Number of questions.")
@click.option("--seed", type=int, default=None, help="Random seed (the same seed asks the same questions).")
@click.option("--answers-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="Answers a-d, one per line, instead of typing them.")
@click.option("--json", "as_json", is_flag=True, help="Print the questions with their answers and sources as JSON lines; no quiz.")
@click.pass_obj
def quiz_command(settings: Settings, count: int, seed: int | None, answers_file: Path | None, as_json: bool) -> None:
    """Test yourself: multiple-choice questions from the corpus, each answer cited to its passage."""
    from assistant import quiz

    index = _index(settings)
    ensure_index(index, settings)
    questions = quiz.generate_for(index.snapshot(), n=count, seed=seed)
    if not questions:
        raise click.ClickException("the indexed documents give no quiz questions (no definitions, time limits or effluent limits found)")
    if as_json:
        for question in questions:
            click.echo(json.dumps(question.to_dict(), ensure_ascii=False))
        return
    given = iter(answers_file.read_text(encoding="utf-8").splitlines()) if answers_file else None
    interactive = given is None and sys.stdin.isatty()
    results = []
    for number, question in enumerate(questions, start=1):
        click.echo(quiz.render_question(number, len(questions), question))
        if interactive:
            letter = None
            while letter is None:
                reply = click.prompt("Your answer (a-d, Enter to skip)", default="", show_default=False)
                if not reply.strip():
                    break
                letter = quiz.parse_answer(reply)
        else:
            line = next(given, None) if given is not None else sys.stdin.readline() or None
            letter = quiz.parse_answer(line)
            click.echo(f"Your answer: {letter or '-'}")
        result = quiz.QuizResult(question, letter)
        results.append(result)
        click.echo(quiz.render_reveal(result) + "\n")
    click.echo(quiz.score_line(results))
