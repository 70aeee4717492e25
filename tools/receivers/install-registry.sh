#!/usr/bin/env bash
# Installs Debian's docker-registry (Docker Distribution) and skopeo when missing: the intake's
# tests run a real registry whose notifications point at the intake, and push and pull with skopeo.
# Needs root and the Debian archive, as CI has; prints where both programs are.
set -euo pipefail
if command -v docker-registry >/dev/null && command -v skopeo >/dev/null; then
  command -v docker-registry skopeo
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "install-registry: docker-registry and skopeo are missing and installing them needs root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -qq update >/dev/null
apt-get -qq install -y --no-install-recommends docker-registry skopeo >/dev/null
command -v docker-registry skopeo
