#!/usr/bin/env bash
# The main job on the sample city (Batam): validate the declared network, bring up the emulated
# city, show it alive, sweep it, judge every fibre link, and check redundancy and diagram compliance.
# Needs root (network namespaces). Leaves the lab up to explore; `.venv/bin/netops lab down` removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
netops() { .venv/bin/netops "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. The declared city network"
netops inventory validate
netops inventory list --role core

step "2. The emulated city: one namespace per router and switch, real snmpd/lldpd/sshd"
netops lab up
netops lab status

step "3. Sweep: every device over SNMP, every fibre link judged, a snapshot stored"
netops sweep || echo "(some devices failed: see above)"
netops snapshots list

step "4. Redundancy: bridges, routers and ducts whose loss cuts PDs off the Pusat Data"
netops topology check || echo "(a redundancy policy of netops.yaml is violated: see above)"
netops topology path MPP
netops topology whatif --fail duct:DCT-EP-01

step "5. A fibre cut, seen by the next sweep"
netops lab fault cut-duct DCT-EP-01
sleep 5
netops sweep --pd MPP --pd DPMPTSP --pd SETWAN || true
netops lab fault restore --all

step "6. LAN diagrams (Perwali Art. 21): who is overdue"
netops diagram status

printf '\nThe emulated city is still up: try `.venv/bin/netops lab status`, `.venv/bin/netops sweep --json`,\n'
printf '`.venv/bin/netops topology render --format svg -o city.svg`; remove it with `.venv/bin/netops lab down`.\n'
