"""Polish words for the built-in readings: units agree with their number (1 gigabajt,
2 gigabajty, 5 gigabajtów, 2,5 gigabajta), and 0,92 is a decimal number."""

from __future__ import annotations

from num2words import num2words

from vidgen.pronounce.readings.common import Unit, Vocabulary


def plural(count: int) -> str:
    """Polish plural forms: 1 → one; 2–4, 22–24… (not 12–14) → few; the rest → many."""
    if count == 1:
        return "one"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "few"
    return "many"


def fraction_words(digits: str) -> str:
    """0,05 → "zero pięć", 0,92 → "dziewięćdziesiąt dwa": leading zeros one by one, the
    rest as one number (as Polish speakers read decimals), long tails digit by digit."""
    zeros = len(digits) - len(digits.lstrip("0"))
    rest = digits[zeros:]
    words = ["zero"] * zeros
    if rest:
        words += [num2words(int(rest), lang="pl")] if len(rest) <= 3 else [num2words(int(d), lang="pl") for d in rest]
    return " ".join(words)


def _unit(one: str, few: str, many: str, fraction: str | None = None) -> Unit:
    return Unit(one, few, many, fraction or few)


UNITS = {
    "%": Unit("procent", "procent", "procent", "procent"),
    "ms": _unit("milisekunda", "milisekundy", "milisekund"),
    "µs": _unit("mikrosekunda", "mikrosekundy", "mikrosekund"),
    "μs": _unit("mikrosekunda", "mikrosekundy", "mikrosekund"),
    "ns": _unit("nanosekunda", "nanosekundy", "nanosekund"),
    "Hz": _unit("herc", "herce", "herców", "herca"),
    "kHz": _unit("kiloherc", "kiloherce", "kiloherców", "kiloherca"),
    "MHz": _unit("megaherc", "megaherce", "megaherców", "megaherca"),
    "GHz": _unit("gigaherc", "gigaherce", "gigaherców", "gigaherca"),
    "KB": _unit("kilobajt", "kilobajty", "kilobajtów", "kilobajta"),
    "kB": _unit("kilobajt", "kilobajty", "kilobajtów", "kilobajta"),
    "MB": _unit("megabajt", "megabajty", "megabajtów", "megabajta"),
    "GB": _unit("gigabajt", "gigabajty", "gigabajtów", "gigabajta"),
    "TB": _unit("terabajt", "terabajty", "terabajtów", "terabajta"),
    "dB": _unit("decybel", "decybele", "decybeli", "decybela"),
    "fps": _unit("klatka na sekundę", "klatki na sekundę", "klatek na sekundę"),
    "km": _unit("kilometr", "kilometry", "kilometrów", "kilometra"),
    "cm": _unit("centymetr", "centymetry", "centymetrów", "centymetra"),
    "mm": _unit("milimetr", "milimetry", "milimetrów", "milimetra"),
    "kg": _unit("kilogram", "kilogramy", "kilogramów", "kilograma"),
    "m/s": _unit("metr na sekundę", "metry na sekundę", "metrów na sekundę", "metra na sekundę"),
    "km/h": _unit("kilometr na godzinę", "kilometry na godzinę", "kilometrów na godzinę", "kilometra na godzinę"),
}

VOCABULARY = Vocabulary(
    code="pl",
    point="przecinek",
    minus="minus",
    plus="plus",
    plus_minus="plus minus",
    squared="do kwadratu",
    cubed="do sześcianu",
    power="do potęgi",
    transposed="transponowane",
    marks={"\u0302": "z daszkiem", "\u0304": "z kreską", "\u0303": "z tyldą"},
    times="razy",
    by="na",
    divided="podzielone przez",
    over="przez",
    relations={
        "=": ("równa się", "równa się"),
        "≈": ("jest w przybliżeniu równe", "około"),
        "≠": ("jest różne od", "różne od"),
        "<": ("jest mniejsze od", "mniej niż"),
        ">": ("jest większe od", "więcej niż"),
        "≤": ("jest nie większe niż", "co najwyżej"),
        "≥": ("jest nie mniejsze niż", "co najmniej"),
    },
    units=UNITS,
    decimal_comma=True,
    plural=plural,
    fraction_words=fraction_words,
    symbols={"&": "i"},  # espeak-ng says "and", in English, inside Polish narration
)
