"""Look and behaviour of the page: a theme with system fonts only (nothing fetched from another
host), the CSS of the cards and document view, the one script that turns clicks on markers,
cards and previous/next buttons into an "open" event (and keeps the chat's aria-labels plain
text), and the small scripts that bring what just changed into view.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

# Urdu script in Noto Nastaliq Urdu, served by the app itself (OFL, ui/fonts/OFL.txt): a machine
# without an Urdu font still shows Urdu, and nothing is fetched from another host. Its
# unicode-range keeps it to Arabic-script text, so the browser only loads it when some is shown.
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
URDU_FONT = "Noto Nastaliq Urdu"
URDU_FONT_FACE = (
    f'@font-face {{ font-family: "{URDU_FONT}"; font-display: swap; '
    f'src: url("/gradio_api/file={FONTS_DIR / "NotoNastaliqUrdu-Regular.ttf"}") format("truetype"); '
    "unicode-range: U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF; }"
)
SYSTEM_FONTS = [URDU_FONT, "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def theme() -> gr.themes.Base:
    # Gradio's subdued grey measures 1.91:1 on white and its emerald accent 2.5:1 (issue 16, axe);
    # these pass WCAG AA (4.5:1): grey 7.6:1, emerald-700 5.5:1 (text on white, white on it).
    return gr.themes.Default(primary_hue="emerald", font=SYSTEM_FONTS, font_mono=MONO_FONTS).set(
        body_text_color_subdued="#4b5563",
        body_text_color_subdued_dark="#d1d5db",
        color_accent="*primary_700",
        color_accent_soft="*primary_50",
        link_text_color="*primary_700",
        link_text_color_hover="*primary_800",
        link_text_color_visited="*primary_800",
        link_text_color_active="*primary_800",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_border_color="*primary_700",
        button_primary_text_color="white",
    )


# Installed once per page by the sources panel's js_on_load. `trigger` is refreshed on every
# load so the listener always reaches the live component. Capture phase, so a marker inside a
# chat message opens the passage instead of following the link or selecting the message.
# `view` names the tab whose document view shows the passage (ask, glossary, study).
# Gradio labels each chat message with its raw Markdown and HTML ("bot's message: <a class=..."),
# which a screen reader would spell out: the labels are rewritten to the text shown.
BRIDGE_JS = """
window.cpOpen = (passage, turn, view) => trigger('open', {passage: passage, turn: turn, view: view});
if (!window.cpBridge) {
  window.cpBridge = true;
  const open = (event) => {
    const target = event.target.closest && event.target.closest('[data-passage], a[href^="#cp-open?"]');
    if (!target) return false;
    event.preventDefault();
    event.stopPropagation();
    const link = target.dataset.passage === undefined ? new URLSearchParams(target.getAttribute('href').slice(9)) : null;
    const passage = link ? link.get('passage') : target.dataset.passage;
    const turn = link ? link.get('turn') : target.dataset.turn;
    window.cpOpen(passage, Number(turn || -1), link ? 'ask' : (target.dataset.view || 'ask'));
    return true;
  };
  document.addEventListener('click', (event) => {
    const skip = event.target.closest && event.target.closest('a.cp-skip');
    if (!skip) return open(event);
    event.preventDefault();
    const box = document.querySelector('#cp-question textarea');
    box.scrollIntoView({block: 'center'});
    box.focus({preventScroll: true});
  }, true);
  document.addEventListener('keydown', (event) => {
    if ((event.key === 'Enter' || event.key === ' ') && event.target.matches && event.target.matches('.cp-card')) open(event);
  }, true);
  const plainLabels = () => document.querySelectorAll('#cp-chat [aria-label*="s message: "]').forEach((message) => {
    const label = message.getAttribute('aria-label');
    const plain = label.slice(0, label.indexOf("s message: ") + 11) + message.innerText.replace(/\\s+/g, ' ').trim();
    if (label !== plain) message.setAttribute('aria-label', plain);
  });
  // Gradio writes dir="ltr" on the question box; "auto" takes the direction of what is typed.
  const autoDirection = () => document.querySelectorAll('#cp-question textarea:not([dir="auto"])').forEach((box) => box.setAttribute('dir', 'auto'));
  autoDirection();
  new MutationObserver(autoDirection).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['dir']});
  new MutationObserver(plainLabels).observe(document.body, {subtree: true, childList: true, characterData: true,
                                                            attributes: true, attributeFilter: ['aria-label']});
}
"""

# A document view brings the highlighted sentence (else the passage) into view whenever it
# changes, once its tab is shown; also when it first mounts, which for the chat's "Document
# view" tab is the first passage opened. The result of a check or a status line likewise.
DOC_VIEW_JS = """
const bringIntoView = (tries) => {
  const target = element.querySelector('.cp-focus mark') || element.querySelector('.cp-focus');
  if (!target) return;
  if (!element.offsetParent && tries < 20) return setTimeout(() => bringIntoView(tries + 1), 50);
  target.scrollIntoView({block: target.tagName === 'MARK' ? 'center' : 'start'});
};
watch('value', () => setTimeout(() => bringIntoView(0), 50));
setTimeout(() => bringIntoView(0), 50);
"""
RESULT_INTO_VIEW_JS = """
watch('value', () => setTimeout(() => {
  const box = element.getBoundingClientRect();
  if (box.top < 0 || box.top > window.innerHeight * 0.6) element.scrollIntoView({block: 'start'});
}, 50));
"""
STATUS_INTO_VIEW_JS = """
const showStatus = () => setTimeout(() => { if (element.innerText.trim()) element.scrollIntoView({block: 'nearest'}); }, 50);
watch('value', showStatus);
showStatus();
"""

CSS = URDU_FONT_FACE + """
.gradio-container { max-width: 1280px !important; }
/* Urdu reads right to left, and Nastaliq needs taller lines; the question box takes the
   direction of what is typed in it (dir="auto", set by BRIDGE_JS). */
