"""Which address a request comes from, believing forwarding headers only from trusted proxies.

Framework-independent: adapters pass the peer address and the raw header values. The rightmost
forwarded address that is not a trusted proxy is the client, so a client cannot choose its
address by sending its own X-Forwarded-For (the proxy appends the real one on the right).
"""

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

Network = IPv4Network | IPv6Network


def is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in trusted)


def _without_port(node: str) -> str:
    """`192.0.2.1:4711` and `[2001:db8::1]:4711` name their address without the port."""
    node = node.strip().strip('"')
    if node.startswith("["):
        return node[1:].partition("]")[0]
    return node.partition(":")[0] if node.count(":") == 1 else node


def _forwarded_for(x_forwarded_for: Iterable[str], forwarded: Iterable[str]) -> list[str]:
    """The forwarded addresses, leftmost first: X-Forwarded-For, else RFC 7239 Forwarded."""
    nodes = [part for value in x_forwarded_for for part in value.split(",")]
    if not any(node.strip() for node in nodes):
        nodes = [
            pair.strip()[len("for=") :]
            for value in forwarded
            for element in value.split(",")
            for pair in element.split(";")
            if pair.strip().lower().startswith("for=")
        ]
    return [address for address in map(_without_port, nodes) if address]


def client_address(
    peer: str,
    trusted: Sequence[Network],
    x_forwarded_for: Iterable[str] = (),
    forwarded: Iterable[str] = (),
) -> str:
    """The client's address: the peer, or what the trusted proxies in front of it forwarded."""
    if not is_trusted(peer, trusted):
        return peer
    for address in reversed(_forwarded_for(x_forwarded_for, forwarded)):
        if not is_trusted(address, trusted):
            return address
    return peer
