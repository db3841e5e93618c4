"""A real SMTP server on loopback for tests (aiosmtpd)."""

from __future__ import annotations

from aiosmtpd.controller import Controller


class LoopbackController(Controller):
    """An aiosmtpd controller on 127.0.0.1 that listens on a port the system picks."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()
