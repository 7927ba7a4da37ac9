"""The deck as a PowerPoint file (.pptx) a founder can edit: the third renderer of the slide model (pure).

``render_pptx(deck, charts=…)`` draws every slide of ``deck`` (``decks.slides``) the way the PDF does
(``decks.pdf``): the same page order (the cover first), layouts, text sizes and cuts, footer and "n / N", but as
real text boxes, native charts whose data opens in the office suite (``charts``), tables and shapes; photos and
logos are the only pictures, each embedded once. The speaker notes go in each slide's notes pane.
"""

from pitchlab.decks.powerpoint.render import PPTX_TYPE, render_pptx

__all__ = ["PPTX_TYPE", "render_pptx"]
