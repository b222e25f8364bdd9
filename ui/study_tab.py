"""The "Study" tab, for trainees: a topic list with the cited explanation from the corpus, and a quiz.

Topics: each asks the Assistant one fixed question ("What is eco-efficiency?") and shows the
answer with its [n] and one source card per citation (the chat's render helpers), then the
other passages retrieved for it ("related"). Each [n] and card opens its passage, highlighted,
in the tab's own document view. When the documents do not cover the topic the abstention and
the closest passages are shown, never a guess.

Quiz me: assistant/quiz.generate (verified questions, the same seed asks the same questions),
one at a time as radio choices; "Check" reveals the answer with its source passage, counts it
in the session score (gr.State) and locks the choice until the next question. Every piece of
corpus text is escaped.
"""

from __future__ import annotations

import logging
import re
from html import escape
from types import SimpleNamespace

import gradio as gr

from assistant.schema import answer_json, hit_json
from ui import render
from ui.theme import DOC_VIEW_JS

log = logging.getLogger(__name__)

PRIVATE = {"api_visibility": "private"}
VIEW = "study"
TOPICS: dict[str, str] = {
    "Cleaner production": "What is cleaner production?",
    "Eco-efficiency": "What is eco-efficiency?",
    "Multilateral environmental agreements (MEAs)": "What are multilateral environmental agreements?",
    "Basel Convention": "What does the Basel Convention regulate?",
    "Stockholm Convention": "What is the goal of the Stockholm Convention?",
    "Rotterdam Convention": "What is the objective of the Rotterdam Convention?",
    "IEE vs EIA": "What is the difference between an initial environmental examination and an environmental impact assessment?",
    "NEQS / SEQS": "What are the environmental quality standards for industrial effluent?",
}
RELATED = 3
INTRO = (
    "### Study\n"
    "Choose a topic to read what the documents say about it, with the passages cited; or test yourself with **Quiz me**: "
    "multiple-choice questions made from the documents, each answer shown with its source."
)
TOPIC_HINT = '<div class="cp-panel cp-empty">Choose a topic on the left.</div>'
DOCUMENT_HINT = '<div class="cp-panel cp-empty">Click an [n] or a source card to read the passage in its document.</div>'
QUIZ_HINT = '<div class="cp-panel cp-empty">Choose how many questions and press <strong>Start quiz</strong>.</div>'
_MARKER = re.compile(r"\[(\d+)\]")


# ---------------------------------------------------------------- topics


def _marker(match: re.Match, passages: dict[int, str]) -> str:
    """An [n] that opens its passage in this tab's document view (plain text when it cites nothing)."""
    n = int(match.group(1))
    if n not in passages:
        return match.group(0)
    return (
        f'<a class="cp-ref" href="#cp-study-document" data-passage="{escape(passages[n], quote=True)}" data-turn="-1"'
        f' data-view="{VIEW}" title="Open this passage in its document">[{n}]</a>'
    )


def answer_html(record: dict) -> str:
    """The answer text (escaped) with its [n] markers, and a note when the documents do not cover it."""
    passages = {c["n"]: c["passage_id"] for c in record.get("citations", [])}
    text = _MARKER.sub(lambda m: _marker(m, passages), escape(record.get("answer", "")))
    if record.get("abstained"):
        return f'<div class="cp-panel cp-study-answer"><p><strong>Not covered by these documents.</strong> {text}</p></div>'
    return f'<div class="cp-panel cp-study-answer"><p>{text}</p></div>'


def related_html(hits: list[dict]) -> str:
    if not hits:
        return ""
    cards = "".join(render._card(hit, -1, None, VIEW) for hit in hits)
    return f'<div class="cp-panel cp-sources"><h3>Related passages</h3>{cards}</div>'


def topic_html(record: dict, related: list[dict]) -> str:
    """Topic heading, the cited answer, one card per source, then related passages."""
    question = escape(record.get("question", ""))
    head = f'<h3 class="cp-study-q">{question}</h3>'
    sources = render.source_cards(record, 0, view=VIEW).replace("for answer 1 · ", "") if not record.get("abstained") else ""
    return f'<div class="cp-study">{head}{answer_html(record)}{sources}{related_html(related)}</div>'


