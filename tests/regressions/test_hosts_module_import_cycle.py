"""Importing nova.compute.hosts before nova.availability_zones failed.

Symptom: a process (or test module) whose first nova import was
nova.compute.hosts died with "partially initialized module
'nova.compute.hosts' has no attribute 'ServiceState'"; the services only
worked because something else imported nova.availability_zones first.

Cause: nova.compute.hosts imports nova.availability_zones, whose Zone
dataclass named hosts.ServiceState in an annotation evaluated while
nova.compute.hosts was still loading.

Fix: 6c313ba ("os-hosts and instance usage audit log: functional tests;
availability_zones no longer breaks when nova.compute.hosts is imported
first"): the annotation is quoted.
"""

import subprocess
import sys


def test_hosts_module_imports_first():
    # A fresh interpreter: this one has imported everything already.
    proc = subprocess.run(
        [sys.executable, '-c', 'import nova.compute.hosts'],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
