"""A few idle kept-alive connections stalled every request to placement.

Symptom: the conformance suite spent a quarter of a second on each
request (resource-provider.yaml: 83 requests in 23 s), and requests were
answered in bursts four seconds apart, while the server logged each one
as taking 4 ms.

Cause: uWSGI listened with --http11-socket, where a worker thread itself
holds a client's kept-alive connection until the client closes it or the
socket times out (4 s). Clients that open a connection per request and
close it late (gabbi's, one HTTP client per test) held all 16 threads.

Fix: the commit that added this file: uWSGI serves through its HTTP
router (--http with http-keepalive), which holds idle connections itself.
"""

import socket
import time

import pytest

from tests.integration.conftest import PlacementServer

IDLE = 32           # twice the workers' threads (4 processes x 4)
PATIENCE = 2.0      # seconds; the stall lasted the 4 s socket timeout


def _kept_alive(port: int) -> socket.socket:
    """A connection that has had one answer and now sits idle."""
    sock = socket.create_connection(('127.0.0.1', port), timeout=10)
    sock.sendall(b'GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n'
                 b'\r\n')
    data = b''
    while b'\r\n\r\n' not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b'\r\n\r\n')
    length = int(next(line.split(b':')[1] for line in head.split(b'\r\n')
                      if line.lower().startswith(b'content-length')))
    while len(body) < length:
        body += sock.recv(65536)
    assert head.startswith(b'HTTP/1.1 200'), head
    return sock


@pytest.fixture(scope='module')
def server():
    server = PlacementServer('sqlite')
    server.start()
    yield server
    server.stop()


def test_idle_connections_do_not_hold_the_workers(server):
    idle = [_kept_alive(server.port) for _ in range(IDLE)]
    try:
        started = time.monotonic()
        with socket.create_connection(('127.0.0.1', server.port),
                                      timeout=10) as sock:
            sock.sendall(b'GET / HTTP/1.0\r\n\r\n')
            answer = sock.recv(65536)
        took = time.monotonic() - started
    finally:
        for sock in idle:
            sock.close()
    assert answer.startswith(b'HTTP/1.'), answer
    assert b' 200 ' in answer.split(b'\r\n')[0], answer
    assert took < PATIENCE, '%.1fs for one request behind %d idle ' \
        'connections' % (took, IDLE)
