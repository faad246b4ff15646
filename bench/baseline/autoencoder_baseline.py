"""The benchmark's baseline: the seed-000 animation as a plain Manim script.

A faithful repair of the seed's own script (../shared/seeds/000_*.txt): its indentation
restored, its layout faults fixed as vidgen's storyboard fixes them (the input vector
stands as a column beside the encoder instead of running off the left edge; the labels
sit above the towers instead of on the 8-node column), and its text set in DejaVu Sans.
Timings are the seed's. Render with:  manim -qh bench/baseline/autoencoder_baseline.py AutoencoderAnimation
"""

from manim import (
    BLUE,
    DOWN,
    GRAY,
    GREEN,
    LEFT,
    ORANGE,
    RIGHT,
    UP,
    WHITE,
    YELLOW,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    Line,
    ReplacementTransform,
    Scene,
    ShowPassingFlash,
    Square,
    SurroundingRectangle,
    Text,
    VGroup,
    Write,
)

FONT = "DejaVu Sans"


class AutoencoderAnimation(Scene):
    def construct(self):
        title = Text("Autoencoder for Recommendations", font=FONT, font_size=48)
        self.play(Write(title))
        self.wait(2)
        self.play(FadeOut(title))
        self.wait(0.5)

        input_label = Text("Input: User's Rating History", font=FONT, font_size=32).to_edge(UP)
        ratings = ["5", "0", "1", "0", "0", "4", "0", "0"]
        input_vector = self.create_vector_vis(ratings, "Input Vector", color=WHITE)
        input_vector.move_to(0)
        self.play(Write(input_label))
        self.play(FadeIn(input_vector, shift=RIGHT))
        self.wait(2)

        encoder_layers = self.create_mlp_tower([8, 5, 3], colors=[WHITE, BLUE, BLUE]).move_to(0)
        encoder_label = Text("Encoder", font=FONT, font_size=32).next_to(encoder_layers, UP, buff=0.3)
        column = self.create_vector_vis(ratings, "Input", color=WHITE, vertical=True).scale(0.72)
        self.play(FadeOut(input_label), ReplacementTransform(input_vector, column.next_to(encoder_layers, LEFT, buff=0.6)))
        self.play(Write(encoder_label), FadeIn(encoder_layers))
        self.wait(1)
        self.play_network_flow(column[0], encoder_layers[0])
        self.play_network_flow(encoder_layers[0], encoder_layers[1])
        self.play_network_flow(encoder_layers[1], encoder_layers[2])
        self.wait(1)

        latent = encoder_layers[2].copy()
        latent_label = Text("Latent Vector ('User DNA')", font=FONT, font_size=28)
        self.play(FadeOut(column, encoder_layers, encoder_label), latent.animate.move_to(0).scale(1.2))
        latent_label.next_to(latent, DOWN, buff=0.5)
        self.play(FadeIn(latent_label))
        self.wait(2)

        decoder_layers = self.create_mlp_tower([3, 5, 8], colors=[BLUE, GREEN, GREEN]).move_to(0)
        decoder_label = Text("Decoder", font=FONT, font_size=32).next_to(decoder_layers, UP, buff=0.3)
        self.play(FadeOut(latent_label), latent.animate.scale(1 / 1.2).next_to(decoder_layers, LEFT, buff=1.0))
        self.play(Write(decoder_label), FadeIn(decoder_layers))
        self.wait(1)
        self.play_network_flow(latent, decoder_layers[0])
        self.play_network_flow(decoder_layers[0], decoder_layers[1])
        self.play_network_flow(decoder_layers[1], decoder_layers[2])
        self.wait(1)

        output_ratings = ["5.1", "2.3", "0.9", "3.5", "1.1", "4.2", "2.8", "3.9"]
        output_column = self.create_vector_vis(output_ratings, "Reconstructed", color=WHITE, vertical=True).scale(0.72)
        output_column.next_to(decoder_layers, RIGHT, buff=0.6)
        self.play(ReplacementTransform(decoder_layers[2].copy(), output_column))
        self.play(FadeOut(decoder_label, decoder_layers, latent))
        self.wait(2)

        original = self.create_vector_vis(ratings, "Original", color=GRAY)
        reconstructed = self.create_vector_vis(output_ratings, "Reconstructed", color=WHITE).next_to(original, DOWN, buff=0.5)
        VGroup(original, reconstructed).move_to(DOWN * 0.5)
        self.play(FadeOut(output_column), FadeIn(original, reconstructed))
        self.wait(1)
        recommendation = Text("Recommendations are the filled-in blanks!", font=FONT, font_size=36, color=YELLOW).to_edge(UP)
        self.play(Write(recommendation))
        highlights = VGroup(*(SurroundingRectangle(reconstructed[0][i], color=YELLOW, buff=0.02) for i, r in enumerate(ratings) if r == "0"))
        self.play(Create(highlights))
        self.wait(3)

    def create_vector_vis(self, values, label_text, color, vertical=False):
        squares = VGroup()
        for value in values:
            square = Square(side_length=0.8, color=color, stroke_width=2)
            text = Text(str(value), font=FONT, font_size=24).move_to(square.get_center())
            squares.add(VGroup(square, text))
        squares.arrange(DOWN if vertical else RIGHT, buff=0.1)
        label = Text(label_text, font=FONT, font_size=24).next_to(squares, DOWN, buff=0.3)
        return VGroup(squares, label)

    def create_mlp_tower(self, layer_sizes, colors):
        layers = VGroup()
        for index, size in enumerate(layer_sizes):
            layer = VGroup(*(Circle(radius=0.2, color=colors[index], stroke_width=2, fill_opacity=0.5) for _ in range(size)))
            layers.add(layer.arrange(DOWN, buff=0.3))
        return layers.arrange(RIGHT, buff=1.5)

    def play_network_flow(self, layer1, layer2):
        edges = VGroup(*(Line(a.get_center(), b.get_center(), stroke_width=1.5, color=YELLOW) for a in layer1 for b in layer2))
        self.play(LaggedStart(*(ShowPassingFlash(edge.copy().set_color(ORANGE), time_width=0.2) for edge in edges), lag_ratio=0.05), run_time=1)
