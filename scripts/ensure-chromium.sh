#!/usr/bin/env bash
# The browser tests drive Debian's chromium through playwright-core, which
# brings no browser of its own. This installs the package when it is missing
# and this machine can (root with apt-get); otherwise it says why, and the
# browser tests report themselves skipped with that reason.
# Used by `npm test`, `npm run test:all` and .ci/run alike.
set -u
[ -n "${CHROMIUM_PATH:-}" ] && exit 0
[ -x /usr/bin/chromium ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test: no /usr/bin/chromium and no apt-get here; the browser tests will be skipped (set CHROMIUM_PATH to a chromium binary to run them)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "test: no /usr/bin/chromium, and installing it needs root (sudo apt-get install chromium); the browser tests will be skipped"
  exit 0
fi
echo "test: installing Debian's chromium for the browser tests (once)"
export DEBIAN_FRONTEND=noninteractive
{ apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; } >/dev/null 2>&1 \
  || echo "test: chromium could not be installed; the browser tests will be skipped"
exit 0
