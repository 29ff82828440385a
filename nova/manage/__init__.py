"""nova-manage's commands, one module per group of commands.

Each module has CATEGORY (the first word on the command line) and
`add_commands(subparsers)`, which adds one argparse parser per action with
`set_defaults(func=...)`; func(args) returns the exit code. Several modules
may add to the same category.
"""

from nova.conf import CONF

MODULES = (
    'nova.manage.api_db',          # api_db sync|version
    'nova.manage.db',              # db sync|version
    # db online_data_migrations|archive_deleted_rows|purge
    'nova.manage.db_maintenance',
    'nova.manage.cell_v2',         # cell_v2 ...
)


class CommandError(Exception):
    """What went wrong, for the operator, with the exit code to return."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def configured(value: str, message: str) -> str:
    """`value` (an option from the configuration file); CommandError with
    `message` (exit code 1) when it is not set."""
    if not value:
        raise CommandError(message, 1)
    return value


def connection(group: str, label: str) -> str:
    """[`group`] connection, the URL of the `label` database; CommandError
    (exit code 1) when it is not set."""
    return configured(
        CONF[group].connection,
        'The %s database is not configured: set [%s] connection in the '
        'configuration file.' % (label, group))


def max_count(value: str | None, name: str) -> int | None:
    """A --max-count argument as a positive number (None when not given);
    CommandError (exit code 127) naming it `name` for anything else."""
    if value is None:
        return None
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 1:
        raise CommandError('Must supply a positive value for %s' % name, 127)
    return count
