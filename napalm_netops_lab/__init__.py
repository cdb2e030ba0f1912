"""Where `napalm.get_network_driver("netops_lab")` (and nornir_napalm) find the lab driver.

NAPALM returns the first NetworkDriver subclass among this module's names, so only the
driver class is exported here.
"""
from netops.drivers.netops_lab import NetopsLabDriver

__all__ = ["NetopsLabDriver"]
