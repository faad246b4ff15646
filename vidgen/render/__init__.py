"""Rendering: the timed plan of one scene → a silent Manim clip (and the layout check)."""
