"""Questions in Urdu script and Roman Urdu: which language a question is in, its English search
form, and the fixed lines an answer in that language opens with.

The documents stay English and answers quote them word for word (law is never machine-translated);
only retrieval reads the question's own language. Detection is cheap on purpose, since it runs on
every question: Urdu script by its letters' Unicode block, Roman Urdu by marker words
(data/roman_urdu_markers.txt) that English text almost never uses. The search form glosses the
question through data/urdu_terms.tsv (Urdu-script and Roman Urdu terms, multi-word ones matched as
phrases, mapped to the corpus's English words) and keeps the Latin-script words the corpus knows
or that name something (EIA, SEPA, Kyoto Protocol), so BM25, MiniLM and the answerability rules
all get English to work on.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from pathlib import Path

from assistant.keyword import tokenize

ENGLISH = "en"
URDU = "ur"
ROMAN_URDU = "ur-Latn"

DATA_DIR = Path(__file__).resolve().parent / "data"
TERMS_FILE = DATA_DIR / "urdu_terms.tsv"
SCREENING_TERMS_FILE = DATA_DIR / "screening_terms.tsv"
MARKERS_FILE = DATA_DIR / "roman_urdu_markers.txt"

# The line an answer in the question's language opens with: the quotes below it are English.
ANSWER_LINE = {
    URDU: "یہ جواب انگریزی دستاویزات سے لیا گیا ہے؛ حوالے نیچے ہیں۔",
    ROMAN_URDU: "Yeh jawab angrezi dastavezat se liya gaya hai; hawale neeche hain.",
}
# The line a withheld answer opens with; the English reason follows it.
NOT_COVERED_LINE = {
    URDU: "اس اسسٹنٹ کی دستاویزات میں اس سوال کا جواب نہیں ہے؛ وجہ انگریزی میں نیچے ہے۔",
    ROMAN_URDU: "Is assistant ki dastavezat mein is sawal ka jawab nahin hai; wajah angrezi mein neeche hai.",
}

# A question is in Urdu script when at least this share of its letters are Arabic-script ones
# (so an English question quoting one Urdu word stays English).
URDU_LETTER_SHARE = 0.5
# Roman Urdu: at least this many marker words, making up at least this share of the words.
MIN_MARKERS = 2
MIN_MARKER_SHARE = 0.15

_ARABIC_SCRIPT = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)
_LATIN_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)*")
# Words and figures: '180', 'mg/L', '4.5', "ma'loomat", and Urdu words after normalise().
# A word, or a number with its thousands separators ("20,000" is one figure, not 20 and 000).
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])|[^\W_]+(?:[./'’][^\W_]+)*")

# Arabic letter forms people type for Urdu ones, and marks that vary between writers.
_URDU_FORMS = str.maketrans(
    {
        "\u0643": "\u06a9",  # Arabic kaf -> keheh
        "\u064a": "\u06cc",  # Arabic yeh -> Farsi yeh
        "\u0649": "\u06cc",  # alef maksura -> Farsi yeh
        "\u0647": "\u06c1",  # Arabic heh -> heh goal
        "\u0629": "\u06c1",  # teh marbuta -> heh goal
        "\u06c2": "\u06c1",  # heh goal with hamza -> heh goal
        "\u06d3": "\u06d2",  # yeh barree with hamza -> yeh barree
        "\u0640": None,  # tatweel
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,  # zero-width joiner
    }
)
_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")
# Urdu (Extended Arabic-Indic) and Arabic-Indic digits, and their decimal and thousands marks:
# "۶۰ بستروں" is 60 beds.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "01234567890123456789.,")


def normalise(text: str) -> str:
    """One spelling per Urdu word: presentation forms unfolded, Arabic letter forms mapped to the
    Urdu ones, diacritics dropped; Latin letters lower-cased."""
    text = unicodedata.normalize("NFKC", text).translate(_URDU_FORMS)
    text = text.replace("\u06cc\u0654", "\u0626")
    return _DIACRITICS.sub("", text).lower()


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def markers() -> frozenset[str]:
    """Roman Urdu marker words (data/roman_urdu_markers.txt; none when the file is missing)."""
    return frozenset(normalise(line) for line in _lines(MARKERS_FILE))


def detect(text: str) -> str:
    """'ur' (Urdu script), 'ur-Latn' (Roman Urdu) or 'en'."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(
        1 for c in letters if _ARABIC_SCRIPT.match(c)
    ) >= URDU_LETTER_SHARE * len(letters):
        return URDU
    words = [word.replace("’", "'") for word in _LATIN_WORD.findall(text.lower())]
    found = sum(1 for word in words if word in markers())
    if found >= MIN_MARKERS and found >= MIN_MARKER_SHARE * len(words):
        return ROMAN_URDU
    return ENGLISH


