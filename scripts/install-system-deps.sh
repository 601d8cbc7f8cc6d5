#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for the web app's end-to-end tests (driven by
# playwright-core; browsers are never downloaded). Needs root and apt-get; does nothing when present.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
  echo "install-system-deps: Chromium is missing at /usr/bin/chromium and apt-get as root is not available; install Debian's 'chromium' package to run the browser tests" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "install-system-deps: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
