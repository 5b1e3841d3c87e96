"""Rebuild the shipped threat model from the data (`sitr train`), reproducibly.

Training data, only from sets ../shared/data/README.md allows for shipped models:
- the TRAINING part of threats/dev.jsonl (sitr.evaluation.split), all five threats, plus the project's own
  extra examples in data/threats-extra.jsonl and threats-extra-2.jsonl (written for sitr, fictional people, CC BY 4.0);
- OSACT2020 train (OffensEval 2020 Arabic; OFF -> harassment) and MLMA ar/fr/en (hostile -> harassment),
  as harassment supervision and, subsampled, as ordinary negatives for the four other threats.
Never the validation part of the threat set, OSACT's dev file, or the research-only dialect sets: those are
what quality is measured on.

Per threat: logistic regression (liblinear, fixed seed) over [hashed char n-grams | dense evidence], then
Platt calibration fitted on out-of-fold margins, then one threshold per threat chosen on out-of-fold
probabilities of the threat set to maximise F1 (harassment: the mean of threat-set F1 and OSACT macro-F1).
One threshold for every language keeps "a score means the same in every language".
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold

from sitr.detect.features import (
    DENSE_NAMES,
    HASH_LAYOUT,
    N_HASH_FEATURES,
    compute_idf,
    dense_features,
    hashed_counts,
    model_text,
    vectorize_texts,
)
from sitr.detect.registry import default_registry
from sitr.evaluation.data import (
    Example,
    mlma_examples,
    osact_examples,
    read_threat_file,
    shared_data_dir,
    threat_examples,
)
from sitr.models.threat_model import ThreatModel
from sitr.pipeline import prepare
from sitr.types import THREATS

SEED = 13
FOLDS = 5
THREAT_WEIGHT = 4.0
AUX_NEGATIVE_SAMPLE = 4000
# Regularisation per threat (inverse strength), chosen once by cross-validation on the training part.
C_BY_THREAT = {"harassment": 10.0, "outing": 2.0, "doxxing": 2.0, "extortion": 2.0, "entrapment": 2.0}

# The lexicons were written by people who had read the training items, so on those items lexicon evidence is
# more complete than it will be on text nobody has seen. Training also on copies whose lexicon and name hits are
# randomly thinned teaches the model not to lean on any single hit, and keeps thresholds honest.
LEXICON_DROPOUT = 0.4

Progress = Callable[[str], None]


@dataclass
class Matrix:
    x: sp.csr_matrix
    examples: list[Example]


def featurize(
    examples: list[Example], progress: Progress | None = None, augment: int = 0
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Feature rows for every example, then `augment` extra rows: copies of the first `augment` examples
    whose lexicon and name evidence is randomly thinned (see LEXICON_DROPOUT)."""
    registry = default_registry()
    texts: list[str] = []
    dense: list[np.ndarray] = []
    thinned: list[np.ndarray] = []
    for n, ex in enumerate(examples):
        doc = prepare(ex.item, registry)
        texts.append(model_text(doc))
        dense.append(dense_features(doc))
        if n < augment:
            rng = random.Random(f"{SEED}:{ex.item.id}")
            full = doc.findings
            doc.findings = [f for f in full if f.kind.startswith("pii:") or rng.random() >= LEXICON_DROPOUT]
            thinned.append(dense_features(doc))
            doc.findings = full
        if progress and n and n % 2000 == 0:
            progress(f"featurized {n}/{len(examples)}")
    texts.extend(texts[:augment])
    dense.extend(thinned)
    idf = compute_idf(hashed_counts(texts))
    x_text = vectorize_texts(texts, idf)
    x_dense = sp.csr_matrix(np.vstack(dense))
    return sp.hstack([x_text, x_dense], format="csr", dtype=np.float32), idf


def _fit(x: sp.csr_matrix, y: np.ndarray, w: np.ndarray, c: float) -> LogisticRegression:
    clf = LogisticRegression(C=c, solver="liblinear", random_state=SEED, max_iter=2000)
    clf.fit(x, y, sample_weight=w)
    return clf


