#!/usr/bin/env bash
# Set up netops on a fresh Debian 12 machine: Debian packages (as root) and a virtualenv in .venv.
# Idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."
DEBS="iputils-ping snmpd snmp lldpd openssh-server frr nftables iproute2 graphviz libvirt-dev pkg-config gcc python3-dev python3-venv procps libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core libharfbuzz-subset0 poppler-utils postgresql postgresql-client chromium"
if [ "$(id -u)" = 0 ]; then
  missing=$(for p in $DEBS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
  if [ -n "$missing" ]; then
    # Never let apt start these daemons in the root namespace (a root lldpd would talk on the real NIC).
    if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
else
  echo "setup: not root; skipping Debian packages (the emulated lab needs root and: $DEBS)" >&2
fi
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test,vps]'
echo "setup: ok ($(.venv/bin/netops --version))"
