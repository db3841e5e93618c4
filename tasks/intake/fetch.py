"""HTTP(S) exports fetched under one deadline, with a byte cap and same-host redirects only.

The deadline covers the whole request (connecting, headers and body): a watchdog
shuts the socket down when it strikes, so a server that trickles its headers a
byte at a time cannot hold a run. Credentials (a user name and password, or a
query value that is not known to be harmless) travel only over HTTPS, or to
this machine itself; every query value but the harmless ones is masked in names
and messages.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass

HTTP_TIMEOUT_S = 60
MAX_REDIRECTS = 5
CHUNK_BYTES = 1 << 20
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HARMLESS_QUERY_KEYS = frozenset(
    {
        "format",
        "lang",
        "since",
        "until",
        "from",
        "to",
        "year",
        "quarter",
        "month",
        "page",
        "per_page",
        "limit",
        "offset",
        "version",
        "municipality",
        "municipality_code",
        "kunta",
        "kuntanumero",
    }
)
MASK = "***"


class FetchFailed(Exception):
    """The server could not be reached or answered with an error (worth trying again later)."""


class FetchTimedOut(Exception):
    """The request took longer than its deadline (trying again at once would only repeat it)."""


class FetchRefused(Exception):
    """The URL or the server's answer breaks a rule (credentials in clear, another host)."""


@dataclass(frozen=True)
class Fetched:
    """A response body, or only its size when it is over the byte cap (the body is not kept)."""

    body: bytes
    too_large: int | None = None


def public_url(url: str) -> str:
    """Return `url` without user name and password, every query value but harmless ones masked."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    query = [
        (key, value if is_harmless_query_key(key) else MASK)
        for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urllib.parse.urlunsplit(
        (parts.scheme, netloc, parts.path, urllib.parse.urlencode(query, safe="*"), "")
    )


def is_harmless_query_key(key: str) -> bool:
    """Return whether a query value of this name may be shown (a date, a page, a format)."""
    return key.strip().lower() in HARMLESS_QUERY_KEYS


def url_credentials(url: str) -> list[str]:
    """Return every value of `url` that may be a credential (userinfo, unharmless query values)."""
    parts = urllib.parse.urlsplit(url)
    found = [parts.username or "", parts.password or ""]
    if "@" in parts.netloc:
        found.append(parts.netloc.rpartition("@")[0])
    for pair in parts.query.split("&"):
        key, _, value = pair.partition("=")
        if not is_harmless_query_key(urllib.parse.unquote_plus(key)):
            found += [value, urllib.parse.unquote_plus(value)]
    return sorted({value for value in found if value}, key=len, reverse=True)


def masked(text: str, url: str) -> str:
    """Return `text` with the URL and every credential in it masked."""
    for secret in [url, *url_credentials(url)]:
        text = text.replace(secret, MASK)
    return text


def fetch(url: str, max_bytes: int, deadline_s: float) -> Fetched:
    """Return the body at `url`, fetched within `deadline_s` seconds in all.

    Raises:
        FetchRefused: credentials over plain HTTP, or a redirect to another host or scheme.
        FetchTimedOut: the deadline struck (the socket is closed at once).
        FetchFailed: the server could not be reached or answered with an error.
    """
    _refuse_credentials_in_clear(url)
    with _Watchdog(deadline_s) as watchdog:
        try:
            fetched = _follow(url, max_bytes, watchdog)
        except (OSError, http.client.HTTPException, ValueError) as error:
            if watchdog.expired:
                raise FetchTimedOut(_timed_out(deadline_s)) from None
            raise FetchFailed(str(error) or type(error).__name__) from None
    if watchdog.expired:  # a shut socket reads as the end of the body
        raise FetchTimedOut(_timed_out(deadline_s))
    return fetched


def _timed_out(deadline_s: float) -> str:
    return f"no complete answer within {deadline_s:g} s, headers and body together"


def _follow(url: str, max_bytes: int, watchdog: _Watchdog) -> Fetched:
    """Return the body at `url`, following redirects to the same scheme and host only."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        connection = _connection(current, watchdog)
        try:
            with _get(connection, current) as response:  # closed, or its socket outlives us
                if response.status not in REDIRECT_STATUSES:
                    if response.status != http.HTTPStatus.OK:
                        raise FetchFailed(f"HTTP {response.status} {response.reason}")
                    return _body(response, max_bytes)
                current = _redirect_target(url, current, response.getheader("Location") or "")
        finally:
            connection.close()
    raise FetchFailed(f"more than {MAX_REDIRECTS} redirects")


