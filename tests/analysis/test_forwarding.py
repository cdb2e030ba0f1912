"""forwarding_path follows the routing tables hop by hop; checked against a hand-made three-router line."""
from __future__ import annotations

from netops.analysis.forwarding import forwarding_path
from netops.models.observation import DeviceObservation


def _obs(host: str, addrs: list[str], routes: dict[str, str]) -> DeviceObservation:
    """routes: prefix -> next hop ('' = connected)."""
    return DeviceObservation(
        host=host, via="snmp", interfaces_ip={f"if{i}": {"ipv4": {a: {"prefix_length": 31}}} for i, a in enumerate(addrs)},
        routes={p: [{"protocol": "remote" if nh else "connected", "current_active": True, "next_hop": nh,
                     "outgoing_interface": ""}] for p, nh in routes.items()})


def _line(c_route: str) -> dict[str, DeviceObservation]:
    # a -- b -- c, c owns 10.0.0.9; a's route to it is given, b knows it through c
    return {
        "a": _obs("a", ["10.0.0.0"], {"10.0.0.0/31": "", "10.0.0.8/29": "10.0.0.1", "10.0.0.9/32": c_route}),
        "b": _obs("b", ["10.0.0.1", "10.0.0.2"], {"10.0.0.0/31": "", "10.0.0.2/31": "", "10.0.0.9/32": "10.0.0.3"}),
        "c": _obs("c", ["10.0.0.3", "10.0.0.9"], {"10.0.0.2/31": ""}),
    }


def test_longest_prefix_wins_and_the_walk_ends_at_the_owner() -> None:
    assert forwarding_path(_line("10.0.0.1"), "a", "10.0.0.9") == ["a", "b", "c"]


def test_no_route_stops_where_the_table_ends() -> None:
    obs = _line("10.0.0.1")
    obs["b"] = _obs("b", ["10.0.0.1", "10.0.0.2"], {"10.0.0.0/31": ""})
    assert forwarding_path(obs, "a", "10.0.0.9") == ["a", "b"]


def test_a_loop_is_reported_by_repeating_the_device() -> None:
    obs = _line("10.0.0.1")
    obs["b"] = _obs("b", ["10.0.0.1", "10.0.0.2"], {"10.0.0.9/32": "10.0.0.0"})
    assert forwarding_path(obs, "a", "10.0.0.9") == ["a", "b", "a"]


def test_connected_owner_is_the_last_hop() -> None:
    obs = {"a": _obs("a", ["10.0.0.0"], {"10.0.0.0/31": ""}), "b": _obs("b", ["10.0.0.1"], {})}
    assert forwarding_path(obs, "a", "10.0.0.1") == ["a", "b"]
