"""Where upstream Placement's gabbi files are cached, and fetching them
(shared/conformance/placement/run.sh downloads the upstream wheel on its
first run)."""

import os
from pathlib import Path
import subprocess

REPO = Path(__file__).resolve().parents[2]


def suite_cache() -> Path:
    """Where run.sh keeps the upstream files."""
    return Path(os.environ.get(
        'PLACEMENT_CONFORMANCE_CACHE',
        Path.home() / '.cache' / 'placement-conformance'))


def fetch_suite() -> None:
    """Have run.sh download the suite into its cache if it is not there
    (its first run fetches the upstream wheel). Called once per run,
    before any worker collects: workers fetching at once would race."""
    run_sh = REPO.parent / 'shared' / 'conformance' / 'placement' / 'run.sh'
    if not (suite_cache() / 'gabbits').is_dir() and run_sh.is_file():
        subprocess.run([str(run_sh), '--url', 'http://127.0.0.1:9',
                        '--only', 'no-such-file', '--json', os.devnull],
                       capture_output=True, timeout=600)