def _connection(url: str, watchdog: _Watchdog) -> http.client.HTTPConnection:
    """Return an open connection to the URL's host, watched by the deadline's watchdog."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused("the URL must start with https:// (or http://) and name a host")
    timeout = max(0.01, min(HTTP_TIMEOUT_S, watchdog.remaining()))
    if parts.scheme == "https":
        context = ssl.create_default_context()
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=context
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.connect()
    except BaseException:
        connection.close()  # a refused TLS handshake leaves the plain socket open
        raise
    watchdog.watch(connection.sock)
    return connection


def _get(connection: http.client.HTTPConnection, url: str) -> http.client.HTTPResponse:
    """Send a GET for `url` (its user name and password as Basic auth) and return the answer."""
    parts = urllib.parse.urlsplit(url)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    headers = {"Accept": "application/json", "Connection": "close"}
    if parts.username is not None:
        user = urllib.parse.unquote(parts.username)
        password = urllib.parse.unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    connection.request("GET", target, headers=headers)
    return connection.getresponse()


def _body(response: http.client.HTTPResponse, max_bytes: int) -> Fetched:
    """Return the body, or only its size when `Content-Length` or the bytes read pass the cap."""
    declared = response.getheader("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        return Fetched(b"", too_large=int(declared))
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            return Fetched(b"", too_large=size)
        chunks.append(chunk)
    return Fetched(b"".join(chunks))


def _redirect_target(first: str, current: str, location: str) -> str:
    """Return where a redirect leads; refuse another scheme, host or port than the first URL's."""
    target = urllib.parse.urljoin(current, location)
    before, after = urllib.parse.urlsplit(first), urllib.parse.urlsplit(target)
    if (before.scheme, before.hostname, before.port) != (after.scheme, after.hostname, after.port):
        raise FetchRefused(
            f"the server redirects to another address ({public_url(target)}); "
            "only redirects within the same host are followed"
        )
    if before.username is not None:
        netloc = before.netloc.rpartition("@")[0] + "@" + after.netloc.rpartition("@")[2]
        target = urllib.parse.urlunsplit(after._replace(netloc=netloc))
    return target


def _refuse_credentials_in_clear(url: str) -> None:
    """Refuse a URL that would send credentials unencrypted to another machine."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or _is_loopback(parts.hostname or ""):
        return
    if url_credentials(url):
        raise FetchRefused(
            "the URL carries credentials (a password or a token) but is not https://; "
            "credentials are only sent over HTTPS"
        )


def _is_loopback(host: str) -> bool:
    """Return whether `host` is this machine (no network in between)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Watchdog:
    """Shuts the watched socket down when the deadline strikes (even after http.client let go)."""

    def __init__(self, deadline_s: float) -> None:
        self._ends = time.monotonic() + deadline_s
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._timer = threading.Timer(deadline_s, self._strike)
        self._timer.daemon = True
        self.expired = False

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        """Return the seconds left before the deadline."""
        return self._ends - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        """Watch `sock`; shut it at once when the deadline has already struck."""
        with self._lock:
            self._socket = sock
        if self.expired:
            self._strike()

    def _strike(self) -> None:
        with self._lock:
            self.expired = True
            sock = self._socket
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
