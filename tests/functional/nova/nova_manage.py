"""Running nova-manage in-process, as an operator would from a shell."""

import contextlib
import dataclasses
import io
import os
import subprocess
import sys

from oslo_config import cfg

EXECUTABLE = os.path.join(os.path.dirname(sys.executable), 'nova-manage')


@dataclasses.dataclass
class Result:
    code: int
    out: str
    err: str


def write_conf(path, api=None, cell=None, transport_url=None) -> str:
    lines = ['[DEFAULT]']
    if transport_url:
        lines.append('transport_url = %s' % transport_url)
    if api:
        lines += ['[api_database]', 'connection = %s' % api]
    if cell:
        lines += ['[database]', 'connection = %s' % cell]
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def run(conf: str, *argv: str) -> Result:
    """nova.cmd.manage.main with --config-file conf; CONF is left as it
    was found (parsed state cleared, the command-line category gone)."""
    from nova.cmd import manage
    from nova.conf import CONF
    CONF.reset()
    CONF.clear()
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = manage.main(['--config-file', conf, *argv])
            except SystemExit as exc:  # argparse rejecting the arguments
                code = exc.code
    finally:
        CONF.reset()
        CONF.clear()
        CONF.unregister_opt(cfg.SubCommandOpt(
            'category', title='Command categories',
            handler=manage._add_categories))
    return Result(code, out.getvalue(), err.getvalue())


def run_process(conf: str, *argv: str) -> Result:
    done = subprocess.run([EXECUTABLE, '--config-file', conf, *argv],
                          capture_output=True, text=True, timeout=120)
    return Result(done.returncode, done.stdout, done.stderr)
