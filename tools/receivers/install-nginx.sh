#!/usr/bin/env bash
# Installs Debian's nginx when missing: the secure local stack serves Elasticsearch through it
# (TLS and authentication; the integ-test distribution has no security plugin). Needs root and the
# Debian archive, as CI has; prints where nginx is. The package's own service is left stopped.
set -euo pipefail
if command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]]; then
  command -v nginx || echo /usr/sbin/nginx
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "install-nginx: nginx is missing and installing it needs root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: Debian's maintainer scripts must not start a system nginx on port 80.
policy=/usr/sbin/policy-rc.d
had_policy=0; [[ -e $policy ]] && had_policy=1
[[ $had_policy == 1 ]] || { printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; }
apt-get -qq update >/dev/null
apt-get -qq install -y --no-install-recommends nginx-light >/dev/null 2>&1 || apt-get -qq install -y --no-install-recommends nginx >/dev/null
[[ $had_policy == 1 ]] || rm -f "$policy"
command -v nginx || echo /usr/sbin/nginx
