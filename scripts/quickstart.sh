#!/usr/bin/env bash
# Install sitr and run its main job on the embedded default: scan the bundled example items and print
# one assessment per line (the shipped model and lexicons; nothing is downloaded).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/sitr scan examples/items.jsonl -o sitr-scan.jsonl
echo "assessments written to sitr-scan.jsonl; try: .venv/bin/sitr analyze \"your text\"" >&2
