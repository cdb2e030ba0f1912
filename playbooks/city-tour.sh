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
step "5a. Service Desk: MPP's Tier 1 calls; Tier 2 opens, escalates (a live diagnosis) and sees the cause"
netops ticket open --pd MPP --summary "Tidak bisa akses aplikasi di Pusat Data" --reporter "Tier 1 MPP" --priority P1
netops ticket escalate "$(netops ticket list --open --pd MPP --json | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')" || true
netops diagnose MPP || echo "(a fault: see the cause, the place and the message for Tier 1 above)"
netops ticket incidents --open
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

step "7. Playbooks: every router's running config into git, secrets stripped; then the Dinas baseline"
netops play playbooks/config-backup.yaml || echo "(some routers failed: see the recap)"
netops play playbooks/compliance.yaml || echo "(compliance findings: see the recap)"
netops config history core-pd-01

step "8. The infrastructure audit report (Perwali Art. 42), HTML and PDF"
netops audit report --out var/audit

step "9. The web portal: demo users (passwords shown once), then \`netops serve\`"
for user in "demo-noc --role engineer" "demo-disdukcapil --role pd --pd DISDUKCAPIL"; do
  # shellcheck disable=SC2086
  netops users add $user 2>/dev/null || echo "(user ${user%% *} exists: \`netops users reset ${user%% *}\` prints a new password)"
done

printf '\nThe emulated city is still up: try `.venv/bin/netops lab status`, `.venv/bin/netops sweep --json`,\n'
printf '`.venv/bin/netops topology render --format svg -o city.svg`; remove it with `.venv/bin/netops lab down`.\n'
printf 'Open the portal: `.venv/bin/netops serve`, then http://127.0.0.1:8080 as demo-noc or demo-disdukcapil.\n'