def _platt(margins: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    lr.fit(margins.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _best_threshold(probs: np.ndarray, y: np.ndarray, extra: tuple[np.ndarray, np.ndarray] | None) -> float:
    best, best_t = -1.0, 0.5
    for t in np.arange(0.2, 0.81, 0.02):
        f = f1_score(y, probs >= t, zero_division=0)
        if extra is not None:
            p2, y2 = extra
            f = (f + f1_score(y2, p2 >= t, average="macro", zero_division=0)) / 2
        if f > best + 1e-9:
            best, best_t = f, float(t)
    return round(best_t, 2)


def _rows_for(threat: str, threat_rows: list[int], aux_rows: list[int], rng: random.Random) -> list[int]:
    if threat == "harassment":
        return threat_rows + aux_rows
    sample = sorted(rng.sample(aux_rows, min(AUX_NEGATIVE_SAMPLE, len(aux_rows))))
    return threat_rows + sample


def train(data_dir: Path | None = None, out_dir: Path | None = None, progress: Progress | None = None) -> ThreatModel:
    say = progress or (lambda _m: None)
    started = time.time()
    data_dir = data_dir or shared_data_dir()
    threat_set = threat_examples("train", data_dir) + extra_examples()
    osact = osact_examples("train", data_dir)
    mlma = mlma_examples(data_dir)
    examples = threat_set + osact + mlma
    say(f"training on {len(threat_set)} threat items, {len(osact)} OSACT, {len(mlma)} MLMA")
    n_threat = len(threat_set)
    x, idf = featurize(examples, say, augment=n_threat)
    n_all = len(examples)
    threat_rows = list(range(n_threat))
    aug_rows = list(range(n_all, n_all + n_threat))
    aux_rows = list(range(n_threat, n_all))
    osact_rows = np.arange(n_threat, n_threat + len(osact))
    weights = np.array(
        [THREAT_WEIGHT if e.source == "threats" else (0.5 if e.source.startswith("mlma") else 1.0) for e in examples]
        + [THREAT_WEIGHT] * n_threat
    )
    groups_all = np.concatenate([np.arange(n_all), np.arange(n_threat)])
    k = len(THREATS)
    w_text = np.zeros((N_HASH_FEATURES, k), dtype=np.float32)
    w_dense = np.zeros((len(DENSE_NAMES), k), dtype=np.float32)
    bias = np.zeros(k, dtype=np.float32)
    calib_a = np.ones(k, dtype=np.float32)
    calib_b = np.zeros(k, dtype=np.float32)
    thresholds = np.full(k, 0.5, dtype=np.float32)
    report: dict[str, dict[str, float]] = {}
    for ti, threat in enumerate(THREATS):
        rng = random.Random(SEED + ti)
        rows = np.array(_rows_for(threat, threat_rows, aux_rows, rng) + aug_rows)
        y_base = np.array([1 if threat in e.labels else 0 for e in examples])
        y_all = np.concatenate([y_base, y_base[:n_threat]])
        xs, ys, ws = x[rows], y_all[rows], weights[rows]
        oof = np.zeros(len(rows))
        skf = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
        strata = ys * 2 + (rows < n_threat)
        for fold_train, fold_test in skf.split(np.zeros(len(rows)), strata, groups_all[rows]):
            clf = _fit(xs[fold_train], ys[fold_train], ws[fold_train], C_BY_THREAT[threat])
            oof[fold_test] = clf.decision_function(xs[fold_test])
        # Calibrate and choose thresholds on real rows only (the thinned copies only train).
        ys_fit = ys
        real = rows < n_all
        rows, oof, ys = rows[real], oof[real], ys[real]
        a, b = _platt(oof, ys)
        probs = 1.0 / (1.0 + np.exp(-(a * oof + b)))
        in_threat = rows < n_threat
        extra = None
        if threat == "harassment":
            is_osact = np.isin(rows, osact_rows)
            extra = (probs[is_osact], ys[is_osact])
        thr = _best_threshold(probs[in_threat], ys[in_threat], extra)
        f1_oof = float(f1_score(ys[in_threat], probs[in_threat] >= thr, zero_division=0))
        report[threat] = {"oof_f1_threat_set": round(f1_oof, 4), "threshold": thr, "C": C_BY_THREAT[threat]}
        if extra is not None:
            report[threat]["oof_macro_f1_osact_train"] = round(
                float(f1_score(extra[1], extra[0] >= thr, average="macro", zero_division=0)), 4
            )
        clf = _fit(xs, ys_fit, ws, C_BY_THREAT[threat])
        coef = clf.coef_[0].astype(np.float32)
        w_text[:, ti] = coef[:N_HASH_FEATURES]
        w_dense[:, ti] = coef[N_HASH_FEATURES:]
        bias[ti] = float(clf.intercept_[0])
        calib_a[ti], calib_b[ti] = a, b
        thresholds[ti] = thr
        say(f"{threat}: out-of-fold F1 {f1_oof:.3f} at threshold {thr:.2f}")
    card = {
        "version": _version(threat_set),
        "created_by": "sitr train (sitr.models.train)",
        "seed": SEED,
        "folds": FOLDS,
        "threats": list(THREATS),
        "n_hash_features": N_HASH_FEATURES,
        "hash_layout": HASH_LAYOUT,
        "dense_features": list(DENSE_NAMES),
        "training_data": {
            "threats/dev.jsonl (train part) + data/threats-extra*.jsonl": len(threat_set),
            "public/osact2020-ar train (OFF -> harassment)": len(osact),
            "public/mlma ar/fr/en (hostile -> harassment)": len(mlma),
        },
        "cross_validation": report,
    }
    model = ThreatModel(
        version=str(card["version"]),
        w_text=w_text,
        w_dense=w_dense,
        bias=bias,
        calib_a=calib_a,
        calib_b=calib_b,
        thresholds=thresholds,
        idf=idf,
        card=card,
    )
    target = out_dir or Path(__file__).resolve().parent
    model.save(target)
    say(f"saved to {target} in {time.time() - started:.0f} s")
    return model


DATA_DIR = Path(__file__).resolve().parents[3] / "data"
EXTRA_FILES = ("threats-extra.jsonl", "threats-extra-2.jsonl")


def extra_examples() -> list[Example]:
    """The project's own extra labelled examples (data/threats-extra*.jsonl): training only, never validation."""
    out: list[Example] = []
    for name in EXTRA_FILES:
        if (DATA_DIR / name).is_file():
            out.extend(read_threat_file(DATA_DIR / name))
    return out


def _version(threat_set: list[Example]) -> str:
    """Model version = hash of the training ids and the feature layout: same data, same version."""
    h = hashlib.sha256()
    for e in threat_set:
        h.update(e.item.id.encode())
    h.update(json.dumps([N_HASH_FEATURES, HASH_LAYOUT, list(DENSE_NAMES), C_BY_THREAT, SEED]).encode())
    return "threats-" + h.hexdigest()[:12]