# ---------------------------------------------------------------- quiz


def parse_seed(seed: str | int | None) -> int | None:
    """A whole number typed as the seed; anything else (blank included) means a fresh random quiz."""
    try:
        return int(str(seed).strip()) if seed is not None and str(seed).strip() else None
    except ValueError:
        return None


def new_quiz(questions: list[dict]) -> dict:
    return {"questions": questions, "i": 0, "answered": False, "right": 0, "done": 0}


def score_text(state: dict | None) -> str:
    if not state or not state.get("questions"):
        return ""
    right, done = state["right"], state["done"]
    pct = f" ({100 * right / done:.0f}%)" if done else ""
    return f"**Score: {right}/{done}**{pct} · question {min(state['i'] + 1, len(state['questions']))} of {len(state['questions'])}"


def question_html(state: dict | None) -> str:
    if not state or not state.get("questions"):
        return QUIZ_HINT
    if state["i"] >= len(state["questions"]):
        return f'<div class="cp-panel cp-quiz-done"><h3>Quiz finished</h3><p>You got {state["right"]} of {state["done"]} right. Start a new quiz for more.</p></div>'
    q = state["questions"][state["i"]]
    prompt = escape(q["prompt"]).replace("\n", "<br>")
    return f'<div class="cp-panel cp-quiz-q"><h3>Question {state["i"] + 1} of {len(state["questions"])}</h3><p>{prompt}</p></div>'


def choices(state: dict | None) -> list[tuple[str, str]]:
    """Radio choices (label, letter) of the current question."""
    if not state or state["i"] >= len(state.get("questions", [])):
        return []
    return [(f"{letter}) {text}", letter) for letter, text in state["questions"][state["i"]]["options"].items()]


def check(state: dict, letter: str | None) -> tuple[dict, str]:
    """Reveal the current question's answer with its cited passage; counts once per question."""
    if not state or state["i"] >= len(state.get("questions", [])):
        return state, ""
    q = state["questions"][state["i"]]
    if not letter:
        return state, '<div class="cp-eff-message cp-eff-amber" role="status">Choose an answer first.</div>'
    correct = letter == q["answer"]
    if not state["answered"]:
        state = {**state, "answered": True, "right": state["right"] + int(correct), "done": state["done"] + 1}
    answer = f"({q['answer']}) {q['options'][q['answer']]}"
    head = f"Correct: {escape(answer)}." if correct else f"Not quite: the answer is {escape(answer)}."
    tone = "green" if correct else "red"
    evidence = q["evidence"] if len(q["evidence"]) <= 500 else q["evidence"][:500].rsplit(" ", 1)[0] + " …"
    source = q["citation"].removesuffix(f" [{q['passage_id']}]")  # the passage id is the code's, not the reader's
    reveal = (
        f'<div class="cp-eff-message cp-eff-{tone} cp-quiz-reveal" role="status"><strong>{head}</strong>'
        f'<blockquote class="cp-quiz-evidence">“{escape(evidence)}”</blockquote>'
        f'<div class="cp-meta">Source: {escape(source)}</div></div>'
    )
    return state, reveal


def advance(state: dict) -> dict:
    if not state or not state.get("questions"):
        return state
    return {**state, "i": min(state["i"] + 1, len(state["questions"])), "answered": False}


# ---------------------------------------------------------------- the tab


