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

step "2. The emulated city: one namespace per device, routed by OSPF (FRR), managed in-band from the NOC"
netops lab up
netops lab status
sleep 5  # OSPF: every management address reachable from the NOC within a few seconds

step "3. Sweep: every device over SNMP, every fibre link judged, a snapshot stored"
netops sweep || echo "(some devices failed: see above)"
netops snapshots list

step "4. Redundancy: bridges, routers and ducts whose loss cuts PDs off the Pusat Data"
netops topology check || echo "(a redundancy policy of netops.yaml is violated: see above)"
netops topology path MPP
netops topology whatif --fail duct:DCT-EP-01

step "5. A cut duct isolates the PDs behind it: their devices time out, as in the city"
netops lab fault cut-duct DCT-EP-01
sleep 5
netops sweep --pd MPP --pd DPMPTSP --pd SETWAN || echo "(the PDs behind DCT-EP-01 time out: see above)"
netops lab fault restore --all

step "5b. A single fibre cut on a dual-homed PD: OSPF reroutes, DISDUKCAPIL still answers"
route() { ip -n netops-core-pd-01 route get "$(netops inventory show edge-disdukcapil-01 --json | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["device"]["mgmt_ip"])')" | head -1; }
echo "core-pd-01 to edge-disdukcapil-01 before: $(route)"
netops lab fault cut BTM-FO-0038
sleep 2
echo "core-pd-01 to edge-disdukcapil-01 after:  $(route)"
netops sweep --pd DISDUKCAPIL
netops lab fault restore --all

step "6. LAN diagrams (Perwali Art. 21): who is overdue"
netops diagram status

printf '\nThe emulated city is still up: try `.venv/bin/netops lab status`, `.venv/bin/netops sweep --json`,\n'
printf '`.venv/bin/netops topology render --format svg -o city.svg`; remove it with `.venv/bin/netops lab down`.\n'
