"""The libvirt backend (libvirt-python): production uses qemu+ssh://<host>/system per host.

NETOPS_LIBVIRT_URI overrides every host's URI (tests: test:///default). One connection
per URI is kept for the backend's life: libvirt's test driver forgets its domains when
the last connection closes. libvirt errors become BackendError here and nowhere else.
"""
from __future__ import annotations

import os
from typing import Any
from xml.etree.ElementTree import Element

import libvirt

from netops.errors import InputError
from netops.models.vps import HypervisorHost
from netops.provision.errors import BackendError
from netops.provision.render import DomainInfo, DomainPlan, parse_libvirt_xml, read_domain_xml

libvirt.registerErrorHandler(lambda _ctx, _err: None, None)  # errors are raised, not printed to stderr
GIB = 1024 ** 3


class LibvirtBackend:
    name = "libvirt"

    def __init__(self, uri_override: str | None = None):
        self.uri_override = uri_override or os.environ.get("NETOPS_LIBVIRT_URI")
        self._conns: dict[str, Any] = {}

    def endpoint(self, host: HypervisorHost) -> str:
        return self.uri_override or host.libvirt_uri

    def close(self) -> None:
        for conn in self._conns.values():
            conn.close()
        self._conns.clear()

    def _conn(self, host: HypervisorHost) -> Any:
        uri = self.endpoint(host)
        if uri not in self._conns:
            try:
                self._conns[uri] = libvirt.open(uri)
            except libvirt.libvirtError as exc:
                raise BackendError(f"{host.name}: cannot connect to {uri}: {exc.get_error_message()}") from exc
        return self._conns[uri]

    def _domain(self, host: HypervisorHost, name: str) -> Any | None:
        try:
            return self._conn(host).lookupByName(name)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return None
            raise BackendError(f"{host.name}: {name}: {exc.get_error_message()}") from exc

    def _call(self, host: HypervisorHost, what: str, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except libvirt.libvirtError as exc:
            raise BackendError(f"{host.name}: {what}: {exc.get_error_message()}") from exc

    def _xml(self, host: HypervisorHost, what: str, xml: str) -> Element:
        try:
            return parse_libvirt_xml(xml, what)
        except InputError as exc:
            raise BackendError(f"{host.name}: {exc}") from exc

    def _volume(self, host: HypervisorHost, pool_name: str, volume: str) -> Any | None:
        pool = self._call(host, f"storage pool {pool_name}", self._conn(host).storagePoolLookupByName, pool_name)
        try:
            return pool.storageVolLookupByName(volume)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_VOL:
                return None
            raise BackendError(f"{host.name}: volume {volume}: {exc.get_error_message()}") from exc

    def _ensure_volume(self, host: HypervisorHost, plan: DomainPlan) -> None:
        """A qcow2 overlay on the template image; an existing volume only ever grows."""
        vol = self._volume(host, plan.storage_pool, plan.volume)
        want = plan.disk_gib * GIB
        if vol is not None:
            if self._call(host, f"volume {plan.volume}", vol.info)[1] < want:
                self._call(host, f"resize {plan.volume}", vol.resize, want)
            return
        pool = self._conn(host).storagePoolLookupByName(plan.storage_pool)
        target = self._xml(host, f"storage pool {plan.storage_pool}", pool.XMLDesc()).findtext("target/path") or ""
        xml = (f"<volume><name>{plan.volume}</name><capacity unit='G'>{plan.disk_gib}</capacity>"
               "<target><format type='qcow2'/></target>"
               f"<backingStore><path>{target}/{plan.image}</path><format type='qcow2'/></backingStore></volume>")
        self._call(host, f"create volume {plan.volume}", pool.createXML, xml, 0)

    def define(self, host: HypervisorHost, plan: DomainPlan) -> None:
        self._ensure_volume(host, plan)
        self._call(host, f"define {plan.name}", self._conn(host).defineXML, plan.domain_xml)

    def start(self, host: HypervisorHost, name: str) -> None:
        dom = self._must(host, name)
        if not dom.isActive():
            self._call(host, f"start {name}", dom.create)

    def stop(self, host: HypervisorHost, name: str) -> None:
        dom = self._must(host, name)
        if dom.isActive():
            self._call(host, f"shutdown {name}", dom.shutdown)

    def undefine(self, host: HypervisorHost, name: str) -> None:
        dom = self._domain(host, name)
        if dom is None:
            return
        source = self._disk_source(host, dom)
        if dom.isActive():
            self._call(host, f"destroy {name}", dom.destroy)
        self._call(host, f"undefine {name}", dom.undefine)
        if source is not None and source.get("pool") and source.get("volume"):
            vol = self._volume(host, source.get("pool") or "", source.get("volume") or "")
            if vol is not None:
                self._call(host, f"delete volume of {name}", vol.delete, 0)

    def _must(self, host: HypervisorHost, name: str) -> Any:
        dom = self._domain(host, name)
        if dom is None:
            raise BackendError(f"{host.name}: no domain {name} on {self.endpoint(host)}")
        return dom

    def _disk_source(self, host: HypervisorHost, dom: Any) -> Any:
        xml = self._call(host, dom.name(), dom.XMLDesc, libvirt.VIR_DOMAIN_XML_INACTIVE)
        return self._xml(host, f"domain {dom.name()}", xml).find("devices/disk/source")

    def _info(self, host: HypervisorHost, dom: Any) -> DomainInfo:
        xml = self._call(host, dom.name(), dom.XMLDesc, libvirt.VIR_DOMAIN_XML_INACTIVE)
        source = self._xml(host, f"domain {dom.name()}", xml).find("devices/disk/source")
        disk_gib = None
        if source is not None and source.get("pool") and source.get("volume"):
            vol = self._volume(host, source.get("pool") or "", source.get("volume") or "")
            disk_gib = int(vol.info()[1] // GIB) if vol is not None else None
        return read_domain_xml(xml, running=bool(dom.isActive()), disk_gib=disk_gib)

    def domain_info(self, host: HypervisorHost, name: str) -> DomainInfo | None:
        dom = self._domain(host, name)
        return self._info(host, dom) if dom is not None else None

    def list_domains(self, host: HypervisorHost) -> list[DomainInfo]:
        doms = self._call(host, "list domains", self._conn(host).listAllDomains, 0)
        return sorted((self._info(host, d) for d in doms), key=lambda i: i.name)
