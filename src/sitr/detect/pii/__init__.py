"""Personal data in text (phones, IDs, addresses, handles ...) as Findings whose spans index the original text.

`find_pii(text, country_hint)` for direct use; `PiiExtractor` for the detection pipeline.
"""

from sitr.detect.pii.extractor import PII_KINDS, PiiExtractor, find_pii
from sitr.detect.pii.view import View, fold

__all__ = ["PII_KINDS", "PiiExtractor", "View", "find_pii", "fold"]
