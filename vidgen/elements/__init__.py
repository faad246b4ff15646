"""The element-kind registry: the YAML key of each kind → its implementation.

To add a kind: write one module with its spec, `parts` and `draw`, list it here, and add
its test in tests/elements/.
"""

from __future__ import annotations

from vidgen.elements.base import ElementKind, ElementSpec
from vidgen.elements.box import BoxKind
from vidgen.elements.bullets import BulletsKind
from vidgen.elements.connectors import ArrowKind, BraceKind
from vidgen.elements.equation import EquationKind
from vidgen.elements.image import ImageKind
from vidgen.elements.matrix import MatrixKind
from vidgen.elements.mlp import MlpKind
from vidgen.elements.number import NumberKind
from vidgen.elements.table import TableKind
from vidgen.elements.text import CaptionKind, TextKind, TitleKind
from vidgen.elements.vector import VectorKind

ELEMENT_KINDS: dict[str, ElementKind] = {
    kind.spec.kind: kind
    for kind in (
        TitleKind(),
        TextKind(),
        CaptionKind(),
        BulletsKind(),
        VectorKind(),
        MatrixKind(),
        TableKind(),
        MlpKind(),
        EquationKind(),
        NumberKind(),
        BoxKind(),
        ArrowKind(),
        BraceKind(),
        ImageKind(),
    )
}

__all__ = ["ELEMENT_KINDS", "ElementKind", "ElementSpec"]
