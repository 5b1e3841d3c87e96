"""`sitr scan`: bad input never stops the run, order is kept, the exit code tells if anything failed."""

import io
import json
from pathlib import Path

from typer.testing import CliRunner

from sitr.cli import app
from sitr.scan import MAX_LINE_BYTES, iter_lines, scan_lines
from sitr.types import MAX_TEXT_BYTES

runner = CliRunner()


def _lines(*rows: bytes) -> list[tuple[int, bytes | None]]:
    return list(iter_lines(io.BytesIO(b"".join(rows))))


def test_every_bad_line_becomes_an_error_record_in_order() -> None:
    good = json.dumps({"id": "ok1", "text": "hello friends"}).encode() + b"\n"
    rows = [
        good,
        b"{not json\n",
        b"\xff\xfe bad utf8\n",
        json.dumps({"text": "no id"}).encode() + b"\n",
        json.dumps({"id": "big", "text": "a" * (MAX_TEXT_BYTES + 10)}).encode() + b"\n",
        json.dumps({"id": "long", "messages": [{"from": "x", "text": "hi"}] * 501}).encode() + b"\n",
        b"\n",
        json.dumps({"id": "ok2", "messages": [{"from": "x", "text": "hi"}, {"from": "u", "text": "hey"}]}).encode(),
    ]
    out = list(scan_lines(_lines(*rows)))
    assert [r.get("id") for r in out] == ["ok1", None, None, None, "big", "long", "ok2"]
    assert "threats" in out[0] and "threats" in out[-1]
    assert out[1]["line"] == 2 and "malformed JSON" in out[1]["error"]
    assert out[2]["error"] == "invalid UTF-8"
    assert out[3]["error"] == "missing id"
    assert "64 KiB" in out[4]["error"]
    assert "500 messages" in out[5]["error"]


def test_over_long_line_is_skipped_without_losing_the_next() -> None:
    huge = b'{"id": "h", "text": "' + b"a" * (MAX_LINE_BYTES + 100) + b'"}\n'
    nxt = json.dumps({"id": "after", "text": "hi"}).encode() + b"\n"
    out = list(scan_lines(_lines(huge, nxt)))
    assert out[0]["line"] == 1 and "longer than" in out[0]["error"]
    assert out[1]["id"] == "after"


def test_assessment_shape() -> None:
    out = list(scan_lines(_lines(json.dumps({"id": "s", "text": "hello"}).encode())))
    record = out[0]
    assert set(record["threats"]) == {"harassment", "outing", "doxxing", "extortion", "entrapment"}
    for v in record["threats"].values():
        assert 0.0 <= v["score"] <= 1.0 and isinstance(v["detected"], bool)
    assert {"lang", "variety", "signals", "versions"} <= set(record)


def test_cli_exit_code_and_output_file(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "salam"}) + "\n{broken\n", encoding="utf-8")
    dest = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["scan", str(src), "-o", str(dest)])
    assert result.exit_code == 1
    lines = dest.read_text("utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["line"] == 2


def test_cli_clean_run_exits_zero(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "salam"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(src)])
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[0])["id"] == "a"


def test_workers_keep_order(tmp_path: Path) -> None:
    rows = [json.dumps({"id": f"i{n}", "text": f"message number {n}"}) for n in range(600)]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(src), "--workers", "2"])
    assert result.exit_code == 0
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines() if line.startswith("{")]
    assert ids == [f"i{n}" for n in range(600)]


def test_missing_file_is_a_clear_error() -> None:
    result = runner.invoke(app, ["scan", "/nonexistent/file.jsonl"])
    assert result.exit_code == 2
