"""Parsing with the limits kept: XLSX and JSON from untrusted drops in a memory-bounded child.

The limits are checked first (`tasks.intake.limits`). A workbook or JSON file
is then parsed by a child process whose address space is capped (`RLIMIT_AS`),
forked from a server process that has the parsers imported already (a child
costs a fork and the parser's first use, not the imports' seconds): a bomb
that gets past the checks ends only the child, and the delivery is refused
with the reason. The child sends back
the two frames as Arrow IPC bytes (never pickle: it read hostile input).
CSV is parsed in this process: its checks bound it well (lines and line length).
"""

from __future__ import annotations

import atexit
import dataclasses
import io
import json
import os
import resource
import signal
import struct
import subprocess
import sys
import threading
from typing import IO

import polars as pl

from schemas.limits import MIB, DeliveryLimits
from tasks.intake.extract import Delivery
from tasks.intake.limits import DeliveryRefused, check_limits, check_rows
from tasks.intake.parse import ParsedDelivery, UnreadableDelivery, parse_delivery
from tasks.intake.refusals import shown_name

BOUNDED_KINDS = frozenset({"xlsx", "json"})
CHILD_CPU_S = 600
_PARSED, _UNREADABLE, _DIED = b"P", b"U", b"D"
_LENGTH = struct.Struct(">Q")
_MESSAGE_CHARS = 2000


def parsed_delivery(delivery: Delivery, seq: int, limits: DeliveryLimits) -> ParsedDelivery:
    """Return the delivery parsed once its limits hold; XLSX and JSON in a bounded child.

    Raises:
        DeliveryRefused: the delivery breaks a limit, or its parser ran out of memory.
        UnreadableDelivery: the delivery cannot be read at all.
    """
    check_limits(delivery, limits)
    if delivery.kind in BOUNDED_KINDS:
        parsed = parsed_in_child(delivery, seq, limits.parse_memory_bytes)
    else:
        parsed = parse_delivery(delivery, seq)
    check_rows(delivery, parsed.reports.height + _unreadable_rows(parsed), limits)
    return parsed


def _unreadable_rows(parsed: ParsedDelivery) -> int:
    """Return how many distinct rows the parser could not read."""
    return parsed.rejections.get_column("row_number").n_unique() if parsed.rejections.height else 0


def parsed_in_child(delivery: Delivery, seq: int, memory_bytes: int) -> ParsedDelivery:
    """Return the delivery parsed by a child process limited to `memory_bytes` of address space."""
    status, body = _SERVER.parse(delivery, seq, memory_bytes)
    if status == _PARSED:
        stream = io.BytesIO(body)
        return ParsedDelivery(reports=_read_frame(stream), rejections=_read_frame(stream))
    if status == _UNREADABLE:
        raise UnreadableDelivery(body.decode("utf-8", "replace")[:_MESSAGE_CHARS].strip())
    raise DeliveryRefused(_child_failed(delivery, body.decode(), memory_bytes))


def _child_failed(delivery: Delivery, death: str, memory_bytes: int) -> str:
    """Return the line that refuses a delivery whose parser died (out of memory or time)."""
    if death == "cpu":
        how = f"took over {CHILD_CPU_S} s"
    else:
        how = f"ran out of the {memory_bytes // MIB:,} MB of memory allowed"
    return (
        f"{shown_name(delivery.name)}: refused: reading it {how}, so it was stopped; "
        "ask the municipality to save only the reports, from cell A1 on, in a new file"
    )


def _read_frame(stream: io.BytesIO) -> pl.DataFrame:
    (size,) = _LENGTH.unpack(stream.read(_LENGTH.size))
    return pl.read_ipc(io.BytesIO(stream.read(size)))


def _frame_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    return _LENGTH.pack(buffer.tell()) + buffer.getvalue()


