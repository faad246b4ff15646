"""Themes: one palette, one font and one type scale per look, so every video is consistent.

Storyboards name colours by role-free names (white, blue, green…); the theme decides the
exact shade, so the same storyboard looks right on a dark or a light background.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
COLOR_NAMES = ("white", "gray", "blue", "green", "yellow", "orange", "red", "purple", "teal", "pink", "black")


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    muted: str
    accent: str
    palette: dict[str, str] = field(default_factory=dict)
    font: str = "DejaVu Sans"
    # Font sizes in Manim points; chosen so the smallest stays readable at 854x480.
    title_size: int = 60
    heading_size: int = 40
    body_size: int = 32
    label_size: int = 26
    small_size: int = 22

    def color(self, name: str | None, default: str | None = None) -> str:
        if name is None:
            return default or self.foreground
        if HEX_RE.match(name):
            return name
        return self.palette[name]


DARK = Theme(
    name="dark",
    background="#101418",
    foreground="#ECEFF4",
    muted="#7B8794",
    accent="#F2C94C",
    palette={
        "white": "#ECEFF4",
        "gray": "#8A94A6",
        "blue": "#4EA1FF",
        "green": "#4CC38A",
        "yellow": "#F2C94C",
        "orange": "#F2994A",
        "red": "#EB5757",
        "purple": "#B07CFF",
        "teal": "#2EC4B6",
        "pink": "#FF7EB6",
        "black": "#4A5260",  # "black" must stay visible on the dark background: a dark slate
    },
)

LIGHT = Theme(
    name="light",
    background="#FAFAF7",
    foreground="#1F2328",
    muted="#6E7781",
    accent="#C98A00",
    palette={
        "white": "#1F2328",  # "white" means the ink colour: it must stay visible on paper
        "gray": "#6E7781",
        "blue": "#0969DA",
        "green": "#1A7F37",
        "yellow": "#C98A00",
        "orange": "#BC4C00",
        "red": "#CF222E",
        "purple": "#8250DF",
        "teal": "#0E8A7E",
        "pink": "#BF3989",
        "black": "#1F2328",
    },
)

THEMES: dict[str, Theme] = {theme.name: theme for theme in (DARK, LIGHT)}
