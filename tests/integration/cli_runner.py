"""The `openstack` and `nova` command line clients, run by one resident
Python process per test process instead of a new process per command.

A client's own code is what runs (openstackclient.shell.main,
novaclient.shell.main, with their plugins), with the command's
environment and its output captured, in a fork of the runner: the
interpreter start and the imports, about 1.5 s a command, are paid once,
and no command sees what another left in the process. tools/cloud itself
runs the installed `openstack` executable, so the entry points stay
covered.

    proc = cli_runner.run(['openstack', 'server', 'list'], env)
    proc.returncode, proc.stdout, proc.stderr
"""

import atexit
import contextlib
import importlib
import io
import json
import os
import select
import subprocess
import sys
import threading

_lock = threading.Lock()
_server: subprocess.Popen | None = None


def _start() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, '-m', 'tests.integration.cli_runner'],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))), text=True, bufsize=1)


def _stop() -> None:
    global _server
    if _server is not None:
        _server.kill()
        _server.wait()
        _server = None


atexit.register(_stop)


def run(argv: list[str], env: dict[str, str],
        timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `argv` (program name first: openstack or nova) with exactly
    the environment `env`; its exit status and output."""
    global _server
    with _lock:
        if _server is None or _server.poll() is not None:
            _server = _start()
        assert _server.stdin is not None and _server.stdout is not None
        _server.stdin.write(json.dumps({'argv': argv, 'env': env}) + '\n')
        _server.stdin.flush()
        ready, _, _ = select.select([_server.stdout], [], [], timeout)
        line = _server.stdout.readline() if ready else ''
        if not line:
            # Hung or died: the next command gets a new runner.
            _stop()
            raise subprocess.TimeoutExpired(argv, timeout)
    answer = json.loads(line)
    return subprocess.CompletedProcess(argv, answer['rc'], answer['stdout'],
                                       answer['stderr'])


# Imported once by the runner, so that each command's fork has them.
_WARM = ('openstackclient.shell', 'openstackclient.compute.v2.server',
         'openstackclient.compute.v2.flavor', 'openstack.compute.v2._proxy',
         'openstack.config.loader', 'novaclient.shell', 'novaclient.v2.shell',
         'osc_placement.resources.resource_provider')


def _main(program: str, args: list[str]) -> int:
    if program == 'openstack':
        from openstackclient import shell
        return shell.main(args)
    if program == 'nova':
        from novaclient import shell as nova_shell
        nova_shell.main(args)
        return 0
    raise ValueError('unknown program %r' % program)


def _command(request: dict) -> dict:
    """Run one command (in a fork of the runner)."""
    os.environ.clear()
    os.environ.update(request['env'])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = _main(request['argv'][0], request['argv'][1:])
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else (
                0 if exc.code is None else 1)
        except Exception as exc:  # a client crashing is a result too
            print('%s: %s' % (type(exc).__name__, exc), file=err)
            rc = 1
    return {'rc': rc or 0, 'stdout': out.getvalue(),
            'stderr': err.getvalue()}


def _forked(request: dict) -> str:
    """The command's answer, run in a child: every command starts from
    the runner's clean state (the clients cache configuration, sessions
    and logging handlers per process)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            answer = json.dumps(_command(request))
        except BaseException as exc:
            answer = json.dumps({'rc': 1, 'stdout': '',
                                 'stderr': 'runner: %r' % exc})
        with os.fdopen(write_end, 'w') as pipe:
            pipe.write(answer)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    return answer


def _serve() -> None:
    # Answers go out on a copy of stdout; whatever a client writes to file
    # descriptor 1 itself goes nowhere instead of into an answer.
    answers = os.fdopen(os.dup(1), 'w')
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    for name in _WARM:
        importlib.import_module(name)
    for line in sys.stdin:
        answers.write(_forked(json.loads(line)) + '\n')
        answers.flush()


if __name__ == '__main__':
    _serve()
