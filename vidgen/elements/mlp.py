"""An MLP tower: columns of neurons joined by faint synapses, with a label.

Parts: `layers[i]` (also `name[i]`), `layers[i][j]` (a neuron), `edges[i]` (the synapses
between layer i and i+1), `label`, `layer_labels[i]`.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.typography import make_text
from vidgen.storyboard.common import Color
from vidgen.storyboard.refs import PartShape
from vidgen.theme import Theme


class MlpSpec(ElementSpec):
    """A multi-layer perceptron drawn as a tower of neuron columns."""

    kind: ClassVar[str] = "mlp"
    words: ClassVar[tuple[str, ...]] = ("label", "layer_labels")  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "fade"

    mlp: list[int] = Field(min_length=1, max_length=10, description="Neurons per layer, e.g. [8, 5, 3].")
    colors: list[Color] | None = Field(None, description="One colour per layer (default: the element's colour).")
    label: str | None = Field(None, max_length=80)
    layer_labels: list[str] | None = Field(None, description="A short label under each layer.")
    neuron: float = Field(0.2, ge=0.05, le=0.6, description="Neuron radius in units.")
    spacing: float = Field(1.5, ge=0.4, le=4, description="Horizontal distance between layers, units.")
    edges: bool = Field(True, description="Draw the synapses between consecutive layers.")
    weights: list[list[list[float]]] | None = Field(
        None, description="Synapse weights: for each pair of layers a matrix [from][to]; drawn coloured by sign."
    )
    positive: Color = Field("blue", description="Colour of positive synapses.")
    negative: Color = Field("gray", description="Colour of negative synapses.")

    @model_validator(mode="after")
    def _lengths_match(self) -> "MlpSpec":
        for name in ("colors", "layer_labels"):
            value = getattr(self, name)
            if value is not None and len(value) != len(self.mlp):
                raise ValueError(f"{name} has {len(value)} entries but the network has {len(self.mlp)} layers")
        if any(size < 1 or size > 32 for size in self.mlp):
            raise ValueError("each layer needs between 1 and 32 neurons")
        if self.weights is not None:
            if len(self.weights) != len(self.mlp) - 1:
                raise ValueError(f"weights needs {len(self.mlp) - 1} matrices (one per pair of layers), not {len(self.weights)}")
            for index, (matrix, rows, cols) in enumerate(zip(self.weights, self.mlp, self.mlp[1:])):
                if len(matrix) != rows or any(len(row) != cols for row in matrix):
                    raise ValueError(f"weights[{index}] must be {rows} rows of {cols} numbers (layer {index} to layer {index + 1})")
        return self


class MlpKind:
    spec = MlpSpec
    grows = 2.5  # a diagram: scaled up to this many times its size to use its room (vidgen.layout.measure)
    summary = "A neural network tower: layers of neurons, synapses, a label."
    anchor = "layers"  # aligned with neighbours when placed next to them
    arrows_meet = "layers"  # an arrow to the network ends on its neurons, short of its labels (connectors)
    default_part = "layers"
    chain = "layers"  # a flow walks these in order
    fixed_words = ("label", "layer_labels[]")  # keep their size while the network grows

    def parts(self, spec: MlpSpec) -> dict[str, PartShape]:
        parts: dict[str, PartShape] = {
            "layers": list(spec.mlp),
            "edges": [a * b for a, b in zip(spec.mlp, spec.mlp[1:])],
        }
        if spec.label:
            parts["label"] = None
        if spec.layer_labels:
            parts["layer_labels"] = len(spec.layer_labels)
        return parts

    @staticmethod
    def _synapse(spec: MlpSpec, theme: Theme, layer: int, i: int, j: int, a: object, b: object) -> object:
        from manim import Line

        if spec.weights is None:
            return Line(a, b, stroke_width=1.5, color=theme.muted).set_stroke(opacity=0.45)
        weight = spec.weights[layer][i][j]
        strongest = max(abs(w) for row in spec.weights[layer] for w in row) or 1.0
        if weight == 0:
            return Line(a, b, stroke_width=1.0, color=theme.muted).set_stroke(opacity=0.25)
        color = theme.color(spec.positive if weight > 0 else spec.negative)
        return Line(a, b, stroke_width=2.0 + 3.0 * abs(weight) / strongest, color=color).set_stroke(opacity=0.95)

    def draw(self, spec: MlpSpec, theme: Theme) -> Drawing:
        from manim import DOWN, RIGHT, UP, Circle, VGroup

        layers = VGroup()
        for index, size in enumerate(spec.mlp):
            color = theme.color(spec.colors[index] if spec.colors else spec.color)
            layer = VGroup(*(Circle(radius=spec.neuron, color=color, stroke_width=3).set_fill(color, opacity=0.45) for _ in range(size)))
            layers.add(layer.arrange(DOWN, buff=spec.neuron * 1.25))
        layers.arrange(RIGHT, buff=spec.spacing)
        edges = VGroup()
        for index, (left, right) in enumerate(zip(layers, layers[1:])):
            edges.add(VGroup(*(self._synapse(spec, theme, index, i, j, a, b) for i, a in enumerate(left) for j, b in enumerate(right))))
        group = VGroup(edges if spec.edges else VGroup(), layers)
        parts = {"layers": layers, "edges": edges}
        if spec.layer_labels:
            labels = VGroup(*(make_text(text, theme, size=theme.small_size, color=theme.muted) for text in spec.layer_labels))
            # Labels hang from one common line under the tallest layer, each under its own layer.
            floor = min(layer.get_bottom()[1] for layer in layers) - 0.3
            for label, layer in zip(labels, layers):
                label.move_to([layer.get_x(), floor - label.height / 2, 0])
            group.add(labels)
            parts["layer_labels"] = labels
        if spec.label:
            label = make_text(spec.label, theme, size=theme.heading_size, color=theme.color(spec.color), bold=False)
            label.next_to(layers, UP, buff=0.4)
            group.add(label)
            parts["label"] = label
        return Drawing(group, parts)