[lang="ur"] { direction: rtl; text-align: right; line-height: 2.3; }
#cp-question textarea { unicode-bidi: plaintext; }
#cp-question textarea:dir(rtl) { line-height: 2.1; }
@media (min-width: 900px) { #cp-right, .cp-side { position: sticky; top: 0.5rem; align-self: flex-start; max-height: calc(100vh - 1rem); overflow-y: auto; } }
#cp-header .cp-title { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0 1rem; }
#cp-header h1 { margin: 0; font-size: 1.5rem; }
#cp-header p { margin: 0.2rem 0 0; color: var(--body-text-color-subdued); }
/* Skip link: shown when focused from the keyboard, and always on a phone, where the chat pushes the box below the fold. */
a.cp-skip { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
a.cp-skip:focus, a.cp-skip:focus-visible { position: static; width: auto; height: auto; display: inline-block;
  padding: 0.15rem 0.5rem; border-radius: 6px; outline: 2px solid var(--color-accent); }
@media (max-width: 720px) {
  a.cp-skip { position: static; width: auto; height: auto; display: inline-block; }
  #cp-header p { font-size: 0.9rem; }
  .cp-examples button { padding: 3px 8px !important; font-size: 0.85rem !important; min-height: 0 !important; }
  .cp-examples h4 { font-size: 0.9rem; }
}
/* Gradio fades bot messages to 0.8 opacity, which takes the [n] links below 4.5:1 contrast (axe). */
#cp-chat .message .prose { opacity: 1; }
#cp-feedback-status .cp-status { margin: 0.2rem 0; padding: 0.35rem 0.6rem; border-radius: 6px; background: var(--color-accent-soft); }
a.cp-cite { color: var(--color-accent); font-size: 0.88rem; text-decoration: underline; cursor: pointer; }
.cp-cites { margin: 0; padding-left: 1.1rem; }
.cp-senses { margin: 0; padding-left: 1.1rem; }
#cp-filter-line p { margin: 0; font-size: 0.9rem; }
.cp-examples button { white-space: normal !important; text-align: left !important; justify-content: flex-start !important; height: auto !important; }
.cp-examples h4 { margin: 0; font-size: 0.95rem; }
.cp-examples .form, .cp-examples .column { gap: 6px !important; }
#cp-chat .cp-about { padding: 0.6rem 0.9rem; }
.cp-panel h3 { margin: 0 0 0.5rem; font-size: 1.05rem; }
.cp-sub { font-weight: normal; color: var(--body-text-color-subdued); font-size: 0.9em; }
.cp-empty { color: var(--body-text-color-subdued); padding: 0.5rem 0; }
.cp-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.6rem 0.75rem; margin: 0 0 0.6rem;
  cursor: pointer; background: var(--background-fill-primary); }
.cp-card:hover, .cp-card:focus { border-color: var(--color-accent); outline: none; box-shadow: 0 0 0 2px var(--color-accent-soft); }
.cp-card-title { font-weight: 600; }
.cp-n { color: var(--color-accent); }
.cp-meta, .cp-trail, .cp-doc-heading { font-size: 0.85rem; color: var(--body-text-color-subdued); margin: 0.15rem 0 0.35rem; }
.cp-text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.92rem; line-height: 1.45; }
.cp-open { font-size: 0.85rem; color: var(--color-accent); margin-top: 0.3rem; }
.cp-panel mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
.cp-doc-passage { padding: 0.5rem 0.7rem; margin: 0 0 0.5rem; border-left: 3px solid transparent; opacity: 0.8; }
details.cp-doc-passage summary { cursor: pointer; }
.cp-doc-passage.cp-focus { border-left-color: var(--color-accent); background: var(--background-fill-secondary); opacity: 1; }
.cp-doc-text { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.5; font-size: 0.95rem; }
.cp-warn { font-size: 0.85rem; color: #92400e; background: #fef3c7; padding: 0.3rem 0.5rem; border-radius: 6px; }
.cp-nav { display: flex; gap: 0.5rem; flex-wrap: wrap; }
.cp-navbtn { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 0.25rem 0.6rem; background: var(--background-fill-primary);
  cursor: pointer; font-weight: normal; font-size: 0.9rem; color: var(--color-accent); }
.cp-about ul { margin: 0.3rem 0 0.5rem 1.2rem; }
.cp-about p { margin: 0.3rem 0; }
a.cp-ref { text-decoration: none; font-weight: 600; color: var(--color-accent); cursor: pointer; }
a.cp-src { font-weight: normal; font-size: 0.9em; }
#cp-eff-intro p { margin: 0.2rem 0 0.4rem; }
.cp-eff-summary { margin: 0 0 0.5rem; }
.cp-eff-message { padding: 0.5rem 0.75rem; border-radius: 6px; margin: 0 0 0.6rem; border-left: 4px solid; }
.cp-eff-message ul { margin: 0.3rem 0 0 1.2rem; }
.cp-eff-message code { white-space: pre-wrap; overflow-wrap: anywhere; }
#cp-eff-result .cp-eff-table { width: 100%; border-collapse: collapse; border: none; font-size: 0.9rem; margin: 0; }
#cp-eff-result .cp-eff-table th { text-align: left; font-weight: 600; padding: 0.35rem 0.5rem; border: none; white-space: nowrap;
  border-bottom: 2px solid var(--border-color-primary); background: none; }
