#!/usr/bin/env bash
# Installs Debian's Chromium when missing: the console's tests drive it with playwright-core
# (executablePath /usr/bin/chromium). Needs root and the Debian archive, as CI has.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  echo /usr/bin/chromium
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "install-chromium: /usr/bin/chromium is missing and installing it needs root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -qq update >/dev/null
apt-get -qq install -y --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo /usr/bin/chromium
