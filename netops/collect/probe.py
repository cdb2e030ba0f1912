"""Active probes from the NOC: a burst of ICMP echoes to each device, loss and round trip, as mtr shows per hop.

SNMP says whether a device answers and what its ports say; it cannot see a fibre that drops a third of the
packets while its ports stay up. A short ping burst to every device's management address can: the devices
behind a lossy fibre lose pings, the ones before it do not, and the ranking finds the fibre between them.

Each burst is the system's `ping` (iputils, present on every Debian host; no raw socket of our own, no new
privilege), bounded in count and in time (`-c`, `-w`), run concurrently with a bounded number at once.
A device whose address is unknown is left out, never guessed healthy.
"""
from __future__ import annotations

import asyncio
import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

_SUMMARY = re.compile(r"(\d+) packets transmitted, (\d+) (?:packets )?received")
_RTT = re.compile(r"= [\d.]+/([\d.]+)/([\d.]+)/")
ROOT_MIN_INTERVAL = 0.01          # iputils lets only root send faster than every 0.2 s
USER_MIN_INTERVAL = 0.2


@dataclass(frozen=True)
class ProbeResult:
    host: str
    address: str
    sent: int
    received: int
    rtt_avg_ms: float | None = None
    rtt_max_ms: float | None = None
    error: str | None = None

    @property
    def loss(self) -> float:
        """Fraction of echoes lost, 1.0 when none came back or the probe could not run."""
        return 1.0 if not self.sent else 1.0 - self.received / self.sent


def parse_ping(host: str, address: str, output: str) -> ProbeResult:
    """The summary lines of iputils ping (`-q`): transmitted/received and min/avg/max/mdev."""
    summary = _SUMMARY.search(output)
    if summary is None:
        return ProbeResult(host, address, 0, 0, error=(output.strip().splitlines() or ["no output"])[-1][:200])
    rtt = _RTT.search(output)
    return ProbeResult(host, address, int(summary.group(1)), int(summary.group(2)),
                       float(rtt.group(1)) if rtt else None, float(rtt.group(2)) if rtt else None)


async def _ping(host: str, address: str, count: int, interval: float, deadline_s: float,
                limit: asyncio.Semaphore) -> ProbeResult:
    try:
        ipaddress.ip_address(address)
    except ValueError:          # never a name: ping would ask DNS, and a probe must not guess where to go
        return ProbeResult(host, address, 0, 0, error=f"not an IP address: {address[:60]!r}")
    args = ["ping", "-n", "-q", "-c", str(count), "-i", f"{interval:g}", "-W", "1", "-w", f"{deadline_s:g}", address]
    async with limit:
        try:
            proc = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE,
                                                        stderr=asyncio.subprocess.STDOUT)
        except OSError as exc:
            return ProbeResult(host, address, 0, 0, error=f"ping could not run: {exc.strerror}")
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), timeout=deadline_s + 2)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            return ProbeResult(host, address, 0, 0, error="ping did not finish in time")
    return parse_ping(host, address, out.decode(errors="replace"))


def probe(addresses: Mapping[str, str], count: int = 10, interval: float = 0.05, deadline_s: float = 2.0,
          concurrency: int = 64) -> dict[str, ProbeResult]:
    """One burst of `count` echoes per host (host -> address), all within about `deadline_s` seconds."""
    if count < 1 or deadline_s <= 0:
        raise ValueError("a probe sends at least one echo within a positive deadline")
    interval = max(interval, ROOT_MIN_INTERVAL if os.geteuid() == 0 else USER_MIN_INTERVAL)

    async def run() -> list[ProbeResult]:
        limit = asyncio.Semaphore(concurrency)
        return await asyncio.gather(*(_ping(h, a, count, interval, deadline_s, limit) for h, a in addresses.items()))

    return {r.host: r for r in asyncio.run(run())}
