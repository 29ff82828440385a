"""Serving a WSGI app for development with the stdlib server, one thread
per request (deployments use uWSGI)."""

import argparse
from collections.abc import Callable
import socketserver
import sys
from typing import Any
from wsgiref import simple_server


class ThreadingWSGIServer(socketserver.ThreadingMixIn,
                          simple_server.WSGIServer):
    """The stdlib WSGI server, one thread per request."""

    daemon_threads = True


def arg_parser(description: str, port: int) -> argparse.ArgumentParser:
    """--host (default 127.0.0.1) and --port (default `port`)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=port)
    return parser


def serve(app: Callable[..., Any], name: str, host: str, port: int) -> int:
    """Serve `app` until interrupted; the exit code: 0, or 1 (said on
    stderr) when the address cannot be listened on."""
    try:
        server = simple_server.make_server(host, port, app,
                                           server_class=ThreadingWSGIServer)
    except OSError as exc:
        print('Error: cannot listen on %s:%d: %s' % (host, port, exc),
              file=sys.stderr)
        return 1
    print('%s on http://%s:%d/' % (name, host, port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
