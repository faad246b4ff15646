"""LaTeX for equations: one template (T1 fonts, so Polish and other accented text works
inside \\text{}) and an allowlist of commands, because a storyboard is untrusted input and
TeX can read and write files (\\input, \\openout, \\write18…)."""

from __future__ import annotations

import re

PREAMBLE = "\n".join(
    [
        r"\usepackage[T1]{fontenc}",
        r"\usepackage{lmodern}",
        r"\usepackage{amsmath}",
        r"\usepackage{amssymb}",
        r"\usepackage{bm}",
    ]
)

ALLOWED = frozenset(
    """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi
    varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi
    Pi Sigma Upsilon Phi Psi Omega
    frac dfrac tfrac sqrt sum prod int oint lim max min arg argmax argmin log ln exp sin cos tan
    cdot cdots ldots dots vdots ddots times div pm mp ast star circ bullet
    leq geq neq approx equiv sim simeq propto le ge ll gg in notin subset subseteq cup cap
    forall exists partial nabla infty to rightarrow leftarrow Rightarrow Leftarrow mapsto
    leftrightarrow longrightarrow
    left right big Big bigg Bigg langle rangle lfloor rfloor lceil rceil lVert rVert Vert vert
    mathbf mathrm mathit mathcal mathbb mathsf boldsymbol bm text textbf textit operatorname
    hat bar tilde vec dot ddot widehat widetilde overline underline overbrace underbrace
    quad qquad enspace
    begin end
    top intercal prime
    """.split()
)
ENVIRONMENTS = frozenset({"pmatrix", "bmatrix", "matrix", "vmatrix", "cases", "aligned", "array"})
_COMMAND_RE = re.compile(r"\\([A-Za-z]+|.)")
_ENV_RE = re.compile(r"\\(?:begin|end)\s*\{([^}]*)\}")


def latex_problem(source: str) -> str | None:
    """Why `source` may not be typeset, or None when it is safe."""
    if "^^" in source:
        return "'^^' character codes are not allowed in equations"
    for match in _COMMAND_RE.finditer(source):
        name = match.group(1)
        if len(name) == 1 and not name.isalpha():
            continue  # \\, \{, \,, \; … spacing and escaped symbols
        if name not in ALLOWED:
            return f"\\{name} is not allowed in equations (only math commands are)"
    for env in _ENV_RE.findall(source):
        if env.strip() not in ENVIRONMENTS:
            return f"the environment {env!r} is not allowed in equations"
    return None


def tex_template() -> object:
    from manim import TexTemplate

    template = TexTemplate()
    template.add_to_preamble(PREAMBLE)
    return template
