"""`sitr scan --banks`: an item whose image is a reposted victim photo gets a media signal fused in."""

import json
from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from sitr.cli import app

runner = CliRunner()


def _photo(path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, size=(24, 32, 3), dtype=np.uint8)
    Image.fromarray(base).resize((320, 240), Image.Resampling.BICUBIC).save(path)


def test_victim_photo_repost_is_matched_and_fused(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'banks.db'}"
    victim, mirrored, other = tmp_path / "victim.png", tmp_path / "mirrored.png", tmp_path / "other.png"
    _photo(victim, 1)
    Image.open(victim).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(mirrored)
    _photo(other, 2)
    assert runner.invoke(app, ["bank", "create", "victims", "--purpose", "victim_submitted", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["bank", "add", "victims", str(victim), "--db", db]).exit_code == 0
    items = tmp_path / "items.jsonl"
    rows = [
        {"id": "repost", "text": "look who this is", "images": [str(mirrored)]},
        {"id": "clean", "text": "look at this view", "images": [str(other)]},
        {"id": "broken", "text": "hi", "images": ["not base64 !!"]},
    ]
    items.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(items), "--banks", "--db", db])
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    by_id = {r["id"]: r for r in records}
    media = [s for s in by_id["repost"]["signals"] if s["detector"] == "media_pdq"]
    assert media and media[0]["spans"][0]["kind"].startswith("media:victim_submitted:")
    assert by_id["repost"]["threats"][media[0]["threat"]]["detected"]
    assert not [s for s in by_id["clean"]["signals"] if s["detector"] == "media_pdq"]
    assert "error" in by_id["broken"]
    assert result.exit_code == 1  # the broken image line failed