#cp-eff-result .cp-eff-table td { padding: 0.35rem 0.5rem; vertical-align: top; border: none; border-bottom: 1px solid var(--border-color-primary);
  overflow-wrap: anywhere; }
#cp-eff-result .cp-eff-table tr { border-style: none; }
#cp-eff-result .cp-eff-table td:first-child { border-left: 4px solid var(--cp-eff-tone); font-weight: 600; min-width: 10em; }
#cp-eff-result .cp-eff-table td[data-label="Reason"] { min-width: 14em; }
#cp-eff-result .cp-eff-table td[data-label="Limit"] { overflow-wrap: normal; }
#cp-eff-result .cp-eff-table td:is([data-label="Value"], [data-label="Unit"], [data-label="Margin"], [data-label="SEQS row"]) { white-space: nowrap; }
#cp-eff-result .cp-eff-table .cp-sub { font-weight: normal; font-size: 0.85em; color: var(--body-text-color); opacity: 0.7; }
.cp-eff-badge { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 999px; font-weight: 600; font-size: 0.85em; white-space: nowrap; }
.cp-eff-green { --cp-eff-tone: #16a34a; background: rgba(22, 163, 74, 0.07); border-color: var(--cp-eff-tone); }
.cp-eff-green .cp-eff-badge { background: #dcfce7; color: #166534; }
.cp-eff-red { --cp-eff-tone: #dc2626; background: rgba(220, 38, 38, 0.09); border-color: var(--cp-eff-tone); }
.cp-eff-red .cp-eff-badge { background: #fee2e2; color: #991b1b; }
.cp-eff-grey { --cp-eff-tone: #9ca3af; background: rgba(107, 114, 128, 0.08); border-color: var(--cp-eff-tone); }
.cp-eff-grey .cp-eff-badge { background: #e5e7eb; color: #374151; }
.cp-eff-amber { --cp-eff-tone: #d97706; background: rgba(217, 119, 6, 0.09); border-color: var(--cp-eff-tone); }
.cp-eff-amber .cp-eff-badge { background: #fef3c7; color: #92400e; }
.cp-eff-source { font-size: 0.85rem; color: var(--body-text-color-subdued); margin: 0.5rem 0 0; }
/* Triage, Glossary and Study tabs. The filter's checkbox wraps under the topic on a phone instead of a word a line beside it. */
#cp-tri-topic { min-width: min(200px, 100%) !important; }
#cp-tri-human { min-width: min(240px, 100%) !important; }
#cp-tri-intro p, #cp-gloss-intro p, #cp-study-intro p { margin: 0.2rem 0 0.4rem; }
.cp-tri-facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.8rem; margin: 0 0 0.5rem; font-size: 0.92rem; }
.cp-tri-facts dt { font-weight: 600; }
.cp-tri-facts dd { margin: 0; }
.cp-tri-reply h4, .cp-study h4 { margin: 0.6rem 0 0.2rem; font-size: 0.95rem; }
.cp-tri-sources { margin: 0.2rem 0 0 1.2rem; font-size: 0.9rem; overflow-wrap: anywhere; }
#cp-gloss-list .cp-gloss-table { width: 100%; border-collapse: collapse; border: none; font-size: 0.92rem; margin: 0; }
#cp-gloss-list .cp-gloss-table tr { border-style: none; }
#cp-gloss-list .cp-gloss-table th, #cp-gloss-list .cp-gloss-table td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem;
  border: none; border-bottom: 1px solid var(--border-color-primary); background: none; overflow-wrap: anywhere; }
#cp-gloss-list .cp-gloss-table td:first-child { font-weight: 600; min-width: 9em; }
.cp-gloss-entry { cursor: default; }
.cp-study-q { margin: 0 0 0.4rem; }
.cp-study-answer p { margin: 0 0 0.6rem; line-height: 1.5; }
.cp-quiz-q p { white-space: normal; line-height: 1.5; }
.cp-quiz-evidence { margin: 0.4rem 0; padding-left: 0.7rem; border-left: 3px solid var(--border-color-primary); white-space: pre-wrap; }
/* A phone: one card per parameter, each cell headed by its column name. */
@media (max-width: 720px) {
  #cp-eff-result .cp-eff-table thead { display: none; }
  #cp-eff-result .cp-eff-table, #cp-eff-result .cp-eff-table tbody, #cp-eff-result .cp-eff-table tr, #cp-eff-result .cp-eff-table td {
    display: block; width: 100%; box-sizing: border-box; }
  #cp-eff-result .cp-eff-table tr { border-style: solid; border-width: 1px 1px 1px 5px; border-radius: 6px; margin: 0 0 0.6rem; padding: 0.3rem 0; }
  #cp-eff-result .cp-eff-table td { border: none; padding: 0.1rem 0.6rem 0.1rem 6.4rem; position: relative; min-height: 1.3em;
    min-width: 0; white-space: normal; }
  #cp-eff-result .cp-eff-table td::before { content: attr(data-label); position: absolute; left: 0.6rem; width: 5.4rem; font-weight: 600;
    font-size: 0.85em; color: var(--body-text-color); opacity: 0.65; }
  #cp-eff-result .cp-eff-table td:first-child { border: none; }
  #cp-eff-result .cp-eff-table td:empty { display: none; }
}
"""

# Gradio scopes `css` to the app's content, so the page margin (on an ancestor) is set through `head`.
HEAD = "<style>@media (max-width: 640px) { .gradio-container .main { padding-left: 10px; padding-right: 10px; } }</style>"
