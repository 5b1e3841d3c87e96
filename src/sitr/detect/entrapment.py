"""Entrapment: a persona luring an LGBT person into a meeting or self-incrimination, scored over the
other party's messages of a conversation (pacing, fixed place, photo/ID/location requests, admissions)."""

from sitr.detect.features import ENTRAPMENT_CUES
from sitr.detect.threat_base import ModelThreatDetector


class EntrapmentDetector(ModelThreatDetector):
    threat = "entrapment"
    name = "entrapment"
    evidence = tuple(f"lex:{c}" for c in ENTRAPMENT_CUES)