def _is_marker(word: str) -> bool:
    return _lookup_key(word.strip(".,;:!?()\"'").lower()) in markers()


def without_markers(text: str) -> str:
    """A Roman Urdu text without its marker words (hai, ka, mein, chahiye...). Compared by
    meaning, two Roman Urdu texts come close on those words alone, whatever each is about; what is
    left is what the text is about."""
    return " ".join(word for word in text.split() if not _is_marker(word))


def has_markers(text: str) -> bool:
    """Whether a text uses any Roman Urdu marker word (an English sentence with a few Roman Urdu
    words, which detect() still reads as English, does)."""
    return any(_is_marker(word) for word in text.split())


@dataclass(frozen=True)
class TermTable:
    """Urdu-script and Roman Urdu terms (as normalised token tuples) -> English search words."""

    terms: dict[tuple[str, ...], str] = field(default_factory=dict)

    def lookup(self, keys: list[str]) -> str | None:
        """The English of a term, also when its words are inflected (جائزے for جائزہ, گندے
        پانی for گندا پانی, jurmane for jurmana, karkhanon for karkhana)."""
        for form in product(*([key, *_uninflected(key)] for key in keys)):
            english = self.terms.get(form)
            if english:
                return english
        return None

    @property
    def longest(self) -> int:
        return max((len(key) for key in self.terms), default=0)

    @classmethod
    def load(cls, *paths: Path) -> TermTable:
        """Read the TSVs (columns term, script, english; '#' comments), the first file's term
        winning; a missing file adds nothing. With no path, the question term table."""
        terms: dict[tuple[str, ...], str] = {}
        lines = [line for path in paths or (TERMS_FILE,) for line in _lines(path)]
        rows = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in rows:
            if len(row) < 3 or row[0] == "term":
                continue
            key = tuple(
                _lookup_key(token)
                for token in _TOKEN.findall(normalise(row[0].replace("-", " ")))
            )
            if key and row[2].strip():
                terms.setdefault(key, " ".join(row[2].split()))
        return cls(terms)


@lru_cache(maxsize=1)
def term_table() -> TermTable:
    return TermTable.load()


@lru_cache(maxsize=1)
def screening_term_table() -> TermTable:
    """The question terms and the words of project descriptions, for the screener alone: its
    product and material words would pull a question's search towards the schedules."""
    return TermTable.load(TERMS_FILE, SCREENING_TERMS_FILE)


def _uninflected(word: str) -> list[str]:
    """Base forms of an oblique or plural noun: Urdu ے -> ہ or ا, وں -> ہ, ا or nothing; Roman
    Urdu -e -> -a, -on -> -a or nothing."""
    for ending, bases in (
        ("ے", ("ہ", "ا")),
        ("وں", ("ہ", "ا", "")),
        ("on", ("a", "")),
        ("e", ("a",)),
    ):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return [word[: -len(ending)] + base for base in bases]
    return []


def _lookup_key(token: str) -> str:
    return normalise(token).replace("'", "").replace("’", "")


# Loanwords written in Urdu script (ٹریبونل, نوٹیفکیشن, کنٹینر) are matched to the corpus's English
# words by their consonants: Urdu letters and English spellings both reduced to consonant classes.
# (letter by letter: ب b, پ p, ت ٹ ط t, ث س ص s, ج j, چ C (ch), ح ہ ھ h, خ K (kh), ...; S is sh, G gh)
_CONSONANTS = dict(
    zip(
        "بپتٹطثسصجچحہھخدڈذزضظژرڑشغفقکگلمنں",
        "bptttsssjChhhKddzzzzZrrSGfkkglmnn",
        strict=True,
    )
)
_ENGLISH_SOUNDS = [
    (re.compile(r"[ts]ion"), "Sn"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"g(?=[eiy])"), "j"),
    (re.compile(r"ck|q|c"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"sh"), "S"),
    (re.compile(r"ch"), "C"),
    (re.compile(r"th"), "t"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"[aeiouy]"), ""),
]
_DOUBLED = re.compile(r"(.)\1+")
# Fewer consonants than this match too many native words (کتنا 'ktn' would read as 'cotton').
MIN_LOANWORD_CONSONANTS = 4


