"""How big one diagram may be: limits a PD can understand and the server can afford.

A PD's LAN has tens to hundreds of devices (the largest, a hospital, about 400 with its access
points); the limits leave 5x headroom above that and stay far below what would let one upload
hold the server (benchmarks/diagram_limits.py measures the largest diagram they allow). Each
refusal is one line saying which limit and what to do.

  MAX_BYTES           10 MB per file: a 2,000-device draw.io drawing is about 2 MB uncompressed
  MAX_EXPANDED_BYTES  16 MB of XML across all draw.io pages after decompression (a page is
                      compressed ~10x; without a total, 40 pages under a per-page cap took 4 GB)
  MAX_DEVICES         2,000 devices per diagram
  MAX_LINKS           5,000 links per diagram (a tree of 2,000 devices has 1,999; redundancy adds some)
  MAX_SHAPES          30,000 shapes in a drawing: boxes, lines, labels, legends and decorations
  MAX_VALUES          150,000 values in a YAML/JSON diagram (a 2,000-device, 5,000-link file has ~75,000)
  MAX_ROWS            10,000 rows in a CSV, blank ones included (one cable or spare device per row)
  MAX_ELEMENTS        300,000 XML elements per file or page (a shape is 2-6 elements: 30,000 shapes fit)
"""
from __future__ import annotations

from netops.errors import InputError
from netops.sources.safexml import XmlLimits

MAX_BYTES = 10 * 1024 * 1024
MAX_EXPANDED_BYTES = 16 * 1024 * 1024
MAX_DEVICES = 2_000
MAX_LINKS = 5_000
MAX_SHAPES = 30_000
MAX_VALUES = 150_000
MAX_ROWS = 10_000
MAX_ELEMENTS = 300_000
DIAGRAM_XML = XmlLimits(max_bytes=MAX_BYTES, max_elements=MAX_ELEMENTS, kind="diagrams")

_ADVICE = "a PD LAN diagram never needs that many; draw one diagram per building if the LAN really is that big"


def check_count(name: str, what: str, count: int, limit: int, field: str = "(file)", line: int | None = None) -> None:
    """One-line refusal once `count` passes `limit`."""
    if count > limit:
        raise InputError.at(name, line, field, f"more than {limit:,} {what}; refused ({_ADVICE})")
