#!/usr/bin/env bash
# Debian's headless Chromium and CJK fonts for the browser tests (tests/browser).
# Playwright's own browser download does not work offline: we drive /usr/bin/chromium instead.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
