"""nova-api: serve the compute API for development with the stdlib WSGI
server (deploy under uWSGI with etc/nova/nova-api-uwsgi.ini).

    nova-api [--host 127.0.0.1] [--port 8774] [--config-file F ...]
"""

import sys

from oslo_config import cfg

from servicekit import devserver


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; the exit code (2: bad configuration)."""
    parser = devserver.arg_parser('Serve the compute API.', 8774)
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
    return devserver.serve(app, 'nova-api', args.host, args.port)


if __name__ == '__main__':
    sys.exit(main())
