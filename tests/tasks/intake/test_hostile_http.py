"""HTTP sources against real servers on 127.0.0.1: one deadline, a byte cap, no stray redirects."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from schemas.limits import DeliveryLimits
from schemas.sources import SourceConfig
from tasks.intake.extract import (
    SourceMisconfigured,
    SourceTimedOut,
    SourceUnavailable,
    list_deliveries,
)
from tasks.intake.fetch import FetchRefused, fetch, public_url
from tasks.intake.limits import DeliveryRefused, check_limits

SINCE = datetime(2026, 7, 1, tzinfo=UTC)
UNTIL = datetime(2026, 10, 1, tzinfo=UTC)
URL_ENV = "RAPORTTI_TEST_HOSTILE_EXPORT_URL"
SOURCE = SourceConfig(municipality_code="148", kind="json", url_env=URL_ENV)
BODY = b'{"municipality_code": "148", "reports": []}'
TOKEN = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0"


class _Handler(BaseHTTPRequestHandler):
    """Answers by path: trickled headers, a large body, redirects, and a plain export."""

    other_port = 0

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        route = self.path.partition("?")[0]
        if route == "/trickle-headers":
            self._trickle_headers()
        elif route == "/declared-large":
            self.send_response(200)
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
            self.wfile.write(BODY)
        elif route == "/streamed-large":
            self.send_response(200)
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b" " * 1024)
        elif route == "/redirect-away":
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.other_port}/export.json")
            self.end_headers()
        elif route == "/redirect-here":
            self.send_response(302)
            self.send_header("Location", "/export.json?since=2026-07-01")
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

    def _trickle_headers(self) -> None:
        """Send the status line and then one header byte every 0.2 s, never ending the headers."""
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            while True:
                self.wfile.write(b"X")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            return

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    """Yield `127.0.0.1:port` of the test server."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    _Handler.other_port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _deliveries(url: str, monkeypatch: pytest.MonkeyPatch, max_bytes: int = 1 << 20) -> list:
    monkeypatch.setenv(URL_ENV, url)
    return list_deliveries(SOURCE, Path(), SINCE, UNTIL, DeliveryLimits(max_bytes=max_bytes))


def test_headers_trickled_past_the_deadline_time_out_and_close_the_socket(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tasks.intake.extract.HTTP_DOWNLOAD_DEADLINE_S", 1)
    started = time.monotonic()

    with pytest.raises(SourceTimedOut, match=r"trickle-headers sent no complete answer within 1 s"):
        _deliveries(f"http://{server}/trickle-headers", monkeypatch)

    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (SourceTimedOut("slow"), False),
        (SourceMisconfigured("unset"), False),
        (SourceUnavailable("down"), True),
    ],
    ids=["timed-out", "misconfigured", "unavailable"],
)
def test_only_an_unavailable_source_is_retried(error: Exception, retried: bool) -> None:
    from prefect.states import Failed

    from flows.steps import _retry_only_unavailable

    assert _retry_only_unavailable(None, None, Failed(data=error)) is retried


@pytest.mark.parametrize("route", ["declared-large", "streamed-large"])
def test_a_body_over_the_byte_cap_is_refused_with_its_size(
    server: str, route: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    [delivery] = _deliveries(f"http://{server}/{route}", monkeypatch, max_bytes=10_000)

    assert delivery.content == b""
    with pytest.raises(
        DeliveryRefused,
        match=rf"/{route}: refused: the delivery is [\d,]+ bytes, "
        r"over the limit of 10,000 bytes; ask the municipality to split",
    ):
        check_limits(delivery, DeliveryLimits(max_bytes=10_000))


def test_a_redirect_to_another_host_is_refused(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SourceMisconfigured, match="only redirects within the same host"):
        _deliveries(f"http://{server}/redirect-away?token={TOKEN}", monkeypatch)


def test_a_redirect_within_the_host_is_followed(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    [delivery] = _deliveries(f"http://{server}/redirect-here", monkeypatch)

    assert delivery.content == BODY


def test_credentials_are_never_sent_over_plain_http_to_another_machine() -> None:
    for url in (
        f"http://export.example.invalid/a.json?session={TOKEN}",
        "http://user:pw@export.example.invalid/a.json",
    ):
        with pytest.raises(FetchRefused, match="credentials are only sent over HTTPS"):
            fetch(url, 1000, 5)


def test_an_unset_url_env_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)

    with pytest.raises(
        SourceMisconfigured,
        match=rf"148-json: the environment variable {URL_ENV} "
        "is not set; set it to the HTTPS address of the export",
    ):
        list_deliveries(SOURCE, Path(), SINCE, UNTIL)


@pytest.mark.parametrize("key", ["jwt", "session", "code", "state", "x"])
def test_every_query_value_but_known_harmless_ones_is_masked(key: str) -> None:
    url = f"https://example.fi/export.json?{key}={TOKEN}&since=2026-07-01&format=json"

    assert public_url(url) == (
        f"https://example.fi/export.json?{key}=***&since=2026-07-01&format=json"
    )


def test_a_token_in_a_failing_url_never_reaches_the_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SourceUnavailable) as caught:
        _deliveries(f"http://127.0.0.1:1/x?session={TOKEN}", monkeypatch)

    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    ["https://user:pw@example.fi/a.json", "https://example.fi/a.json?api_token=abc"],
)
def test_a_credential_written_into_sources_toml_is_a_config_error(url: str) -> None:
    with pytest.raises(ValueError, match="put the whole URL in an environment variable"):
        SourceConfig(municipality_code="148", kind="json", url=url)
