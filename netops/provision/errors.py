"""Why a VPS request was refused: each a one-line message a Dinas engineer can act on."""
from __future__ import annotations

from netops.errors import NetopsError


class ProvisionError(NetopsError):
    """A request that cannot be met as asked; nothing was written."""


class QuotaError(ProvisionError):
    """The PD's quota (Art. 15: the Dinas decides how much each PD gets) would be exceeded."""


class CapacityError(ProvisionError):
    """No hypervisor host has room for the VPS."""


class PoolExhaustedError(ProvisionError):
    """Every address of the PD's IP pools is held."""


class BackendError(NetopsError):
    """The hypervisor (libvirt) or the plan directory refused an operation."""
