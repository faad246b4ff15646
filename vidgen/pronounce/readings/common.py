"""Built-in readings, shared by every language: what to look for in narration (signed and
decimal numbers, units, superscripts, inline math), and how to say it with a language's
`Vocabulary`. Each reading only changes what is spoken; subtitles keep the written text.

Plain whole numbers are left to the engine (every engine reads them well); a number is
read here only when it has a sign, decimals, thousands separators or a unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from num2words import num2words

# (match, the whole shown text) → what to say, or None to leave the match alone.
Say = Callable[[re.Match[str], str], str | None]


@dataclass(frozen=True)
class Reading:
    name: str
    pattern: re.Pattern[str]
    say: Say


@dataclass(frozen=True)
class Unit:
    """A unit's words after 1, after 2–4 (Polish "few"), after other counts, after a fraction."""

    one: str
    few: str
    many: str
    fraction: str


@dataclass(frozen=True)
class Vocabulary:
    """A language's words for what the built-in readings say."""

    code: str  # num2words' language
    point: str
    minus: str
    plus: str
    plus_minus: str
    squared: str
    cubed: str
    power: str
    transposed: str
    marks: Mapping[str, str]  # combining accent → its name ("hat")
    times: str
    by: str  # 3×3: a size
    divided: str
    over: str
    relations: Mapping[str, tuple[str, str]]  # symbol → (after a term: "is less than", alone: "less than")
    units: Mapping[str, Unit]
    decimal_comma: bool = False  # 0,92 is a decimal number (Polish), not a list
    thousands_comma: bool = False  # 1,000 is a thousand (English)
    plural: Callable[[int], str] = lambda n: "one" if n == 1 else "many"
    fraction_words: Callable[[str], str] | None = None  # the digits after the point; default: one by one
    symbols: Mapping[str, str] = field(default_factory=dict)  # other symbols said as words (& in Polish)


SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿⁱᵀᵏ", "0123456789-+niTk")
SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢᵣᵤᵥⱼ", "0123456789aeoxhklmnpstiruvj")
PRECOMPOSED = {"ŷ": ("y", "\u0302"), "ȳ": ("y", "\u0304"), "ā": ("a", "\u0304")}


def _words(number: int, vocabulary: Vocabulary) -> str:
    return num2words(number, lang=vocabulary.code).replace(",", "")


def say_number(sign: str, whole: str, fraction: str | None, vocabulary: Vocabulary) -> str:
    """-0.35 → "minus zero point three five" (num2words says the whole part)."""
    parts = []
    if sign in ("-", "−"):
        parts.append(vocabulary.minus)
    elif sign == "+":
        parts.append(vocabulary.plus)
    parts.append(_words(int(whole.replace(",", "")), vocabulary))
    if fraction:
        parts.append(vocabulary.point)
        if vocabulary.fraction_words:
            parts.append(vocabulary.fraction_words(fraction))
        else:
            parts += [_words(int(digit), vocabulary) for digit in fraction]
    return " ".join(parts)


def _unit_words(unit: Unit, whole: str, fraction: str | None, vocabulary: Vocabulary) -> str:
    if fraction:
        return unit.fraction
    return getattr(unit, vocabulary.plural(int(whole.replace(",", ""))))


def _number_reading(vocabulary: Vocabulary) -> Reading:
    whole = r"\d{1,3}(?:,\d{3})+|\d+" if vocabulary.thousands_comma else r"\d+"
    point = "[.,]" if vocabulary.decimal_comma else r"\."
    units = "|".join(re.escape(u) for u in sorted(vocabulary.units, key=len, reverse=True))
    pattern = re.compile(
        r"(?:(?<![^\s(\[{=:])(?P<sign>[-−+])|(?<![\w.,+\-−]))"  # a sign only after a space or bracket
        rf"(?P<whole>{whole})(?:{point}(?P<fraction>\d+))?(?!\d)(?![.,]\d)"
        rf"(?:\s?(?P<unit>{units})(?!\w))?(?(unit)|(?!\w))"
    )

    def say(match: re.Match[str], text: str) -> str | None:
        sign, digits, fraction, unit = match.group("sign") or "", match.group("whole"), match.group("fraction"), match.group("unit")
        if not (sign or fraction or unit or "," in digits):
            return None  # a plain whole number: the engine reads it well
        spoken = say_number(sign, digits, fraction, vocabulary)
        if unit:
            spoken += " " + _unit_words(vocabulary.units[unit], digits, fraction, vocabulary)
        return spoken

    return Reading("numbers", pattern, say)


