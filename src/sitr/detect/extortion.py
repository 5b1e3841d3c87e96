"""Extortion: a demand backed by a threat to expose, publish or harm (sextortion included)."""

from sitr.detect.threat_base import ModelThreatDetector


class ExtortionDetector(ModelThreatDetector):
    threat = "extortion"
    name = "extortion"
    evidence = (
        "lex:demand", "lex:money", "lex:threat_expose", "lex:threat_harm", "lex:conditional", "lex:deadline",
        "lex:own_material", "lex:audience_family", "lex:audience_work", "lex:audience_authority",
        "lex:audience_public",
    )  # fmt: skip
