"""nova-manage: the operator's tool for databases and cells v2.

    nova-manage [--config-file F ...] CATEGORY ACTION [options]

Commands live in nova.manage (one module per group); this module parses the
command line and configuration and turns failures into a message and an
exit code.
"""

import collections
import importlib
import sys

from oslo_config import cfg
from oslo_log import log as logging

from nova.conf import CONF
from nova import manage


def _add_categories(subparsers) -> None:
    by_category = collections.defaultdict(list)
    for name in manage.MODULES:
        module = importlib.import_module(name)
        by_category[module.CATEGORY].append(module)
    for category, modules in by_category.items():
        parser = subparsers.add_parser(category)
        actions = parser.add_subparsers(dest='action', metavar='ACTION')
        actions.required = True
        for module in modules:
            module.add_commands(actions)


def main(argv: list[str] | None = None) -> int:
    CONF.register_cli_opt(cfg.SubCommandOpt(
        'category', title='Command categories', handler=_add_categories))
    try:
        CONF(argv if argv is not None else sys.argv[1:], project='nova')
    except cfg.Error as exc:
        print('Error: %s' % exc, file=sys.stderr)
        return 2
    # Logs to stderr (unless a log file is set): stdout is the command's
    # output, which scripts parse.
    CONF.set_default('use_stderr', True)
    logging.setup(CONF, 'nova')
    try:
        return CONF.category.func(CONF.category)
    except manage.CommandError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    except Exception as exc:  # an operator gets a sentence, not a traceback
        orig = getattr(exc, 'orig', None)
        print('Error: %s' % str(orig if orig is not None else exc)
              .split('\n(Background')[0], file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
