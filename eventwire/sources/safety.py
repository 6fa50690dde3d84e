"""What eventwire may connect to: public addresses only, unless a network is allowed.

A host name is resolved and each address checked before a request (to give a clear error
early) and again at connection time, where the connection goes to exactly the address that
passed the check: a name that resolves to a public address first and to a private one later
(DNS rebinding) cannot lead the crawler into the local network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable

import httpcore
import httpx

from ..errors import UnsafeURL
from .policy import CrawlPolicy

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Resolves (host, port) to IP address strings; replaceable, e.g. by a test's own resolver.
Resolver = Callable[[str, int], Awaitable[list[str]]]

ALLOW_HINT = "allow it with --allow-private or --allow-network for tests and intranets"


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses of ``host`` from the system resolver (getaddrinfo), in its order."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve host {host!r}: {exc.strerror or exc}") from None
    seen: list[str] = []
    for *_, sockaddr in infos:
        if sockaddr[0] not in seen:
            seen.append(sockaddr[0])
    return seen


def category(address: Address) -> str | None:
    """Why an address is not public (loopback, private, link-local, multicast, ...), or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for name, test in (("loopback", address.is_loopback), ("link-local", address.is_link_local),
                       ("multicast", address.is_multicast), ("unspecified", address.is_unspecified),
                       ("private", address.is_private), ("reserved", address.is_reserved)):
        if test:
            return name
    if not address.is_global:
        return "non-public"
    return None


class AddressPolicy:
    """Which IP addresses may be connected to: public ones, plus allowed networks."""

    def __init__(self, allow_private: bool = False, allowed: Iterable[Network] = ()):
        self.allow_private = allow_private
        self.allowed = list(allowed)

    @classmethod
    def of(cls, policy: CrawlPolicy) -> "AddressPolicy":
        return cls(policy.allow_private, policy.allowed_networks)

    def refusal(self, ip: str) -> str | None:
        """Why ``ip`` may not be connected to, or None when it may."""
        try:
            address = ipaddress.ip_address(ip.split("%", 1)[0])  # drop an IPv6 zone index
        except ValueError:
            return f"{ip!r} is not an IP address"
        kind = category(address)
        if kind is None or self.allow_private:
            return None
        plain = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) \
            and address.ipv4_mapped is not None else address
        if any(plain in network for network in self.allowed):
            return None
        return f"{plain} is a {kind} address"

    def permitted(self, host: str, addresses: list[str]) -> list[str]:
        """The addresses of ``host`` that may be used; raises UnsafeURL when none may."""
        allowed = [ip for ip in addresses if self.refusal(ip) is None]
        if not allowed:
            reasons = "; ".join(dict.fromkeys(self.refusal(ip) or "" for ip in addresses))
            raise UnsafeURL(f"refused to connect to {host}: {reasons or 'no address'} "
                            f"({ALLOW_HINT})")
        return allowed


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the address check at connection time."""

    def __init__(self, addresses: AddressPolicy, resolver: Resolver | None = None):
        self.addresses = addresses
        self.resolver = resolver or system_resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options=None):
        allowed = self.addresses.permitted(host, await self.resolver(host, port))
        failure: Exception | None = None
        for ip in allowed:  # connect to the checked address itself, never the name again
            try:
                return await self._inner.connect_tcp(ip, port, timeout=timeout,
                                                     local_address=local_address,
                                                     socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options=None):
        raise UnsafeURL("Unix sockets are never connected to")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over :class:`GuardedBackend`, with no proxy from the environment
    (a proxy would connect on the crawler's behalf, past the address check)."""

    def __init__(self, backend: GuardedBackend, limits: httpx.Limits):
        super().__init__(trust_env=False, limits=limits)
        # httpx has no parameter for the network backend: give it a pool built with ours
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend)
