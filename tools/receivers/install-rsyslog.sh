#!/usr/bin/env bash
# Installs Debian's rsyslog with its GnuTLS driver when missing (the SIEM feed's syslog tests run a
# real receiver). Needs root and the Debian archive, as CI has; prints where rsyslogd is.
set -euo pipefail
if command -v rsyslogd >/dev/null && [[ -n "$(find /usr/lib -name lmnsd_gtls.so -print -quit 2>/dev/null)" ]]; then
  command -v rsyslogd
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "install-rsyslog: rsyslog and rsyslog-gnutls are missing and installing them needs root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -qq update >/dev/null
apt-get -qq install -y --no-install-recommends rsyslog rsyslog-gnutls >/dev/null
command -v rsyslogd
