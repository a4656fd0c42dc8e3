"""Where a request comes from, for per-source limits, without keeping the address.

The source is the TCP peer (`request.remote`), unless that peer is one of the proxies in
KVARTER_TRUSTED_PROXIES: then it is the nearest address in X-Forwarded-For that is not a trusted
proxy. Addresses are only ever held as a keyed hash that changes every day (`source_key`), so a
per-source count can be kept without storing, logging or being able to reverse an IP address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from aiohttp import web

from server.config import Settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    raw = raw.strip()
    if raw.startswith("[") and "]" in raw:  # "[2001:db8::1]:443"
        raw = raw[1 : raw.index("]")]
    elif raw.count(":") == 1:  # "192.0.2.1:443"
        raw = raw.split(":", 1)[0]
    try:
        return ipaddress.ip_address(raw)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None, proxies: Iterable[Network]) -> bool:
    return address is not None and any(address in net for net in proxies)


def _networks(settings: Settings) -> list[Network]:
    return [ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies]


def client_source(request_or_environ: web.BaseRequest | Mapping[str, Any], settings: Settings) -> str:
    """The client's address as text: the peer, or — behind a trusted proxy — the nearest
    untrusted hop of X-Forwarded-For. Works on an aiohttp request or an Engine.IO environ.
    Never store or log the result; hash it with `source_key`."""
    if isinstance(request_or_environ, web.BaseRequest):
        request: web.BaseRequest | None = request_or_environ
    else:
        request = request_or_environ.get("aiohttp.request")
    if request is not None:
        peer = request.remote or ""
        forwarded = request.headers.getall("X-Forwarded-For", [])
    else:  # a plain WSGI-style environ (tests, other drivers)
        environ = request_or_environ
        assert not isinstance(environ, web.BaseRequest)
        peer = str(environ.get("REMOTE_ADDR", ""))
        forwarded = [str(environ["HTTP_X_FORWARDED_FOR"])] if "HTTP_X_FORWARDED_FOR" in environ else []
    proxies = _networks(settings)
    peer_address = _address(peer)
    if not _trusted(peer_address, proxies):
        return str(peer_address) if peer_address is not None else (peer or UNKNOWN)
    hops = [hop for header in forwarded for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return UNKNOWN  # a malformed hop: do not guess past it
        if not _trusted(address, proxies):
            return str(address)
    return str(peer_address)


def forwarded_by_untrusted_peer(request_or_environ: web.BaseRequest | Mapping[str, Any], settings: Settings) -> bool:
    """True when a request carries X-Forwarded-For from a peer that is not a trusted proxy: behind
    such a proxy every client shares the proxy's address (set KVARTER_TRUSTED_PROXIES)."""
    if isinstance(request_or_environ, web.BaseRequest):
        request: web.BaseRequest | None = request_or_environ
    else:
        request = request_or_environ.get("aiohttp.request")
    if request is None or "X-Forwarded-For" not in request.headers:
        return False
    return not _trusted(_address(request.remote or ""), _networks(settings))


def network_of(address: str) -> str:
    """The unit a per-source limit counts: an IPv4 address, or the /64 of an IPv6 one (a home or
    a phone gets a whole /64 and picks addresses in it freely)."""
    parsed = _address(address)
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed.ipv4_mapped if isinstance(parsed, ipaddress.IPv6Address) else parsed) if parsed else address


def source_key(address: str, secret: str, day: dt.date) -> str:
    """A keyed hash of an address that changes every (UTC) day: equal for one source within a
    day, unlinkable across days, and not reversible without the server's secret."""
    message = f"source:{day.isoformat()}:{address}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]
