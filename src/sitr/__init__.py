"""sitr: detect, decide, review and report entrapment, extortion, harassment, doxxing and outing.

`from sitr import analyze, Item` is the library entry point.
"""

from sitr.types import THREATS, Assessment, Item, ItemError, Message, Signal, Span, ThreatScore

__version__ = "0.1.0"


def analyze(item: Item) -> Assessment:
    """Assess one item (see sitr.pipeline for the batch form)."""
    from sitr.pipeline import analyze as _analyze

    return _analyze(item)


__all__ = [
    "THREATS",
    "Assessment",
    "Item",
    "ItemError",
    "Message",
    "Signal",
    "Span",
    "ThreatScore",
    "analyze",
]
