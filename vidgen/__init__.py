"""vidgen: YAML storyboards into narrated explainer videos.

The pipeline, one stage per module:
storyboard (YAML) → validated model → speech per beat → timed plan → scene clips → mux.
"""

__version__ = "0.1.0"
