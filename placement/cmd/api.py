"""placement-api: serve placement for development with the stdlib WSGI
server (deploy under uWSGI with etc/placement/placement-uwsgi.ini)."""

import sys

from servicekit import devserver


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; the exit code."""
    args = devserver.arg_parser(__doc__, 8778).parse_args(argv)
    # Imported here: the import builds the app.
    from placement import wsgi  # noqa: PLC0415
    return devserver.serve(wsgi.application, 'placement-api', args.host,
                           args.port)


if __name__ == '__main__':
    sys.exit(main())
