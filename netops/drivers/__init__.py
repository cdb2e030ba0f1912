"""NAPALM drivers of netops (the lab's Linux routers); see napalm_netops_lab for discovery."""
