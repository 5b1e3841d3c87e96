"""Outing: alleging the orientation or gender identity of an identifiable private person."""

from sitr.detect.threat_base import ModelThreatDetector


class OutingDetector(ModelThreatDetector):
    threat = "outing"
    name = "outing"
    evidence = (
        "lex:exposure_claim", "lex:identity_neutral", "lex:identity_pejorative", "lex:account_unmask",
        "lex:realname_cue", "name", "pii:handle",
    )  # fmt: skip