def urdu_consonants(word: str) -> str:
    """An Urdu-script word as consonant classes: alef, the vowel letters and ain are dropped, and
    waw too except as a first letter (وارنٹ -> 'vrnt')."""
    letters = [
        ("v" if i == 0 else "") if c == "و" else _CONSONANTS.get(c, "")
        for i, c in enumerate(word)
    ]
    return _DOUBLED.sub(r"\1", "".join(letters))


def english_consonants(word: str) -> str:
    """An English word as the same consonant classes ('notification' -> 'ntfkSn')."""
    word = word.lower()
    for pattern, sound in _ENGLISH_SOUNDS:
        word = pattern.sub(sound, word)
    return _DOUBLED.sub(r"\1", word)


# Latin letters as Urdu spells them, for acronyms written out (پی آئی سی = PIC, ایس ای کیو ایس =
# SEQS). Not 'کے' (K): it is the commonest word of Urdu, the genitive 'ke'.
LETTER_NAMES = {
    "اے": "A",
    "بی": "B",
    "سی": "C",
    "ڈی": "D",
    "ای": "E",
    "ایف": "F",
    "جی": "G",
    "ایچ": "H",
    "آئی": "I",
    "جے": "J",
    "ایل": "L",
    "ایم": "M",
    "این": "N",
    "او": "O",
    "پی": "P",
    "کیو": "Q",
    "آر": "R",
    "ایس": "S",
    "ٹی": "T",
    "یو": "U",
    "وی": "V",
    "ڈبلیو": "W",
    "ایکس": "X",
    "وائی": "Y",
    "زیڈ": "Z",
}


@dataclass(frozen=True)
class Vocabulary:
    """What the corpus uses: its stems (BM25's tokens) and its words by consonant classes."""

    stems: frozenset[str] = frozenset()
    loanwords: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, stems: Iterable[str], texts: Iterable[str]) -> Vocabulary:
        """From the keyword index's stems and the passages' texts; for each consonant skeleton the
        corpus's most frequent word with it."""
        counts = Counter(
            word for text in texts for word in re.findall(r"[a-z]{4,}", text.lower())
        )
        loanwords: dict[str, str] = {}
        for word, _ in counts.most_common():
            loanwords.setdefault(english_consonants(word), word)
        return cls(frozenset(stems), loanwords)

    def loanword(self, word: str) -> str | None:
        skeleton = urdu_consonants(word)
        if len(skeleton) < MIN_LOANWORD_CONSONANTS:
            return None
        return self.loanwords.get(skeleton)


@dataclass(frozen=True)
class Reading:
    """A question as retrieval reads it: its language, and for Urdu the English it is searched as
    (empty for English questions, which are searched as written), the terms the table glossed
    (source, English) and the pieces of the search form in question order (text, glossed or not)."""

    language: str
    searched_as: str = ""
    glossed: tuple[tuple[str, str], ...] = ()
    pieces: tuple[tuple[str, bool], ...] = ()

    @property
    def english(self) -> bool:
        return self.language == ENGLISH

    def worded_as(self, stems: Collection[str]) -> str:
        """The search form with each glossed term cut to the English words that `stems` (the top
        passages') use, or to its first word when they use none. The table lists alternatives
        ('approval licence permission permit'); judged as the question's own words, those the
        passages do not use would count as what they fail to cover, where an English question
        would have used one word."""
        words: list[str] = []
        for text, glossed in self.pieces:
            if not glossed:
                words.append(text)
                continue
            # lower case, but for acronyms: glossed names next to each other would read as one
            # name no document uses ('SEPA Sindh Environmental Protection Agency EIA')
            options = [w if w.isupper() else w.lower() for w in text.split()]
            used = [
                w
                for w in options
                if (found := tokenize(w)) and all(stem in stems for stem in found)
            ]
            words.extend(used or options[:1])
        return _unique_words(words)