def build() -> SimpleNamespace:
    ui = SimpleNamespace(quiz=gr.State(None), record=gr.State(None))  # record: the topic's answer, for its highlights
    gr.Markdown(INTRO, elem_id="cp-study-intro")
    with gr.Tabs(elem_id="cp-study-tabs"):
        with gr.Tab("Topics", id="study-topics"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=1, min_width=200):
                    ui.topic = gr.Radio(list(TOPICS), label="Topic", elem_id="cp-study-topic")
                with gr.Column(scale=3, min_width=300):
                    ui.explanation = gr.HTML(TOPIC_HINT, js_on_load=None, elem_id="cp-study-explanation")
                with gr.Column(scale=2, min_width=280, elem_classes="cp-side"):
                    ui.document = gr.HTML(DOCUMENT_HINT, js_on_load=DOC_VIEW_JS, elem_id="cp-study-document")
        with gr.Tab("Quiz me", id="study-quiz"):
            with gr.Row(equal_height=True):
                ui.count = gr.Slider(3, 20, value=5, step=1, label="Number of questions", scale=3, elem_id="cp-quiz-count")
                ui.seed = gr.Textbox(label="Seed (optional: the same seed asks the same questions)", placeholder="e.g. 42", max_lines=1, scale=2, elem_id="cp-quiz-seed")
                ui.start = gr.Button("Start quiz", variant="primary", scale=1, elem_id="cp-quiz-start")
            ui.score = gr.Markdown("", elem_id="cp-quiz-score")
            ui.question = gr.HTML(QUIZ_HINT, js_on_load=None, elem_id="cp-quiz-question")
            ui.choice = gr.Radio([], label="Your answer", visible=False, elem_id="cp-quiz-choice")
            with gr.Row():
                ui.check = gr.Button("Check answer", visible=False, elem_id="cp-quiz-check")
                ui.next = gr.Button("Next question", visible=False, elem_id="cp-quiz-next")
            ui.reveal = gr.HTML("", js_on_load=None, elem_id="cp-quiz-reveal")
    return ui


class StudyTab:
    def __init__(self, bot) -> None:
        self.bot = bot

    def explain(self, topic: str | None) -> tuple[str, dict | None, str]:
        """The cited explanation of one topic (a fixed question to the Assistant) and related passages;
        its record (whose citations say what to highlight) and an empty document view."""
        question = TOPICS.get(topic or "")
        if question is None:
            return TOPIC_HINT, None, DOCUMENT_HINT
        answer = self.bot.ask(question)
        record = answer_json(answer)
        if answer.abstained:
            related = record.pop("related", [])[:RELATED]
        else:
            cited = {c["passage_id"] for c in record["citations"]}
            related = [hit_json(h) for h in answer.related if h.passage.id not in cited][:RELATED]
        return topic_html(record, related), record, DOCUMENT_HINT

    def questions(self, n: int, seed: int | None) -> list[dict]:
        from assistant import quiz

        snapshot = self.bot.index.snapshot()
        if snapshot is None:
            return []
        return [q.to_dict() for q in quiz.generate_for(snapshot, n=int(n), seed=seed)]

    def start(self, n: float, seed: str | int | None) -> tuple:
        questions = self.questions(int(n or 5), parse_seed(seed))
        if not questions:
            state = None
            message = '<div class="cp-panel cp-empty">The indexed documents give no quiz questions (no definitions, time limits or effluent limits).</div>'
            return state, "", message, gr.Radio(choices=[], value=None, visible=False), gr.Button(visible=False), gr.Button(visible=False), ""
        state = new_quiz(questions)
        return self._show(state) + ("",)

    def _show(self, state: dict) -> tuple:
        more = state["i"] < len(state["questions"])
        return (
            state,
            score_text(state),
            question_html(state),
            gr.Radio(choices=choices(state), value=None, visible=more, interactive=True),
            gr.Button(visible=more),
            gr.Button(visible=False),
        )

    def check(self, state: dict, letter: str | None) -> tuple:
        """Reveal the answer; once revealed, the choice is locked and Check gives way to Next."""
        state, reveal = check(state, letter)
        answered = bool(state and state.get("answered"))
        return state, score_text(state), reveal, gr.Radio(interactive=not answered), gr.Button(visible=not answered), gr.Button(visible=answered)

    def next(self, state: dict) -> tuple:
        return self._show(advance(state)) + ("",)

    def wire(self, ui: SimpleNamespace) -> None:
        ui.topic.change(self.explain, [ui.topic], [ui.explanation, ui.record, ui.document], **PRIVATE)
        shown = [ui.quiz, ui.score, ui.question, ui.choice, ui.check, ui.next, ui.reveal]
        ui.start.click(self.start, [ui.count, ui.seed], shown, **PRIVATE)
        ui.check.click(self.check, [ui.quiz, ui.choice], [ui.quiz, ui.score, ui.reveal, ui.choice, ui.check, ui.next], queue=False, **PRIVATE)
        ui.next.click(self.next, [ui.quiz], shown, queue=False, **PRIVATE)
