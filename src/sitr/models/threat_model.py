"""The shipped threat model: one linear scorer per threat over hashed n-grams plus the dense evidence vector,
with a Platt calibration per threat and one decision threshold per threat (the same in every language).

Stored as a NumPy .npz of plain arrays plus a JSON card, never as a pickle: loading a model must not be able
to run code. `sitr train` (sitr.models.train) rebuilds both files from the data, reproducibly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sitr.detect.base import Document
from sitr.detect.features import (
    DENSE_NAMES,
    HASH_LAYOUT,
    N_HASH_FEATURES,
    dense_matrix,
    model_text,
    text_margins,
)
from sitr.types import THREATS

MODEL_FILE = "threats.npz"
CARD_FILE = "threats.json"


class ModelMissingError(RuntimeError):
    """The model files are not in the package; run `sitr train`."""


@dataclass(frozen=True)
class ThreatModel:
    version: str
    w_text: np.ndarray  # (N_HASH_FEATURES, n_threats) float32
    w_dense: np.ndarray  # (len(DENSE_NAMES), n_threats) float32
    bias: np.ndarray  # (n_threats,)
    calib_a: np.ndarray  # Platt: p = 1 / (1 + exp(-(a * margin + b)))
    calib_b: np.ndarray
    thresholds: np.ndarray  # calibrated-probability thresholds, one per threat
    idf: np.ndarray  # (N_HASH_FEATURES,) inverse document frequencies of the hashed n-grams
    card: dict[str, Any]

    def margins(self, docs: list[Document]) -> np.ndarray:
        """Raw linear scores, shape (len(docs), n_threats)."""
        if not docs:
            return np.zeros((0, len(THREATS)), dtype=np.float32)
        text = text_margins([model_text(d) for d in docs], self.idf, self.w_text)
        out: np.ndarray = text + dense_matrix(docs) @ self.w_dense + self.bias
        return out

    def probabilities(self, docs: list[Document]) -> np.ndarray:
        z = self.margins(docs) * self.calib_a + self.calib_b
        p: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return p

    def score(self, docs: list[Document]) -> None:
        """Fill `doc.model_scores` for every document (one vectorised pass for the whole batch)."""
        probs = self.probabilities(docs)
        for doc, row in zip(docs, probs, strict=True):
            doc.model_scores = {t: float(row[i]) for i, t in enumerate(THREATS)}

    def threshold(self, threat: str) -> float:
        return self.threshold_by_threat[threat]

    @cached_property
    def threshold_by_threat(self) -> dict[str, float]:
        return {t: float(self.thresholds[i]) for i, t in enumerate(THREATS)}

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / MODEL_FILE,
            w_text=self.w_text.astype(np.float32),
            w_dense=self.w_dense.astype(np.float32),
            bias=self.bias.astype(np.float32),
            calib_a=self.calib_a.astype(np.float32),
            calib_b=self.calib_b.astype(np.float32),
            thresholds=self.thresholds.astype(np.float32),
            idf=self.idf.astype(np.float32),
        )
        (folder / CARD_FILE).write_text(json.dumps(self.card, indent=2, ensure_ascii=False) + "\n", "utf-8")

    @classmethod
    def load(cls, folder: Path | None = None) -> ThreatModel:
        base: Any = resources.files("sitr.models") if folder is None else folder
        model_file, card_file = base.joinpath(MODEL_FILE), base.joinpath(CARD_FILE)
        if not model_file.is_file() or not card_file.is_file():
            where = "the package" if folder is None else str(folder)
            raise ModelMissingError(f"the threat model is not built in {where}: run `sitr train`")
        with model_file.open("rb") as fh:
            arrays = dict(np.load(fh, allow_pickle=False))
        card = json.loads(card_file.read_text("utf-8"))
        if (
            card.get("dense_features") != list(DENSE_NAMES)
            or card.get("n_hash_features") != N_HASH_FEATURES
            or card.get("hash_layout") != HASH_LAYOUT
        ):
            raise ModelMissingError("the threat model was trained on other features: run `sitr train`")
        return cls(
            version=str(card["version"]),
            w_text=arrays["w_text"],
            w_dense=arrays["w_dense"],
            bias=arrays["bias"],
            calib_a=arrays["calib_a"],
            calib_b=arrays["calib_b"],
            thresholds=arrays["thresholds"],
            idf=arrays["idf"],
            card=card,
        )


@lru_cache(maxsize=1)
def shipped_model() -> ThreatModel:
    return ThreatModel.load()
