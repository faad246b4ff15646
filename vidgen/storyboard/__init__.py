"""The storyboard: its language (refs, places, narration), model, and loader.

Import the loader from `vidgen.storyboard.loader`: this package's modules are also
imported by element kinds and actions, so it must not import them back here.
"""
