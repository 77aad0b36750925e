"""Rate limits: who the client is, and how often it may do something.

Every limit in the portal (allauth's login and password-reset limits through the account adapter,
the good-practice submission form, the newsletter forms) keys on `client_address`, and counts in
the cache every process shares (portal/cache.py).

Behind the TLS proxy the README prescribes, REMOTE_ADDR is the proxy: keyed on it, all visitors
would share one limit. X-Forwarded-For names the visitor, but anyone can send that header, so it
is believed only when the request comes from a proxy listed in PORTAL_TRUSTED_PROXIES, and only
as far back as the chain of trusted proxies goes.
"""

import ipaddress
from functools import lru_cache

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _is_trusted(address, networks) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request) -> str:
    """The visitor's IP address: REMOTE_ADDR, or the forwarded one when a trusted proxy says so.

    X-Forwarded-For is read from the right (the hop our own proxy added) leftwards, skipping the
    trusted proxies; the first address that is not one of ours is the client. Anything to its
    left was written by the client and proves nothing. A hop that is not an IP address ends the
    walk at the last address a trusted proxy vouched for.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.PORTAL_TRUSTED_PROXIES))
    try:
        current = ipaddress.ip_address(remote)
    except ValueError:
        return remote
    if not _is_trusted(current, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        try:
            current = ipaddress.ip_address(hop.strip())
        except ValueError:
            break
        if not _is_trusted(current, networks):
            break
    return str(current)


def rate_limit_consume(request, *, action: str, key: str | None = None) -> bool:
    """Count one attempt at `action`; False when the limit in PORTAL_RATE_LIMITS is reached.

    allauth's rate limiter does the counting (per client address via the account adapter, or per
    `key`), so the portal's limits and allauth's work alike and share one cache. GET requests are
    counted too: callers ask only when something is about to happen.
    """
    usage = allauth_ratelimit.consume(
        request,
        app="portal",
        action=action,
        config=settings.PORTAL_RATE_LIMITS,
        key=key,
        limit_get=True,
    )
    return usage is not None
