#!/usr/bin/env bash
# The DCC schema tests (test/codecs/dcc-schema.test.ts) validate exported
# certificates with xmllint against the PTB schemas in ../shared/dcc-xsd/.
# This installs Debian's libxml2-utils, which brings xmllint, when it is
# missing and this machine can (root with apt-get); otherwise it says why, and
# those tests report themselves skipped with that reason.
# Used by `npm test`, `npm run test:all` and so .ci/run, beside ensure-chromium.sh.
set -u
command -v xmllint >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test: no xmllint and no apt-get here; the DCC schema tests will be skipped (install libxml2's xmllint to run them)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "test: no xmllint, and installing it needs root (sudo apt-get install libxml2-utils); the DCC schema tests will be skipped"
  exit 0
fi
echo "test: installing Debian's libxml2-utils (xmllint) for the DCC schema tests (once)"
export DEBIAN_FRONTEND=noninteractive
{ apt-get install -y -q libxml2-utils || { apt-get update -q && apt-get install -y -q libxml2-utils; }; } >/dev/null 2>&1 \
  || echo "test: libxml2-utils could not be installed; the DCC schema tests will be skipped"
exit 0
