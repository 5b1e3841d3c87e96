"""Harassment: abuse, slurs, dehumanisation, threats or incitement aimed at a person or at LGBT people."""

from sitr.detect.threat_base import ModelThreatDetector


class HarassmentDetector(ModelThreatDetector):
    threat = "harassment"
    name = "harassment"
    evidence = (
        "lex:identity_pejorative", "lex:insult", "lex:dehumanize", "lex:violence_call",
        "lex:authority_call", "lex:share_call", "lex:threat_harm",
    )  # fmt: skip
