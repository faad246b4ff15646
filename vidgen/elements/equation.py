"""An equation, typeset with LaTeX (math mode). Parts: `label`."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import ClassVar

from pydantic import Field, field_validator

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.latex import latex_problem, tex_template
from vidgen.elements.text import SAFE_WIDTH, TextSize, text_size
from vidgen.elements.typography import make_text, share_svg_sources
from vidgen.storyboard.refs import PartShape
from vidgen.theme import Theme


def latex_lock() -> AbstractContextManager[None]:
    """One LaTeX compile at a time across processes: Manim writes its SVGs where other
    processes read them, and after each compile deletes every file in its TeX folder but the
    .svg and .tex ones, other processes' logs included. The lock file lives beside that
    folder, not in it: deleted while held, the next process would lock a new file of the
    same name and compile alongside."""
    from manim import config

    from vidgen.cache import entry_lock

    return entry_lock(Path(config.tex_dir))


class EquationSpec(ElementSpec):
    """A formula in LaTeX math, e.g. 'z = f(Wx + b)'; \\text{…} may hold any language."""

    kind: ClassVar[str] = "equation"
    words: ClassVar[tuple[str, ...]] = ("label",)  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "write"

    equation: str = Field(min_length=1, max_length=400)
    size: TextSize = "heading"
    label: str | None = Field(None, max_length=120, description="A caption under the equation.")

    @field_validator("equation")
    @classmethod
    def _safe(cls, value: str) -> str:
        problem = latex_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class EquationKind:
    spec = EquationSpec
    fixed_words = ("label",)  # keeps its size while the rest grows
    grows = 2.0  # scaled up to this many times its size to use its room (vidgen.layout.measure): formulas are read, not looked at
    summary = "A LaTeX equation (math mode), optionally captioned."
    anchor = "formula"  # aligned with neighbours when placed next to them
    arrows_meet = "formula"  # an arrow to the equation ends on the formula, short of its caption (connectors)
    uses_latex = True  # its pictures depend on the LaTeX template (see vidgen.identity)
    default_part = None

    def parts(self, spec: EquationSpec) -> dict[str, PartShape]:
        return {"formula": None, "label": None} if spec.label else {"formula": None}

    def draw(self, spec: EquationSpec, theme: Theme) -> Drawing:
        from manim import DOWN, MathTex, VGroup

        with latex_lock():
            formula = share_svg_sources(MathTex(spec.equation, tex_template=tex_template(), font_size=text_size(theme, spec.size) * 1.2, color=theme.color(spec.color)))
        if formula.width > SAFE_WIDTH:
            formula.scale_to_fit_width(SAFE_WIDTH)
        group = VGroup(formula)
        parts = {"formula": formula}
        if spec.label:
            label = make_text(spec.label, theme, size=theme.label_size, color=theme.muted, max_width=SAFE_WIDTH)
            group.add(label.next_to(formula, DOWN, buff=0.3))
            parts["label"] = label
        return Drawing(group, parts)
