"""Fetching a source system's photos, from its own file hosts only.

A photo URL comes from source data, which we do not control: fetching any URL it names would let
that data make our server request internal addresses (request forgery). So only http(s) URLs on
the configured hosts are fetched, redirects are not followed, and the body is bounded.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from urllib.parse import urlsplit

from data_access.media.photos import MAX_UPLOAD_BYTES

FETCH_TIMEOUT_S = 15


class PhotoRefused(Exception):
    """The URL is not one we fetch (scheme, host), or the answer is not a photo we keep."""


class PhotoUnreachable(Exception):
    """The host did not answer (or answered with an error): kept to retry."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def allowed(url: str, hosts: Iterable[str]) -> bool:
    """Whether ``url`` is http(s) on one of ``hosts`` (``host`` or ``host:port``), exactly."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        return False
    netloc = parts.hostname.lower() + (f":{parts.port}" if parts.port else "")
    wanted = {h.strip().lower() for h in hosts if h.strip()}
    return netloc in wanted or parts.hostname.lower() in wanted


def fetch_photo(url: str, hosts: Iterable[str]) -> bytes:
    """The bytes at ``url``. Raises ``PhotoRefused`` or ``PhotoUnreachable``."""
    if not allowed(url, hosts):
        raise PhotoRefused("host not on the allow-list")
    try:
        with _OPENER.open(url, timeout=FETCH_TIMEOUT_S) as answer:
            if answer.status != 200:
                raise PhotoUnreachable(f"HTTP {answer.status}")
            data = answer.read(MAX_UPLOAD_BYTES + 1)
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise PhotoRefused("redirected") from None
        raise PhotoUnreachable(f"HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise PhotoUnreachable(str(getattr(error, "reason", error))) from None
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoRefused("larger than an upload may be")
    return data
