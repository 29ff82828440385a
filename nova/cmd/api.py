"""nova-api: serve the compute API for development with the stdlib WSGI
server (deploy under uWSGI with etc/nova/nova-api-uwsgi.ini).

    nova-api [--host 127.0.0.1] [--port 8774] [--config-file F ...]
"""

import argparse
import socketserver
import sys
from wsgiref import simple_server

from oslo_config import cfg


class ThreadingWSGIServer(socketserver.ThreadingMixIn,
                          simple_server.WSGIServer):
    """The stdlib WSGI server, one thread per request."""

    daemon_threads = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description='Serve the compute API.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8774)
    parser.add_argument('--config-file', action='append', default=None,
                        help='May be given more than once; default: '
                             'nova.conf and nova-api.conf in /etc/nova.')
    args = parser.parse_args(argv)
    from nova.api import wsgi
    try:
        app = wsgi.init_application(config_files=args.config_file)
    except cfg.Error as exc:
        print('Error: %s' % exc, file=sys.stderr)
        return 2
    try:
        server = simple_server.make_server(args.host, args.port, app,
                                           server_class=ThreadingWSGIServer)
    except OSError as exc:
        print('Error: cannot listen on %s:%d: %s'
              % (args.host, args.port, exc), file=sys.stderr)
        return 1
    print('nova-api on http://%s:%d/' % (args.host, args.port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