class _ParseServer:
    """A process with the parsers imported that forks a bounded child for each delivery."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None

    def parse(self, delivery: Delivery, seq: int, memory_bytes: int) -> tuple[bytes, bytes]:
        """Return the child's status and answer for one delivery (one at a time)."""
        fields = {**dataclasses.asdict(delivery), "seq": seq, "memory_bytes": memory_bytes}
        del fields["content"]
        header = json.dumps(fields).encode()
        with self._lock:
            process = self._running()
            try:
                _send(process.stdin, header, delivery.content)
                return _receive(process.stdout)
            except (OSError, struct.error, ValueError):
                process.kill()
                self._process = None
                return _DIED, b"server"

    def close(self) -> None:
        """Stop the server (it ends when its input closes); the next parse starts a new one."""
        with self._lock:
            if self._process is not None:
                assert self._process.stdin is not None
                assert self._process.stdout is not None
                self._process.stdin.close()
                self._process.wait()
                self._process.stdout.close()
                self._process = None

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tasks.intake.bounded"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        return self._process


def _send(pipe: IO[bytes] | None, *parts: bytes) -> None:
    """Write length-prefixed parts to `pipe`."""
    assert pipe is not None
    for part in parts:
        pipe.write(_LENGTH.pack(len(part)))
        pipe.write(part)
    pipe.flush()


def _receive(pipe: IO[bytes] | None) -> tuple[bytes, bytes]:
    """Read a status byte and a length-prefixed answer from `pipe`."""
    assert pipe is not None
    status = pipe.read(1)
    (size,) = _LENGTH.unpack(pipe.read(_LENGTH.size))
    body = pipe.read(size)
    if len(status) != 1 or len(body) != size:
        raise ValueError("the parse server stopped mid-answer")
    return status, body


def _read_part(pipe: IO[bytes]) -> bytes | None:
    """Return the next length-prefixed part from `pipe`, or None at its end."""
    prefix = pipe.read(_LENGTH.size)
    if len(prefix) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(prefix)
    return pipe.read(size)


def _serve() -> None:
    """Answer deliveries from stdin until it closes, each parsed in a forked, bounded child."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (header := _read_part(stdin)) is not None:
        fields = json.loads(header)
        seq, memory_bytes = fields.pop("seq"), fields.pop("memory_bytes")
        delivery = Delivery(**fields, content=_read_part(stdin) or b"")
        status, body = _parsed_in_fork(delivery, seq, memory_bytes)
        stdout.write(status + _LENGTH.pack(len(body)) + body)
        stdout.flush()


def _parsed_in_fork(delivery: Delivery, seq: int, memory_bytes: int) -> tuple[bytes, bytes]:
    """Return a forked child's status and answer; `_DIED` with how when it was killed."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: bounded, answers, and leaves without cleaning up
        os.close(read_end)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # an allocator's dying words are not a report
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_S, CHILD_CPU_S + 5))
        with os.fdopen(write_end, "wb") as out:
            out.write(_child_answer(delivery, seq))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answers:
        answer = answers.read()
    _, wait_status = os.waitpid(pid, 0)
    if os.WIFEXITED(wait_status) and os.WEXITSTATUS(wait_status) == 0 and answer:
        return answer[:1], answer[1:]
    killed = os.WIFSIGNALED(wait_status) and os.WTERMSIG(wait_status) == signal.SIGXCPU
    return _DIED, b"cpu" if killed else b"memory"


def _child_answer(delivery: Delivery, seq: int) -> bytes:
    """Return the parsed frames (or why the delivery cannot be read) as the child's answer."""
    try:
        parsed = parse_delivery(delivery, seq)
        return _PARSED + _frame_bytes(parsed.reports) + _frame_bytes(parsed.rejections)
    except UnreadableDelivery as error:
        return _UNREADABLE + str(error).encode()
    except (MemoryError, RecursionError):
        return _DIED + b"memory"


_SERVER = _ParseServer()
atexit.register(_SERVER.close)  # the server ends with this process, its pipes closed

if __name__ == "__main__":
    _serve()
