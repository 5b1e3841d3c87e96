#!/usr/bin/env bash
# Make sure the browser tests (tests/browser, marker `browser`) can drive a real Chromium.
#
# Installs Debian's `chromium` with apt-get when /usr/bin/chromium is missing, plus a font with full Arabic
# coverage so right-to-left pages render as a reader sees them, and makes sure pip's `playwright` package (the
# `test` extra) is in the project venv. It never runs `playwright install`: that downloads a browser build
# from the internet, which is neither needed nor reachable here; the tests launch /usr/bin/chromium instead.
# Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
# An Arabic-capable font: without one, Arabic shows as empty boxes in screenshots.
if ! fc-list :lang=ar 2>/dev/null | grep -q .; then packages+=(fonts-noto-core); fi

if [ "${#packages[@]}" -gt 0 ]; then
  echo "ensure_browser: installing ${packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  echo "ensure_browser: chromium and an Arabic font already installed"
fi

if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import playwright' 2>/dev/null; then
  echo "ensure_browser: installing the playwright package (test extra)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
fi

/usr/bin/chromium --version
