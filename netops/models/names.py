"""How names are compared across vendors and sources: one rule, used by every layer.

`Gi0/1` and `GigabitEthernet0/1` are one interface (NAPALM's canonical long form);
`Edge-01.batam.go.id` and `edge-01` are one host.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8192)
def canonical_interface(name: str) -> str:
    """NAPALM's canonical long form (`Gi0/1` -> `GigabitEthernet0/1`); unknown names unchanged."""
    # Imported here: napalm takes ~0.6 s to import, and most commands never compare interface names.
    from napalm.base.helpers import canonical_interface_name

    name = name.strip()
    return canonical_interface_name(name) if name else name


def short_host(name: str) -> str:
    """`Edge-01.Batam.go.id` -> `edge-01`: how LLDP system names are matched to inventory names."""
    return name.strip().split(".")[0].lower()
