#!/usr/bin/env bash
# Install sitr with its test tools, make sure the services the tests use are running, then run lint, types
# and the test suite. Slow suites (model retraining) run when SITR_SLOW=1 or CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
if [ -f scripts/ensure_services.sh ]; then bash scripts/ensure_services.sh; fi
.venv/bin/ruff check src tests bench scripts
.venv/bin/mypy
markers="not slow and not browser"
if [ "${CI:-}" = "true" ] || [ "${SITR_SLOW:-}" = "1" ]; then markers="not browser"; fi
.venv/bin/python -m pytest -q -m "$markers" "$@"
