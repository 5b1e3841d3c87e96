#!/usr/bin/env bash
# Install sitr with its test tools, make sure the services the tests use are running (PostgreSQL; Chromium for
# the browser suite), then run lint, types and the tests.
# Locally the slow suite (model retraining) and the browser suite are skipped unless SITR_SLOW=1 / SITR_BROWSER=1;
# with CI=true everything runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
bash scripts/ensure_services.sh
.venv/bin/ruff check src tests bench scripts
.venv/bin/mypy
markers=()
if [ "${CI:-}" != "true" ]; then
  [ "${SITR_SLOW:-}" = "1" ] || markers+=("not slow")
  [ "${SITR_BROWSER:-}" = "1" ] || markers+=("not browser")
fi
if [ "${CI:-}" = "true" ] || [ "${SITR_BROWSER:-}" = "1" ]; then bash scripts/ensure_browser.sh; fi
expr=""
for m in "${markers[@]+"${markers[@]}"}"; do expr="${expr:+$expr and }$m"; done
if [ -n "$expr" ]; then
  .venv/bin/python -m pytest -q -m "$expr" "$@"
else
  .venv/bin/python -m pytest -q "$@"
fi
