"""English words for the built-in readings."""

from __future__ import annotations

from vidgen.pronounce.readings.common import Unit, Vocabulary


def _unit(singular: str, plural: str | None = None) -> Unit:
    plural = plural or singular + "s"
    return Unit(singular, plural, plural, plural)


UNITS = {
    "%": _unit("percent", "percent"),
    "ms": _unit("millisecond"),
    "µs": _unit("microsecond"),
    "μs": _unit("microsecond"),
    "ns": _unit("nanosecond"),
    "Hz": _unit("hertz", "hertz"),
    "kHz": _unit("kilohertz", "kilohertz"),
    "MHz": _unit("megahertz", "megahertz"),
    "GHz": _unit("gigahertz", "gigahertz"),
    "KB": _unit("kilobyte"),
    "kB": _unit("kilobyte"),
    "MB": _unit("megabyte"),
    "GB": _unit("gigabyte"),
    "TB": _unit("terabyte"),
    "KiB": _unit("kibibyte"),
    "MiB": _unit("mebibyte"),
    "GiB": _unit("gibibyte"),
    "dB": _unit("decibel"),
    "fps": _unit("frame per second", "frames per second"),
    "km": _unit("kilometre"),
    "cm": _unit("centimetre"),
    "mm": _unit("millimetre"),
    "kg": _unit("kilogram"),
    "m/s": _unit("metre per second", "metres per second"),
    "km/h": _unit("kilometre per hour", "kilometres per hour"),
}

VOCABULARY = Vocabulary(
    code="en",
    point="point",
    minus="minus",
    plus="plus",
    plus_minus="plus or minus",
    squared="squared",
    cubed="cubed",
    power="to the power of",
    transposed="transposed",
    marks={"\u0302": "hat", "\u0304": "bar", "\u0303": "tilde"},
    times="times",
    by="by",
    divided="divided by",
    over="over",
    relations={
        "=": ("equals", "equals"),
        "≈": ("is approximately", "approximately"),
        "≠": ("is not equal to", "not equal to"),
        "<": ("is less than", "less than"),
        ">": ("is greater than", "more than"),
        "≤": ("is at most", "at most"),
        "≥": ("is at least", "at least"),
    },
    units=UNITS,
    thousands_comma=True,
)
