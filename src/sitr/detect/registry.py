"""The registry of detectors: which extractors and threat detectors run, in which order.

Built once per process (detectors load lexicons and model weights at construction) and shared; every
detector is stateless after construction, so one registry serves many threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sitr.detect.base import Extractor, ThreatDetector


@dataclass(frozen=True)
class Registry:
    extractors: tuple[Extractor, ...]
    detectors: tuple[ThreatDetector, ...]

    def versions(self) -> dict[str, str]:
        out = {e.name: e.version for e in self.extractors}
        out.update({d.name: d.version for d in self.detectors})
        return out


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The shipped detectors. Imports are local so `import sitr` stays cheap."""
    from sitr.detect.doxxing import DoxxingDetector
    from sitr.detect.entrapment import EntrapmentDetector
    from sitr.detect.extortion import ExtortionDetector
    from sitr.detect.harassment import HarassmentDetector
    from sitr.detect.lexicon import LexiconExtractor
    from sitr.detect.names import NameExtractor
    from sitr.detect.outing import OutingDetector
    from sitr.detect.pii import PiiExtractor

    return Registry(
        extractors=(PiiExtractor(), LexiconExtractor(), NameExtractor()),
        detectors=(
            HarassmentDetector(),
            OutingDetector(),
            DoxxingDetector(),
            ExtortionDetector(),
            EntrapmentDetector(),
        ),
    )
