"""nova-manage's commands, one module per group of commands.

Each module has CATEGORY (the first word on the command line) and
`add_commands(subparsers)`, which adds one argparse parser per action with
`set_defaults(func=...)`; func(args) returns the exit code. Several modules
may add to the same category.
"""

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
