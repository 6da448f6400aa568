"""An open-loop HTTP/1.1 load driver on one thread: non-blocking sockets and a selector.

Arrivals are Poisson at the given rates and each request's latency is measured from its
scheduled time, so a server that falls behind shows its queue. At most ``connections`` requests
are in flight (like as many client threads); the others wait in order. A connection is reused
while the server keeps it open; gunicorn's sync workers close it after each response, and they
linger until the client closes its side, so the driver closes at once, in the same step that
reads the end of the response. Requests arrive as ready-made bytes. All of this keeps the
generator's own CPU small beside the server's on a shared machine.
"""

from __future__ import annotations

import collections
import random
import selectors
import socket
import time
from collections.abc import Callable

READ = selectors.EVENT_READ
TIMEOUT = 30.0


class Exchange:
    __slots__ = ("action", "buffer", "deadline", "request", "reused", "scheduled", "sock")

    def __init__(
        self, sock: socket.socket, action: str, scheduled: float, request: bytes, reused: bool
    ) -> None:
        self.sock = sock
        self.action = action
        self.scheduled = scheduled
        self.request = request
        self.reused = reused
        self.buffer = b""
        self.deadline = time.perf_counter() + TIMEOUT


def parse(buffer: bytes, eof: bool = False) -> tuple[int, bool] | None:
    """(status, keep the connection) once the whole response is in ``buffer`` (``eof``: the
    server has closed), else None."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = buffer[:end].split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = -1
    chunked = False
    keep = True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep = b"close" not in value.lower()
    body = len(buffer) - end - 4
    if length >= 0:
        return (status, keep) if body >= length else None
    if chunked:
        return (status, keep) if buffer.endswith(b"\r\n0\r\n\r\n") else None
    return (status, False) if eof else None  # the body ends with the connection


def run(
    port: int,
    rates: dict[str, float],
    duration: float,
    connections: int,
    request_of: Callable[[str], bytes],
    record: Callable[[str, float, int], None],
    warmup: float = 0.0,
) -> tuple[float, int]:
    """Drive the load for ``warmup`` + ``duration`` seconds; ``record(action, latency, status)``
    is called once per arrival after the warm-up (status 0: lost connection; -1 and NaN: still
    queued when the run ended, 10 s after the last arrival). The warm-up's arrivals are the same
    stream, sent and answered but not recorded: what they leave queued weighs on the measured
    part. Returns the measured part's elapsed time and the number of warm-up requests."""
    address = ("127.0.0.1", port)
    selector = selectors.DefaultSelector()
    total_rate = sum(rates.values())
    actions, weights = list(rates), [rates[a] for a in rates]
    rnd = random.Random(1)
    queued: collections.deque[tuple[str, float]] = collections.deque()
    idle: list[socket.socket] = []
    flying: dict[int, Exchange] = {}
    started = time.perf_counter()
    measured_from = started + warmup
    warm = 0
    stop_at = measured_from + duration + 10
    next_at = started + rnd.expovariate(total_rate)
    arriving = True
    next_check = started + 1.0

    def note(action: str, scheduled: float, latency: float, status: int) -> None:
        nonlocal warm
        if scheduled >= measured_from:
            record(action, latency, status)
        else:
            warm += 1

    def finish(exchange: Exchange, status: int, keep: bool) -> None:
        sock = exchange.sock
        selector.unregister(sock)
        del flying[sock.fileno()]
        if keep:
            idle.append(sock)
        else:
            sock.close()
        note(exchange.action, exchange.scheduled, time.perf_counter() - exchange.scheduled, status)

    def start(action: str, scheduled: float, request: bytes, fresh: bool = False) -> None:
        reused = bool(idle) and not fresh
        try:
            if reused:
                sock = idle.pop()
            else:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.connect(address)  # loopback: done at once while the backlog has room
                sock.setblocking(False)
            sock.sendall(request)  # a request is far below the socket's send buffer
        except OSError:
            sock.close()
            note(action, scheduled, time.perf_counter() - scheduled, 0)
            return
        exchange = Exchange(sock, action, scheduled, request, reused)
        flying[sock.fileno()] = exchange
        selector.register(sock, READ, exchange)

    while arriving or queued or flying:
        now = time.perf_counter()
        timeout = min(next_at - now, 0.5) if arriving else 0.5
        for key, _ in selector.select(max(timeout, 0)):
            exchange = key.data
            try:
                data = exchange.sock.recv(262144)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data:
                exchange.buffer += data
                done = parse(exchange.buffer)
                if done is not None:
                    finish(exchange, done[0], done[1])
            elif exchange.reused and not exchange.buffer:
                # the server had closed the idle connection: send again on a new one
                selector.unregister(exchange.sock)
                del flying[exchange.sock.fileno()]
                exchange.sock.close()
                start(exchange.action, exchange.scheduled, exchange.request, fresh=True)
            else:
                done = parse(exchange.buffer, eof=True)
                finish(exchange, done[0] if done else 0, False)
        now = time.perf_counter()
        while arriving and next_at <= now:
            queued.append((rnd.choices(actions, weights)[0], next_at))
            if next_at - started < warmup + duration:
                next_at += rnd.expovariate(total_rate)
            else:
                arriving = False
        while queued and len(flying) < connections:
            action, scheduled = queued.popleft()
            if now > stop_at:
                # the server fell behind: what is still queued after the run is counted, not sent
                note(action, scheduled, float("nan"), -1)
                continue
            start(action, scheduled, request_of(action))
        if now >= next_check:
            next_check = now + 1.0
            for exchange in [e for e in flying.values() if e.deadline < now]:
                finish(exchange, 0, False)
    for sock in idle:
        sock.close()
    selector.close()
    return time.perf_counter() - measured_from, warm
