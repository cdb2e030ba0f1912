"""FRR (zebra + ospfd) of a lab router: its config rendered from the inventory, one template per role.

Why OSPF point-to-point with hello 1 / dead 3: a cut fibre loses carrier and reroutes at
once; a silent failure (a hung neighbour) is noticed within 3 s, as the city's targets ask.
Costs come from the declared capacity and length (netops.analysis.graph.routing_cost). Every address in
198.18.0.0/15 is announced (loopback, management, LAN passively), plus the host routes
a PD edge keeps for the switches and APs behind it (kernel routes, /32 only).

The config is applied through vtysh, as `frrinit` does, so `show running-config` over SSH
returns exactly what was rendered, in FRR's own words.
"""
from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from netops.lab.plan import LAB_NETWORK, NOC_PORT, DevicePlan
from netops.lab.render import one_line

HELLO_S, DEAD_S = 1, 3
_ENV = Environment(loader=PackageLoader("netops.lab", "templates"), undefined=StrictUndefined,
                   autoescape=False, keep_trailing_newline=True)
_ENV.filters["line"] = one_line


def frr_conf(dev: DevicePlan) -> str:
    """The integrated FRR config of a router (its role's template)."""
    if not dev.is_router:
        raise ValueError(f"{dev.hostname} is a {dev.role}, not a router")
    router_id = (dev.loopback or dev.mgmt_ip).split("/")[0]
    text = _ENV.get_template(f"frr/{dev.role}.conf.j2").render(
        dev=dev, routed_ports=[p for p in dev.ports if p.ipv4], router_id=router_id, hello=HELLO_S, dead=DEAD_S,
        lab_network=LAB_NETWORK, noc_port=NOC_PORT)
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"
