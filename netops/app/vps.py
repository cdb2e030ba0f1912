"""The VPS register as the CLI, the audit and (later) the web use it: one way to build the service."""
from __future__ import annotations

import os
from datetime import timedelta

from netops.config import Config
from netops.provision.backends import get_backend
from netops.provision.service import DEFAULT_GRACE, VpsService
from netops.sources.inventory import Inventory
from netops.store.db import Store


def vps_service(config: Config, inventory: Inventory, store: Store, backend: str | None = None) -> VpsService:
    """The register over the store, the Pusat Data of the inventory, and the chosen backend (dry-run by default)."""
    grace = os.environ.get("NETOPS_VPS_IP_GRACE_DAYS")
    return VpsService(store, inventory.pusat_data, inventory.pds.keys(), get_backend(backend, config.root),
                      grace=timedelta(days=int(grace)) if grace else DEFAULT_GRACE)