def _exponent(text: str, vocabulary: Vocabulary) -> str:
    """"-3" → "minus three", "12" → "twelve", "n" → "n"."""
    sign = {"-": vocabulary.minus, "+": vocabulary.plus}.get(text[:1])
    rest = text[1:] if sign else text
    body = _words(int(rest), vocabulary) if rest.isdigit() else " ".join(rest)
    return f"{sign} {body}" if sign else body


def _superscript(vocabulary: Vocabulary) -> Reading:
    def say(match: re.Match[str], text: str) -> str | None:
        power = match.group(0).translate(SUPERSCRIPTS)
        if power == "2":
            return vocabulary.squared
        if power == "3":
            return vocabulary.cubed
        if power == "T":
            return vocabulary.transposed
        return f"{vocabulary.power} {_exponent(power, vocabulary)}"

    return Reading("powers", re.compile(r"(?<=[\w)\]])[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿⁱᵀᵏ]+"), say)


def _subscript(vocabulary: Vocabulary) -> Reading:
    def say(match: re.Match[str], text: str) -> str | None:
        return " ".join(match.group(0).translate(SUBSCRIPTS))

    return Reading("indices", re.compile(r"(?<=[\w\u0302\u0303\u0304])[₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢᵣᵤᵥⱼ]+"), say)


def _accent(vocabulary: Vocabulary) -> Reading:
    def say(match: re.Match[str], text: str) -> str | None:
        found = match.group(0)
        if found in PRECOMPOSED:
            letter, mark = PRECOMPOSED[found]
            return f"{letter} {vocabulary.marks[mark]}"
        return vocabulary.marks[found]

    marks = "".join(vocabulary.marks)
    return Reading("accents", re.compile(rf"(?<=[A-Za-z])[{marks}]|[{''.join(PRECOMPOSED)}]"), say)


def _operand_before(text: str, start: int) -> str:
    """The run of letters, digits, points and commas just before `start` (spaces skipped)."""
    end = start
    while end > 0 and text[end - 1] == " ":
        end -= 1
    begin = end
    while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in ".,)]²³"):
        begin -= 1
    return text[begin:end].rstrip(".,")


def _operand_after(text: str, end: int) -> str:
    start = end
    while start < len(text) and text[start] == " ":
        start += 1
    stop = start
    while stop < len(text) and (text[stop].isalnum() or text[stop] in ".,(-−"):
        stop += 1
    return text[start:stop].rstrip(".,")


def _is_simple(operand: str) -> bool:
    """A single letter or a number: the operands of a/b worth saying as "a over b"."""
    return bool(re.fullmatch(r"[A-Za-z]|\d+(?:[.,]\d+)?", operand))


def _operators(vocabulary: Vocabulary) -> Reading:
    def say(match: re.Match[str], text: str) -> str | None:
        symbol, start, end = match.group(0), match.start(), match.end()
        before, after = _operand_before(text, start), _operand_after(text, end)
        tight = start > 0 and end < len(text) and text[start - 1].isdigit() and text[end].isdigit()
        if symbol == "×":
            return vocabulary.by if tight else vocabulary.times
        if symbol == "⋅":
            return vocabulary.times
        if symbol == "÷":
            return vocabulary.divided
        if symbol == "±":
            return vocabulary.plus_minus
        if symbol == "−":
            return vocabulary.minus
        if symbol == "/":
            return vocabulary.over if _is_simple(before) and _is_simple(after) else None
        if symbol in vocabulary.symbols:
            return vocabulary.symbols[symbol]
        relation = {"<=": "≤", ">=": "≥", "!=": "≠"}.get(symbol, symbol)
        if relation in vocabulary.relations:
            if not after:
                return None  # "<" with nothing to compare: text, not math
            with_term, alone = vocabulary.relations[relation]
            return with_term if before else alone
        return None

    symbols = "|".join(re.escape(s) for s in vocabulary.symbols)
    extra = f"|{symbols}" if symbols else ""
    pattern = re.compile(r"<=|>=|!=|(?<![<>=!\-])[<>](?![<>=\-])|(?<![<>=!])=(?!=)|[×⋅÷±≈≠≤≥−/]" + extra)
    return Reading("math", pattern, say)


def standard_readings(vocabulary: Vocabulary) -> list[Reading]:
    """In the order they apply: a number with its unit first, so 10 ms stays together."""
    return [_number_reading(vocabulary), _superscript(vocabulary), _accent(vocabulary), _subscript(vocabulary), _operators(vocabulary)]
