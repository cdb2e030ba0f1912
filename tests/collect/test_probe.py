"""NOC probes: real iputils ping to loopback (the only place a unit test may send to), and the summary
parser on outputs iputils printed on this machine (loss, no answer, an unknown host)."""
from __future__ import annotations

from netops.collect.probe import parse_ping, probe

LOSSY = """PING 198.18.3.2 (198.18.3.2) 56(84) bytes of data.

--- 198.18.3.2 ping statistics ---
10 packets transmitted, 7 received, 30% packet loss, time 459ms
rtt min/avg/max/mdev = 0.061/0.112/0.254/0.052 ms
"""
DEAD = """PING 198.18.3.9 (198.18.3.9) 56(84) bytes of data.

--- 198.18.3.9 ping statistics ---
10 packets transmitted, 0 received, 100% packet loss, time 1999ms

"""


def test_loopback_answers_every_echo() -> None:
    results = probe({"lo-a": "127.0.0.1", "lo-b": "127.0.0.2"}, count=3, deadline_s=2)
    assert {h: (r.sent, r.received, r.loss) for h, r in results.items()} == {"lo-a": (3, 3, 0.0), "lo-b": (3, 3, 0.0)}
    assert results["lo-a"].rtt_avg_ms is not None and results["lo-a"].rtt_avg_ms < 100


def test_summaries_give_loss_and_round_trip() -> None:
    lossy = parse_ping("r1", "198.18.3.2", LOSSY)
    assert (lossy.sent, lossy.received, round(lossy.loss, 2), lossy.rtt_avg_ms, lossy.rtt_max_ms) == (10, 7, 0.3, 0.112, 0.254)
    dead = parse_ping("r2", "198.18.3.9", DEAD)
    assert dead.loss == 1.0 and dead.rtt_avg_ms is None and dead.error is None


def test_a_name_is_refused_before_any_traffic_not_taken_as_healthy() -> None:
    result = probe({"bad": "router.example"}, count=1, deadline_s=1)["bad"]
    assert result.loss == 1.0 and result.sent == 0 and result.error == "not an IP address: 'router.example'"
