#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing and this machine can:
# as root with apt-get. Otherwise it says so and carries on; the browser tests then skip
# (or fail, with CALLIMACHUS_REQUIRE_SERVICES=1). Playwright's own browser download does not
# work here: the tests launch the system's Chromium by path.
set -u
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get install chromium)…"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    exit 0
  fi
  echo "Could not install Chromium; the browser tests will skip." >&2
  exit 0
fi
echo "Chromium is not installed and cannot be installed here (needs root and apt-get); the browser tests will skip." >&2
exit 0
