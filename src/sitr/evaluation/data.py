"""Loaders for the labelled data in ../shared/data (never copied into the repository).

Each loader yields `Example`s: an Item, its gold threat labels, and the metadata evaluation groups by.
Which sets may train shipped models is decided by ../shared/data/README.md: the threat set, OSACT2020 and
MLMA may; the research set is for evaluation only, and this module marks it so.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitr.evaluation.split import is_validation
from sitr.types import THREATS, Item, ItemError

ARABIC_SCRIPT_VARIETIES = frozenset({"msa", "egy", "lev", "glf", "irq", "tun", "mor", "alg"})
MAGHREBI = frozenset({"tun", "mor", "alg"})


def shared_data_dir() -> Path:
    """`SITR_SHARED_DATA`, else the `shared/data` folder next to the repository checkout."""
    env = os.environ.get("SITR_SHARED_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if (parent / "pyproject.toml").is_file() and candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "data"


@dataclass(frozen=True)
class Example:
    item: Item
    labels: frozenset[str]
    source: str
    variety: str = "unknown"  # the data's own variety tag
    group: str = "unknown"  # evaluation group: arabic_script | arabizi | french | english | mixed
    weight: float = 1.0
    meta: dict[str, str] = field(default_factory=dict)


def language_group(lang: str, variety: str) -> str:
    if variety == "arabizi":
        return "arabizi"
    if variety in ARABIC_SCRIPT_VARIETIES:
        return "arabic_script"
    if variety == "fr" or lang == "fr":
        return "french"
    if variety == "en" or lang == "en":
        return "english"
    return "mixed"


def coarse_variety(variety: str) -> str:
    """The varieties sitr's language identifier distinguishes (Maghrebi as one)."""
    return "mag" if variety in MAGHREBI else variety


def read_threat_file(path: Path) -> Iterator[Example]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            yield threat_example(row)


def threat_example(row: dict[str, object]) -> Example:
    item = Item.from_dict(row)
    labels = row.get("labels") or []
    if not isinstance(labels, list) or any(label not in THREATS for label in labels):
        raise ItemError(f"item {item.id}: labels must be a subset of {', '.join(THREATS)}")
    variety = str(row.get("variety", "unknown"))
    lang = str(row.get("lang", ""))
    return Example(
        item=item,
        labels=frozenset(str(x) for x in labels),
        source="threats",
        variety=variety,
        group=language_group(lang, variety),
        meta={"obfuscated": str(bool(row.get("obfuscated", False))).lower(), "context": str(row.get("context"))},
    )


def threat_examples(part: str | None = None, data_dir: Path | None = None) -> list[Example]:
    """The labelled threat set; `part` = "train" | "validation" | None (all)."""
    path = (data_dir or shared_data_dir()) / "threats" / "dev.jsonl"
    out = list(read_threat_file(path))
    if part is None:
        return out
    want_validation = part == "validation"
    return [e for e in out if is_validation(e.item.id) == want_validation]


def read_offensive_tsv(path: Path, source: str, id_prefix: str = "") -> list[Example]:
    """OSACT's format: `text<TAB>OFF|NOT_OFF<TAB>...`, `<LF>` for newlines; harassment := OFF."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            text = parts[0].replace("<LF>", "\n")
            labels = frozenset({"harassment"}) if parts[1] == "OFF" else frozenset()
            item = Item(id=f"{id_prefix}{n}", text=text, surface="post")
            out.append(Example(item, labels, source, "unknown", "arabic_script"))
    return out


def read_offensive_csv(path: Path, source: str, id_prefix: str = "", limit: int | None = None) -> list[Example]:
    """CSV with `text` and a binary `offensive` (or `label`) column; harassment := offensive."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            text = row.get("text") or ""
            label = str(row.get("offensive", row.get("label", "0"))).strip().lower()
            offensive = label in {"1", "true", "off", "offensive", "yes"}
            if not text.strip():
                continue
            item = Item(id=f"{id_prefix}{n}", text=text[:60000], surface="post")
            out.append(Example(item, frozenset({"harassment"}) if offensive else frozenset(), source))
            if limit is not None and len(out) >= limit:
                break
    return out


def osact_examples(split: str, data_dir: Path | None = None) -> list[Example]:
    """OSACT2020 (OffensEval 2020 Arabic); harassment := the OFF label. split: "train" | "dev"."""
    path = (data_dir or shared_data_dir()) / "public" / "osact2020-ar" / f"OSACT2020-sharedTask-{split}.tsv"
    return read_offensive_tsv(path, f"osact-{split}", f"osact-{split}-")


def mlma_examples(data_dir: Path | None = None) -> list[Example]:
    """MLMA ar/fr/en; harassment := any hostility label (the authors' binarisation: `normal` is non-toxic)."""
    base = (data_dir or shared_data_dir()) / "public" / "mlma"
    out = []
    groups = {"ar": "arabic_script", "fr": "french", "en": "english"}
    for lang, group in groups.items():
        with (base / f"{lang}_dataset.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                labels = frozenset() if row["sentiment"] == "normal" else frozenset({"harassment"})
                item = Item(id=f"mlma-{lang}-{row['HITId']}", text=row["tweet"], surface="post")
                out.append(Example(item, labels, f"mlma-{lang}", "unknown", group))
    return out


RESEARCH_SETS = (
    "alakrot-youtube",
    "aref2020-religious",
    "l-hsab",
    "let-mi",
    "moroccan-20k-mixed-script",
    "mpold-chowdhury2020",
    "mubarak2017-twitter",
    "omcd",
    "saudi-alhazmi2023",
)


def research_examples(name: str, data_dir: Path | None = None, limit: int | None = None) -> list[Example]:
    """EVALUATION ONLY (GPL-3.0 redistribution; several upstream sets carry no licence): never train on these."""
    path = (data_dir or shared_data_dir()) / "research-eval-only" / "arabic-offensive-dialects" / f"{name}.csv"
    return read_offensive_csv(path, name, f"{name}-", limit)
