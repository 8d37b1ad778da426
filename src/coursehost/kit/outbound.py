"""Outbound requests made on a client's behalf may reach only public internet addresses (SSRF defence).

A URL a client hands us (a package to fetch, an asset, a postback receiver) must not become a way into the
server's own network: loopback, private, shared, link-local (cloud metadata at 169.254.169.254), multicast,
reserved and unspecified addresses are refused, in IPv4 and IPv6 alike (including IPv4-mapped, 6to4 and NAT64
forms), unless ``COURSEHOST_OUTBOUND_ALLOW`` names the host or a network containing the address.

:class:`GuardedTransport` resolves each request's host itself, checks every address, and connects to the checked
address while keeping the Host header and TLS server name, so a DNS answer that changes between check and connect
(rebinding) cannot redirect the connection. It sits under httpx's redirect handling, so every hop is checked.
"""

from __future__ import annotations

import logging
import socket
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from typing import Any
from urllib.parse import urlsplit

import httpx

IPAddress = IPv4Address | IPv6Address
# httpx logs every request's full URL at INFO; a postback or package URL may carry credentials in its query.
logging.getLogger("httpx").setLevel(logging.WARNING)
_V4_NOT_PUBLIC = tuple(
    IPv4Network(n)
    for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
        "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    )
)  # fmt: skip
_V6_GLOBAL_UNICAST = IPv6Network("2000::/3")


class OutboundRefused(httpx.TransportError):
    """The destination is not a public address and the allow-list does not name it."""


def is_public(ip: IPAddress) -> bool:
    if isinstance(ip, IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)
        if ip.sixtofour is not None and not is_public(ip.sixtofour):
            return False
        # Only global unicast (2000::/3) and none of its special blocks (documentation, Teredo, ORCHID...).
        return ip in _V6_GLOBAL_UNICAST and ip.is_global and not ip.is_private
    if ip.is_multicast or ip.is_private or ip.is_reserved or ip.is_loopback or ip.is_link_local:
        return False
    return ip.is_global and not any(ip in net for net in _V4_NOT_PUBLIC)


class OutboundPolicy:
    """Public addresses, plus whatever the allow-list names (host names exactly, addresses by network)."""

    def __init__(self, allow: str = "") -> None:
        self.hosts: set[str] = set()
        self.networks: list[IPv4Network | IPv6Network] = []
        for item in (part.strip() for part in allow.split(",")):
            if not item:
                continue
            try:
                self.networks.append(ip_network(item.strip("[]"), strict=False))
            except ValueError:
                self.hosts.add(item.lower().rstrip("."))

    def permits(self, ip: IPAddress) -> bool:
        forms: list[IPAddress] = [ip]
        if isinstance(ip, IPv6Address) and ip.ipv4_mapped is not None:
            forms.append(ip.ipv4_mapped)
        if any(form in net for form in forms for net in self.networks):
            return True
        return is_public(ip)

    def resolve(self, host: str, port: int) -> str:
        """The address to connect to for ``host``, after checking every address it resolves to."""
        name = host.strip("[]").lower().rstrip(".")
        literal = _literal(name.split("%", 1)[0])
        addresses = [literal] if literal is not None else _lookup(name, port)
        if name in self.hosts:
            return str(addresses[0])
        # Every answer must pass: an attacker's DNS may mix a public address with a private one.
        if not all(self.permits(a) for a in addresses):
            kind = "is" if literal is not None else "resolves to"
            raise OutboundRefused(
                f"{host} {kind} a loopback, private, link-local or otherwise non-public address; "
                "outbound requests go to public addresses only (COURSEHOST_OUTBOUND_ALLOW lists exceptions)"
            )
        return str(addresses[0])


def _literal(name: str) -> IPAddress | None:
    try:
        return ip_address(name)
    except ValueError:
        return None


def _lookup(name: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpx.ConnectError(f"could not resolve host {name!r}: {exc}") from None
    found: list[IPAddress] = []
    for info in infos:
        address = ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise httpx.ConnectError(f"could not resolve host {name!r}")
    return found


@lru_cache(maxsize=32)
def policy_for(allow: str) -> OutboundPolicy:
    return OutboundPolicy(allow)


class GuardedTransport(httpx.BaseTransport):
    def __init__(self, policy: OutboundPolicy) -> None:
        self.policy = policy
        self._inner = httpx.HTTPTransport(retries=0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise OutboundRefused(f"only http and https URLs may be fetched, not {url.scheme!r}", request=request)
        try:
            address = self.policy.resolve(url.host, url.port or (443 if url.scheme == "https" else 80))
        except httpx.TransportError as exc:
            exc.request = request
            raise
        extensions = dict(request.extensions)
        if url.scheme == "https":
            extensions["sni_hostname"] = url.host  # certificate checked against the name, not the address
        # A new request, so httpx's redirect logic still sees the original URL (relative Locations resolve on it).
        pinned = httpx.Request(
            request.method, url.copy_with(host=address), headers=request.headers, stream=request.stream,
            extensions=extensions,
        )  # fmt: skip
        return self._inner.handle_request(pinned)

    def close(self) -> None:
        self._inner.close()


def guarded_client(allow: str, **kwargs: Any) -> httpx.Client:
    """An httpx client whose every connection, redirects included, passes the outbound policy. Proxy variables
    from the environment are ignored: a proxy would make the connection, and the check would be moot."""
    return httpx.Client(transport=GuardedTransport(policy_for(allow)), trust_env=False, **kwargs)


def redact_url(url: str) -> str:
    """A URL fit for a log line: no user info, query or fragment (they may carry credentials)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<unparseable URL>"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}{parts.path}" + ("?…" if parts.query else "")
