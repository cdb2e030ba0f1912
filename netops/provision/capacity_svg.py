"""A picture of Pusat Data capacity: one row per host, a bar per resource (used of capacity)."""
from __future__ import annotations

from xml.sax.saxutils import escape

from netops.provision.usage import HostUsage

ROW, BAR_W, LABEL_W = 70, 360, 140
RESOURCES = (("vCPU", "vcpu", ""), ("memory", "memory_mib", " MiB"), ("disk", "disk_gib", " GiB"))


def _colour(fraction: float) -> str:
    return "#c0392b" if fraction >= 0.9 else "#e67e22" if fraction >= 0.75 else "#27ae60"


def capacity_svg(usage: list[HostUsage], title: str = "Pusat Data: hypervisor capacity") -> str:
    width = LABEL_W + BAR_W + 220
    height = 50 + ROW * max(len(usage), 1)
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             'font-size="12">'), f'<text x="10" y="24" font-size="16" font-weight="bold">{escape(title)}</text>']
    for i, host in enumerate(usage):
        top = 40 + i * ROW
        parts.append(f'<text x="10" y="{top + 24}" font-weight="bold">{escape(host.host)}</text>'
                     f'<text x="10" y="{top + 40}" fill="#555">{escape(host.site)}, {host.vps} VPS</text>')
        for j, (label, attr, unit) in enumerate(RESOURCES):
            used, cap = getattr(host.used, attr), getattr(host.capacity, attr)
            frac = used / cap if cap else 1.0
            y = top + j * 18
            parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{BAR_W}" height="14" fill="#eee" stroke="#999"/>'
                         f'<rect x="{LABEL_W}" y="{y}" width="{BAR_W * min(frac, 1.0):.1f}" height="14" '
                         f'fill="{_colour(frac)}"/>'
                         f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 11}">{label} {used}/{cap}{unit} '
                         f'({frac:.0%})</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
