"""Equations are untrusted: only math commands reach LaTeX."""

from __future__ import annotations

import pytest

from vidgen.elements.latex import latex_problem


@pytest.mark.parametrize(
    "source",
    [
        r"z = f(Wx + b)",
        r"h(\mathbf{r};\theta) = f(\mathbf{W}\cdot g(\mathbf{V}\mathbf{r}+\boldsymbol{\mu})+\mathbf{b})",
        r"\text{błąd rekonstrukcji} = \frac{1}{|\mathbf{r}|}\sqrt{\sum_{i=1}^{r}(r_i - \hat{r}_i)^2}",
        r"\mathbf{D} = \begin{pmatrix} x_{11} & \cdots \\ \vdots & \ddots \end{pmatrix}",
        r"d(x, y) = \|x - y\|",
        # what a writer reaches for in modular arithmetic and named functions (amsmath)
        r"45 \bmod 8 = 5 \quad a \equiv b \pmod{n} \quad a = b \mod{n} \quad \operatorname{rank}(A)",
        r"\binom{n}{k} \le \max_{i} \sup_{x} \det(A) \xrightarrow{h} \overset{?}{=} \mathrm{mod}",
    ],
)
def test_math_is_allowed(source: str) -> None:
    assert latex_problem(source) is None


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (r"\input{/etc/passwd}", r"\input"),
        (r"\include{secrets}", r"\include"),
        (r"\immediate\openout1=pwned.tex", r"\immediate"),
        (r"\write18{rm -rf /}", r"\write"),
        (r"\catcode`\^=7", r"\catcode"),
        (r"^^5cinput{/etc/passwd}", "^^"),
        (r"\def\x{y}", r"\def"),
        (r"\begin{filecontents}{a.tex}x\end{filecontents}", "filecontents"),
        (r"\csname input\endcsname{/etc/passwd}", r"\csname"),
    ],
)
def test_file_and_shell_access_is_refused(source: str, reason: str) -> None:
    problem = latex_problem(source)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    ("source", "suggested"),
    [(r"a \bmodd b", r"\bmod"), (r"\operatorname{x} \Sum_i", r"\sum"), (r"x \leqq y", r"\leq"), (r"\mathrm{d}x \operatornam{f}", r"\operatorname")],
)
def test_a_refused_command_names_the_allowed_one_it_most_likely_meant(source: str, suggested: str) -> None:
    problem = latex_problem(source)
    assert problem is not None and problem.endswith(f"did you mean {suggested}?"), problem


def test_a_refused_unsafe_command_says_why_and_offers_no_look_alike() -> None:
    problem = latex_problem(r"\input{/etc/passwd}")
    assert problem is not None and "reach files" in problem and "did you mean" not in problem, problem
    problem = latex_problem(r"\mathscr{L}")
    assert problem is not None and problem.endswith(r"write \mathcal instead"), problem
    problem = latex_problem(r"\frobnicate{x}")
    assert problem is not None and "writers' guide" in problem, problem


def test_the_latex_lock_survives_manims_clean_up_after_a_compile() -> None:
    """Manim deletes every file but .svg and .tex from its TeX folder after a compile. A
    lock file kept there vanished while held, so a second worker locked a new file of that
    name, compiled alongside, and deleted the first one's log mid-compile (a failed render)."""
    import uuid
    from pathlib import Path

    from manim import config

    from vidgen.elements.equation import EquationKind, EquationSpec
    from vidgen.theme import DARK

    tex = Path(config.tex_dir)
    EquationKind().draw(EquationSpec(equation=f"z_{{{uuid.uuid4().int % 10**9}}} = f(Wx + b)"), DARK)  # a fresh compile
    assert not list(tex.glob("*.log")), "Manim cleaned up after the compile"
    assert list(tex.parent.glob("*.lock")), "the lock file taken for the compile is still there for the next process"


def test_every_allowed_command_typesets() -> None:
    """Allowed must mean LaTeX knows it with the template's packages: a command it does not
    know (\\argmax was allowed, and defined by no package) fails only when the video is
    rendered, long after `check` said yes. One formula holds them all: one compile."""
    from manim import MathTex

    from vidgen.elements.equation import latex_lock
    from vidgen.elements.latex import ALLOWED, tex_template

    special = {
        "left": r"\left( x \right)", "right": "", "middle": r"\left( x \middle| x \right)", "end": "", "hline": "",
        "begin": r"\begin{array}{c} x \\ \hline x \end{array}", "limits": r"\sum\limits_{i}", "nolimits": r"\sum\nolimits_{i}",
        "substack": r"\sum_{\substack{i \\ j}}",
    }
    special |= {size: rf"\{size}( x" for size in ALLOWED if size.lower().startswith("big") and size.lower().rstrip("lr") in ("big", "bigg")}
    pieces = [special.get(name, rf"\{name}{{x}}{{x}}") for name in sorted(ALLOWED)]
    source = r" \quad ".join(piece for piece in pieces if piece)
    assert latex_problem(source) is None
    with latex_lock():
        formula = MathTex(source, tex_template=tex_template())  # raises when LaTeX fails
    assert len(formula.family_members_with_points()) > 2 * len(ALLOWED)  # glyphs, not an empty box
