"""LaTeX for equations: one template (T1 fonts, so Polish and other accented text works
inside \\text{}) and an allowlist of commands, because a storyboard is untrusted input and
TeX can read and write files (\\input, \\openout, \\write18…)."""

from __future__ import annotations

import difflib
import re

PREAMBLE = "\n".join(
    [
        r"\usepackage[T1]{fontenc}",
        r"\usepackage{lmodern}",
        r"\usepackage{amsmath}",
        r"\usepackage{amssymb}",
        r"\usepackage{bm}",
        r"\DeclareMathOperator*{\argmax}{arg\,max}",  # allowed below, but defined by no package
        r"\DeclareMathOperator*{\argmin}{arg\,min}",
    ]
)

ALLOWED = frozenset(
    """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi
    varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi
    Pi Sigma Upsilon Phi Psi Omega varGamma varDelta varTheta varLambda varXi varPi varSigma
    varUpsilon varPhi varPsi varOmega digamma varkappa
    frac dfrac tfrac cfrac binom dbinom tbinom sqrt sum prod coprod int iint iiint oint
    bigcup bigcap bigvee bigwedge bigoplus bigotimes bigodot biguplus bigsqcup
    lim limsup liminf sup inf max min arg argmax argmin det dim ker deg gcd hom Pr
    log lg ln exp sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth
    bmod pmod mod pod operatorname
    cdot cdotp cdots ldots dots dotsb dotsc dotsm vdots ddots times div pm mp ast star circ bullet
    oplus ominus otimes oslash odot setminus wedge vee land lor neg lnot uplus sqcup sqcap
    dagger ddagger amalg diamond triangleleft triangleright
    leq geq neq ne approx equiv sim simeq cong propto le ge ll gg leqslant geqslant lesssim gtrsim
    prec succ preceq succeq doteq asymp models vdash dashv
    in ni notin subset supset subseteq supseteq subsetneq supsetneq cup cap emptyset varnothing
    mid nmid parallel nparallel perp not
    forall exists nexists partial nabla infty aleph hbar ell wp Re Im imath jmath
    angle measuredangle triangle square blacksquare checkmark
    to gets rightarrow leftarrow Rightarrow Leftarrow mapsto longmapsto uparrow downarrow
    updownarrow Uparrow Downarrow Updownarrow nearrow searrow swarrow nwarrow
    leftrightarrow Leftrightarrow longrightarrow longleftarrow longleftrightarrow Longrightarrow
    Longleftarrow Longleftrightarrow iff implies impliedby hookrightarrow hookleftarrow
    rightleftharpoons leftrightharpoons rightharpoonup leftharpoonup xrightarrow xleftarrow
    left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr
    langle rangle lfloor rfloor lceil rceil lVert rVert Vert vert lvert rvert lbrace rbrace
    lbrack rbrack backslash colon
    mathbf mathrm mathit mathcal mathbb mathsf mathtt mathfrak mathnormal boldsymbol bm
    text textbf textit textrm textsf texttt textup textnormal emph
    hat bar tilde vec dot ddot dddot acute grave breve check mathring widehat widetilde
    overline underline overbrace underbrace overrightarrow overleftarrow overleftrightarrow
    overset underset stackrel substack boxed
    displaystyle textstyle scriptstyle scriptscriptstyle limits nolimits
    quad qquad enspace thinspace medspace thickspace negthinspace negmedspace negthickspace
    phantom hphantom vphantom smash
    begin end hline
    top bot intercal prime dagger
    """.split()
)
# Never suggested: what TeX uses to reach files and the shell, or to redefine itself. (Not
# in ALLOWED either; named here so the refusal says why instead of offering a look-alike.)
UNSAFE = frozenset(
    """
    input include InputIfFileExists openin openout read readline write immediate closein closeout
    def edef gdef xdef let futurelet newcommand renewcommand providecommand DeclareMathOperator
    csname endcsname expandafter catcode uccode lccode scantokens special shipout output
    usepackage RequirePackage documentclass newwrite newread jobname directlua luaexec
    pdfprimitive everyeof everyjob everypar everymath
    """.split()
)
ENVIRONMENTS = frozenset({"pmatrix", "bmatrix", "Bmatrix", "matrix", "vmatrix", "Vmatrix", "smallmatrix", "cases", "aligned", "gathered", "array"})
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
            return _refusal(name)
    for env in _ENV_RE.findall(source):
        if env.strip() not in ENVIRONMENTS:
            return f"the environment {env!r} is not allowed in equations (allowed: {', '.join(sorted(ENVIRONMENTS, key=lambda name: (name.lower(), name)))})"
    return None


# Commands from packages that are not loaded (or that define commands), and what to write instead.
INSTEAD = {
    "mathscr": "\\mathcal",
    "DeclareMathOperator": "\\operatorname{…}",
    "newcommand": "the command itself, written out",
    "color": "the element's `color`",
    "textcolor": "the element's `color`",
    "tag": "the equation's `label`",
    "R": "\\mathbb{R}",
    "N": "\\mathbb{N}",
    "Z": "\\mathbb{Z}",
}


def _refusal(name: str) -> str:
    """Why `\\name` is refused, and the allowed command it most likely meant."""
    if name in INSTEAD:
        return f"\\{name} is not allowed in equations (only math commands are); write {INSTEAD[name]} instead"
    if name in UNSAFE:
        return f"\\{name} is not allowed in equations (it can reach files or redefine LaTeX; only math commands are)"
    closest = difflib.get_close_matches(name, ALLOWED, n=1, cutoff=0.75) or difflib.get_close_matches(name.lower(), ALLOWED, n=1, cutoff=0.75)
    hint = f"; did you mean \\{closest[0]}?" if closest else "; the writers' guide lists them (Equations)"
    return f"\\{name} is not allowed in equations (only math commands are){hint}"


def tex_template() -> object:
    from manim import TexTemplate

    template = TexTemplate()
    template.add_to_preamble(PREAMBLE)
    return template
