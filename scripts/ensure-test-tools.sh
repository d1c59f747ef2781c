#!/usr/bin/env bash
# Two test suites need a program from Debian that a fresh machine may lack:
# - the browser tests (test/browser/) drive Debian's chromium through
#   playwright-core, which brings no browser of its own;
# - the DCC schema tests (test/codecs/dcc-schema.test.ts) validate exported
#   certificates with xmllint (package libxml2-utils).
# This installs the missing ones in one apt-get run when this machine can
# (root with apt-get); otherwise it says why, and those tests report
# themselves skipped with that reason.
#
# scripts/run-tests.mjs --install-tools (npm test, npm run test:all, and so
# .ci/run) runs it beside the other test files and holds back only the files
# that need these programs until it ends.
set -u
want=()
if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then want+=(chromium); fi
command -v xmllint >/dev/null 2>&1 || want+=(libxml2-utils)
[ ${#want[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test: ${want[*]} missing and no apt-get here; the tests that need them will be skipped (set CHROMIUM_PATH to a chromium binary; install libxml2's xmllint)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "test: ${want[*]} missing, and installing needs root (sudo apt-get install ${want[*]}); the tests that need them will be skipped"
  exit 0
fi
echo "test: installing Debian's ${want[*]} for the browser and DCC schema tests (once)"
export DEBIAN_FRONTEND=noninteractive
{ apt-get install -y -q "${want[@]}" || { apt-get update -q && apt-get install -y -q "${want[@]}"; }; } >/dev/null 2>&1 \
  || echo "test: ${want[*]} could not be installed; the tests that need them will be skipped"
exit 0
