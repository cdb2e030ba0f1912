"""Hostile-input tests: the corpus, a bound on memory and time for whatever reads it, and the payload check."""
from __future__ import annotations

import re
import resource
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
MEMORY_HEADROOM = 1 << 30      # a reader may use 1 GiB more address space than the test process already has
SECONDS = 20
# Tags and attributes that make a page or picture do something: none may come out of a renderer.
_ACTIVE_TAGS = re.compile(r"^</?\s*(script|a|foreignobject|iframe|img|image|object|embed|use|animate|set|style|"
                          r"link|meta|base|form|svg:script)\b", re.IGNORECASE)
_ACTIVE_ATTRIBUTES = re.compile(r"\s(on\w+|href|xlink:href|src|formaction)\s*=|javascript:|data:text",
                                re.IGNORECASE)


def _address_space() -> int:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmSize:\s+(\d+) kB", status)
    return int(match.group(1)) * 1024 if match else 0


@pytest.fixture
def bounded() -> Iterator[None]:
    """Memory (RLIMIT_AS: MemoryError instead of a dead machine) and time (SIGALRM) bounds for one test."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + MEMORY_HEADROOM
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))

    def too_slow(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"took longer than {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def active_content(markup: str) -> list[str]:
    """Every tag of an HTML page, SVG or XML file that could run or fetch something (escaped text is no tag)."""
    return [tag for tag in re.findall(r"<[^<>]+>", markup)
            if _ACTIVE_TAGS.match(tag) or _ACTIVE_ATTRIBUTES.search(tag)]