def read_share(text: str, reading: Reading) -> float:
    """The share of a question's words (Roman Urdu marker words aside) that its English reading
    kept or glossed: 1.0 for English."""
    if reading.english:
        return 1.0
    words = _TOKEN.findall(without_markers(text) if reading.language == ROMAN_URDU else text)
    kept = sum(len(piece.split()) for piece, _ in reading.pieces)
    return min(1.0, kept / len(words)) if words else 0.0


def read(
    text: str, vocabulary: Vocabulary | None = None, table: TermTable | None = None
) -> Reading:
    """Detect the language; for Urdu and Roman Urdu, gloss the question into English search words.

    Terms in the table give their English; an Urdu-script word outside it that sounds like a word
    of the corpus (`vocabulary`) is taken as that loanword; a Latin-script word is kept when the
    corpus uses it, when it carries a figure, or when it is capitalised mid-sentence (a name such
    as 'CBAM' or 'Kyoto', which the refusal rules must see). Other Roman Urdu words are dropped,
    since to the corpus they are only noise.
    """
    language = detect(text)
    if language == ENGLISH:
        return Reading(language)
    text = text.translate(_DIGITS)
    table = table or term_table()
    vocabulary = vocabulary or Vocabulary()
    tokens = list(_TOKEN.finditer(text.replace("-", " ")))
    keys = [_lookup_key(match.group()) for match in tokens]
    pieces: list[tuple[str, bool]] = []
    glossed: list[tuple[str, str]] = []
    position = 0
    while position < len(tokens):
        for length in range(min(table.longest, len(tokens) - position), 0, -1):
            english = table.lookup(keys[position : position + length])
            if english:
                source = " ".join(
                    match.group() for match in tokens[position : position + length]
                )
                glossed.append((source, english))
                pieces.append((english, True))
                position += length
                break
        else:
            word, step = _unglossed(tokens, keys, position, text, vocabulary)
            if word:
                pieces.append((word, False))
            position += step
    return Reading(
        language,
        _unique_words([text for text, _ in pieces]),
        tuple(glossed),
        tuple(pieces),
    )


def _unglossed(
    tokens: list[re.Match],
    keys: list[str],
    position: int,
    text: str,
    vocabulary: Vocabulary,
) -> tuple[str, int]:
    """What a word the table does not gloss adds to the English search form, and how many tokens
    it took: a loanword may be written as two (ری سائیکلنگ), the first of one or two letters."""
    word, key = tokens[position].group(), keys[position]
    letters = 0
    while position + letters < len(keys) and keys[position + letters] in LETTER_NAMES:
        letters += 1
    if (
        letters >= 2
    ):  # an acronym spelled out; kept as a name, as a Latin-script one would be
        return "".join(
            LETTER_NAMES[key] for key in keys[position : position + letters]
        ), letters
    if _ARABIC_SCRIPT.search(word):
        following = keys[position + 1] if position + 1 < len(keys) else ""
        if len(key) <= 2 and following and not vocabulary.loanword(following):
            joined = vocabulary.loanword(key + following)
            if joined:
                return joined, 2
        return vocabulary.loanword(key) or "", 1
    if key in markers():
        return "", 1
    named = word[:1].isupper() and not _starts_sentence(text, tokens[position].start())
    if any(c.isdigit() for c in word) or named or word.isupper():
        return word, 1
    stems = tokenize(word)
    return (
        word if stems and all(stem in vocabulary.stems for stem in stems) else ""
    ), 1


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".?!؟۔:\n"


def _unique_words(pieces: list[str]) -> str:
    """The pieces joined, each word once (a word repeated would weigh twice in BM25)."""
    seen: set[str] = set()
    words = []
    for word in " ".join(pieces).split():
        if word.lower() not in seen:
            seen.add(word.lower())
            words.append(word)
    return " ".join(words)


def searched_as_line(searched_as: str) -> str:
    """What an Urdu or Roman Urdu question was searched as, in the words every surface shows."""
    return f"Searched in English as: {searched_as or 'no English terms were found'}"


def frame(language: str, text: str, abstained: bool) -> str:
    """An answer's text with the fixed line in the question's language first (English: unchanged)."""
    lines = NOT_COVERED_LINE if abstained else ANSWER_LINE
    return f"{lines[language]}\n\n{text}" if language in lines else text
