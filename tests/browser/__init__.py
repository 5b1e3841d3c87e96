"""Browser tests: a real Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server."""
