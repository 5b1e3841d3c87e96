"""Doxxing: personal data that locates or identifies a private person, in a hostile or exposing frame."""

from sitr.detect.threat_base import ModelThreatDetector


class DoxxingDetector(ModelThreatDetector):
    threat = "doxxing"
    name = "doxxing"
    evidence = (
        "pii:", "lex:address_cue", "lex:workplace_cue", "lex:family_cue", "lex:account_unmask",
        "lex:realname_cue",
    )  # fmt: skip
