"""The layout engine: where every element of a scene goes, decided before it is drawn.

  scenes that continue each other → placements over time (lifetimes) → every element
  measured at its largest (measure) → clusters given rooms (compose, dock) → a spot per
  placement: its centre and its scale (scene).

The Stage asks for an element's spot when it appears or moves; the layout check reports
what could not be made to fit, with the storyboard change that would fix it (advice).
"""
