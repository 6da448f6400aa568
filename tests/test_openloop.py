"""The load driver (bench/_openloop.py) reads whole responses whichever way the server frames
and ends them, and records every arrival after the warm-up once."""

from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import _openloop

BODY = b"x" * 5000
RESPONSES = {
    b"/close": b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY),
    b"/keep": b"HTTP/1.1 201 Created\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY),
    b"/chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"/eof": b"HTTP/1.0 503 Service Unavailable\r\n\r\nbusy",
    b"/cut": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
}


def serve(listener: socket.socket, stop: threading.Event) -> None:
    listener.settimeout(0.2)
    while not stop.is_set():
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        threading.Thread(target=answer, args=(conn,), daemon=True).start()


def answer(conn: socket.socket) -> None:
    with conn:
        buffer = b""
        while True:
            while b"\r\n\r\n" not in buffer:
                data = conn.recv(65536)
                if not data:
                    return
                buffer += data
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            path = head.split(b" ")[1]
            conn.sendall(RESPONSES[path])
            if path != b"/keep":
                return


@pytest.mark.parametrize(
    ("path", "status"), [("/close", 200), ("/keep", 201), ("/chunked", 200), ("/eof", 503), ("/cut", 0)]
)
def test_every_arrival_recorded_once_with_its_status(path, status):
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    server = threading.Thread(target=serve, args=(listener, stop), daemon=True)
    server.start()
    port = listener.getsockname()[1]
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    records: list[tuple[str, float, int]] = []
    try:
        elapsed, warm = _openloop.run(
            port, {"a": 300.0, "b": 100.0}, 0.5, 8, lambda action: request, lambda *r: records.append(r), 0.3
        )
    finally:
        stop.set()
        server.join()
        listener.close()
    assert len(records) > 50 and warm > 30 and elapsed >= 0.5
    assert {r[0] for r in records} == {"a", "b"}
    assert {r[2] for r in records} == {status}
    assert all(r[1] >= 0 for r in records)
