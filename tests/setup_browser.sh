#!/bin/sh
# Install the headless browser the report's browser test renders with: Chromium and a CJK font
# from the Debian archive. Run by `make test` (and by the test itself when Chromium is missing).
# Exits 0 without installing when a browser is already there; exits 1, saying why, when none can
# be installed (not root, or no apt-get): the browser test then skips with that reason.
set -u
for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then
        exit 0
    fi
done
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup_browser: no apt-get here: install Chromium and a CJK font yourself" >&2
    exit 1
fi
if [ "$(id -u)" != "0" ]; then
    echo "setup_browser: not root: run 'sudo apt-get install chromium fonts-wqy-zenhei'" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
if ! apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null 2>&1; then
    echo "setup_browser: apt-get install chromium fonts-wqy-zenhei failed" >&2
    exit 1
fi
echo "setup_browser: installed chromium and fonts-wqy-zenhei"
