"""The `hash`, `match` and `bank` commands end to end on a temporary database; bad input exits cleanly."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
import typer
from PIL import Image, ImageFilter
from typer.testing import CliRunner

from sitr.media.cli import app, database_url, register

runner = CliRunner()


def photo(seed: int, size: tuple[int, int] = (400, 300)) -> Image.Image:
    rng = np.random.default_rng(seed)
    base = (rng.random((9, 12, 3)) * 255).astype(np.uint8)
    return Image.fromarray(base).resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {
        "victim": tmp_path / "victim.jpg",
        "mirrored": tmp_path / "mirrored.png",
        "other": tmp_path / "other.png",
        "flat": tmp_path / "flat.png",
        "truncated": tmp_path / "truncated.jpg",
        "text": tmp_path / "notes.png",
        "tiff": tmp_path / "scan.tif",
    }
    photo(1).save(out["victim"], quality=90)
    photo(1).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(out["mirrored"])
    photo(2).save(out["other"])
    Image.new("RGB", (64, 64), (200, 200, 200)).save(out["flat"])
    out["truncated"].write_bytes(out["victim"].read_bytes()[:1500])
    out["text"].write_text("not an image")
    photo(3).save(out["tiff"])
    return out


def run(*args: str | Path, db: Path | None = None) -> tuple[int, str, str]:
    argv = [str(a) for a in args] + (["--db", f"sqlite:///{db}"] if db is not None else [])
    res = runner.invoke(app, argv)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.stdout, res.stderr


def test_hash_prints_hash_quality_and_transforms(files: dict[str, Path]) -> None:
    code, out, _ = run("hash", files["victim"], "--json")
    assert code == 0
    d = json.loads(out)
    assert len(d["pdq"]) == 64 and d["quality"] >= 50 and len(d["dihedral"]) == 8
    code, out, _ = run("hash", files["victim"])
    assert code == 0 and d["pdq"] in out and "rotate90" in out and "flip_minus1" in out
    code, out, _ = run("hash", files["victim"], "--no-dihedral")
    assert code == 0 and out.strip() == f"{files['victim']}\t{d['pdq']}\tquality={d['quality']}"


@pytest.mark.parametrize(
    ("name", "reason"), [("truncated", "corrupt"), ("text", "not_an_image"), ("tiff", "unsupported_format")]
)
def test_hash_bad_files_exit_1_with_reason(files: dict[str, Path], name: str, reason: str) -> None:
    code, out, _ = run("hash", files[name], files["other"], "--json")
    assert code == 1
    lines = [json.loads(x) for x in out.splitlines()]
    assert lines[0]["error"] == reason and "pdq" in lines[1]


def test_hash_missing_file(files: dict[str, Path], tmp_path: Path) -> None:
    code, _, err = run("hash", tmp_path / "nope.jpg")
    assert code == 1 and "cannot read file" in err


def test_bank_lifecycle_and_matching(files: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "sitr.db"
    assert run("bank", "create", "victims", "--purpose", "victim_submitted", db=db)[0] == 0
    assert run("bank", "create", "victims", "--purpose", "victim_submitted", db=db)[0] == 1
    assert run("bank", "create", "x", "--purpose", "revenge", db=db)[0] == 1
    code, out, _ = run("bank", "add", "victims", files["victim"], db=db)
    assert code == 0 and "added 1" in out
    code, _, err = run("bank", "add", "victims", files["flat"], db=db)
    assert code == 1 and "quality" in err
    code, out, _ = run("match", files["mirrored"], files["other"], "--json", db=db)
    assert code == 0
    first, second = (json.loads(x) for x in out.splitlines())
    assert first["matches"][0]["bank"] == "victims" and first["matches"][0]["purpose"] == "victim_submitted"
    assert first["matches"][0]["distance"] <= 31 and second["matches"] == []
    code, out, _ = run("bank", "list", "--json", db=db)
    assert json.loads(out)[0]["size"] == 1

    export = tmp_path / "victims.csv"
    assert run("bank", "export", "victims", "-o", export, db=db)[0] == 0
    assert run("bank", "create", "ext", "--purpose", "known_extortion", db=db)[0] == 0
    code, out, _ = run("bank", "import", "ext", export, db=db)
    assert code == 0 and "imported 1" in out
    code, out, _ = run("bank", "export", "ext", db=db)
    assert out.split(",")[0] == export.read_text().split(",")[0]

    pdq = export.read_text().split(",")[0]
    code, out, _ = run("match", pdq, db=db)
    assert code == 0 and "victims" in out and "ext" in out
    assert run("bank", "disable", "ext", db=db)[0] == 0
    assert "ext" not in run("match", pdq, db=db)[1]
    assert run("bank", "remove", "victims", pdq, db=db)[1].strip() == "removed 1"
    assert run("bank", "remove", "victims", "zz", db=db)[0] == 2
    assert run("bank", "clear", "ext", "--yes", db=db)[1].strip() == "removed 1"
    assert run("bank", "delete", "ext", "--yes", db=db)[0] == 0
    assert run("bank", "clear", "ext", "--yes", db=db)[0] == 1
    code, out, _ = run("bank", "list", db=db)
    assert out.startswith("victims\tvictim_submitted\touting\t0 hashes")


def test_import_bad_csv_is_rejected(tmp_path: Path) -> None:
    db = tmp_path / "sitr.db"
    run("bank", "create", "a", "--purpose", "partner_shared", db=db)
    bad = tmp_path / "bad.csv"
    bad.write_text("deadbeef,1,2020-01-01T00:00:00+0000,x\n")
    code, _, err = run("bank", "import", "a", bad, db=db)
    assert code == 1 and "line 1" in err
    code, _, err = run("bank", "import", "a", tmp_path / "missing.csv", db=db)
    assert code == 1


def test_database_url_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITR_DATABASE_URL", raising=False)
    monkeypatch.setenv("SITR_HOME", str(tmp_path / "home"))
    assert database_url() == f"sqlite:///{tmp_path / 'home' / 'sitr.db'}"
    monkeypatch.setenv("SITR_DATABASE_URL", "sqlite:///env.db")
    assert database_url() == "sqlite:///env.db"
    assert database_url("sqlite:///cli.db") == "sqlite:///cli.db"


def test_register_mounts_commands_on_parent() -> None:
    parent = typer.Typer()

    @parent.command()
    def version() -> None:
        typer.echo("1")

    register(parent)
    res = runner.invoke(parent, ["bank", "--help"])
    assert res.exit_code == 0 and "create" in res.stdout
    img = io.BytesIO()
    photo(4).save(img, format="PNG")
    assert runner.invoke(parent, ["hash", "--help"]).exit_code == 0
