"""placement-api: serve placement for development with the stdlib WSGI
server (deploy under uWSGI with etc/placement/placement-uwsgi.ini)."""

import argparse
import socketserver
import sys
from wsgiref import simple_server



class _ThreadingServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8778)
    args = parser.parse_args(argv)
    from placement import wsgi  # noqa: the import builds the app
    app = wsgi.application
    server = simple_server.make_server(args.host, args.port, app,
                                       server_class=_ThreadingServer)
    print('placement-api on http://%s:%d/' % (args.host, args.port))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
