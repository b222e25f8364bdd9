"""Numbers as people write them in tables and lab reports, read without guesswork.

Plain ("12.5"), thousands-separated ("1,200"), lakh-grouped ("1,00,000") and decimal-comma
("12,5", "0,125") numbers are read into exact decimals; a reading that needs saying comes with a
note, and one that could mean two things is refused with the reason. Shared by every standards
table and by the lab-report reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


def format_number(number: float | Decimal | None) -> str:
    """A number as written by a person: no exponent, no trailing zeros."""
    if number is None:
        return ""
    text = format(as_decimal(number), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def as_decimal(number: float | Decimal) -> Decimal:
    """Decimal of the shortest repr, so 0.1 compares as the 0.1 that was written."""
    return number if isinstance(number, Decimal) else Decimal(repr(number))


_PLAIN_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_LAKH = re.compile(r"[1-9]\d?(?:,\d{2})+,\d{3}(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d+")


@dataclass(frozen=True)
class Number:
    """A parsed number and how it was read, when the reading needs saying."""

    value: Decimal
    note: str = ""


_PLAUSIBLE_EXPONENTS = range(-30, 31)


def parse_number(text: str) -> Number | str:
    """Read one unsigned number; a reason string when it cannot be read safely or is absurd."""
    number = _read_number(text)
    if isinstance(number, Number) and number.value and number.value.adjusted() not in _PLAUSIBLE_EXPONENTS:
        return f"{text!r} is not a plausible result"
    return number


def _read_number(text: str) -> Number | str:
    """Plain, thousands-separated, lakh-grouped or decimal-comma number."""
    if _PLAIN_NUMBER.fullmatch(text):
        return Number(Decimal(text))
    if _THOUSANDS.fullmatch(text):
        return Number(Decimal(text.replace(",", "")))
    if _LAKH.fullmatch(text):
        plain = text.replace(",", "")
        return Number(Decimal(plain), f"read {text!r} with lakh grouping as {plain}")
    if _DECIMAL_COMMA.fullmatch(text):
        whole, fraction = text.split(",")
        if len(fraction) <= 2 or whole == "0":
            value = Decimal(f"{whole}.{fraction}")
            return Number(value, f"read {text!r} as a decimal comma: {format_number(value)}")
        return f"{text!r} is ambiguous: a decimal comma or a thousands separator"
    return f"could not read {text!r} as a number"


# Numbers written as words, in English and Roman Urdu ("seven floors", "two hundred and forty
# sq yd", "ek lakh sq ft", "half a mile"), read as digits where a figure may follow.
_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "ek": 1, "do": 2, "teen": 3, "char": 4, "chaar": 4, "panch": 5, "paanch": 5, "chhe": 6, "chay": 6,
    "saat": 7, "aath": 8, "nau": 9, "das": 10, "gyarah": 11, "barah": 12, "pandrah": 15, "bees": 20,
    "pachees": 25, "tees": 30, "chalees": 40, "chaalees": 40, "pachas": 50, "pachaas": 50,
    "sattar": 70, "assi": 80, "nabbay": 90,
    "dhai": 2.5, "dhaai": 2.5, "dedh": 1.5, "derh": 1.5, "dairh": 1.5,
}
_HUNDREDS = {"hundred": 100, "sau": 100}
# Group words, also read after digits ("2 lakh square yards", "1.2 lac sqft").
GROUPS = {
    "thousand": 1000, "hazar": 1000, "hazaar": 1000, "lakh": 100000, "lakhs": 100000, "lac": 100000, "lacs": 100000,
    "million": 1000000,
}
# Words that are numbers only beside another number word: "do sau" is 200, "do" alone is English.
_ONLY_IN_RUNS = frozenset({"do"})
_NUMBER_WORD = "|".join(sorted([*_UNITS_WORDS, *_HUNDREDS, *GROUPS], key=len, reverse=True))
_NUMBER_RUN = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORD}))*\b", re.IGNORECASE
)
_HALF = re.compile(r"\bhalf\s+an?\b", re.IGNORECASE)
_AND_A_HALF = re.compile(r"\b(\d+) and a half\b", re.IGNORECASE)


def spelled_numbers(text: str) -> str:
    """The text with its numbers in words written as digits ("seven floors" -> "7 floors",
    "ek lakh sq ft" -> "100000 sq ft", "half a mile" -> "0.5 mile", "dhai lakh" and "two and a
    half lakh" -> 250000). A group word alone
    ("lakh") is left as written: after digits it is read by the figure reader itself."""
    text = _AND_A_HALF.sub(lambda m: f"{m.group(1)}.5", _NUMBER_RUN.sub(_digits, grouped_numbers(text)))
    return _HALF.sub("0.5", text)


# Digits with group words, in English, Roman Urdu or Urdu script: "5 lakh 10 thousand",
# "5 لاکھ 10 ہزار" (510000), "20 ہزار" (20000).
_URDU_GROUPS = {"ہزار": 1000, "لاکھ": 100000, "کروڑ": 10000000}
_ALL_GROUPS = {**GROUPS, "crore": 10000000, "crores": 10000000, **_URDU_GROUPS}
_GROUP_WORD = "|".join(sorted(_ALL_GROUPS, key=len, reverse=True))
_GROUP_PAIR = rf"\d+(?:\.\d+)?\s*(?:{_GROUP_WORD})(?![\w\u0600-\u06FF])"
_GROUP_RUN = re.compile(
    rf"(?<![\d.,])(?:{_GROUP_PAIR})(?:\s+(?:{_GROUP_PAIR}))+"
    rf"|(?<![\d.,])\d+(?:\.\d+)?\s*(?:{'|'.join(_URDU_GROUPS)})(?![\u0600-\u06FF])",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(r"(?:\brs\.?|\bpkr|\brupees|روپے)\s*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(r"\s*(?:rs\b|rupees\b|pkr\b|روپے|روپیہ)", re.IGNORECASE)


def grouped_numbers(text: str) -> str:
    """Runs of digits and group words as one number: "5 lakh 10 thousand sq ft" is 510000 sq ft
    (the figure reader alone would take "10 thousand sq ft"), and an Urdu group word after digits
    ("20 ہزار ٹن") is read as its number, since the term table glosses it in words."""

    def total(match: re.Match) -> str:
        before, after = match.string[: match.start()], match.string[match.end() :]
        if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after):
            return match.group()  # a sum of money is read by its own reader ("Rs 2 crore 50 lakh")
        value = sum(
            Decimal(number) * _ALL_GROUPS[word.casefold()]
            for number, word in re.findall(rf"(\d+(?:\.\d+)?)\s*({_GROUP_WORD})", match.group(), re.IGNORECASE)
        )
        return format_number(value)

    return _GROUP_RUN.sub(total, text)


def _digits(match: re.Match) -> str:
    words = [w for w in re.split(r"[\s-]+", match.group().casefold()) if w != "and"]
    if words[0] in GROUPS or (len(words) == 1 and words[0] in _ONLY_IN_RUNS | set(_HUNDREDS)):
        return match.group()
    total = current = 0
    for word in words:
        if word in _UNITS_WORDS:
            current += _UNITS_WORDS[word]
        elif word in _HUNDREDS:
            current = (current or 1) * _HUNDREDS[word]
        else:
            total += (current or 1) * GROUPS[word]
            current = 0
    value = total + current
    return str(int(value)) if value == int(value) else str(value)
