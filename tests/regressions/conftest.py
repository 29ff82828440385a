"""The fixtures the reproducers use, imported by name from the functional
tests' conftest modules (pytest_plugins is for the root conftest only):
the migrated API and cell databases and the in-process compute API."""

from tests.functional.nova.api.conftest import api_conf  # noqa: F401
from tests.functional.nova.api.conftest import compute  # noqa: F401
from tests.functional.nova.conftest import nova_api_url  # noqa: F401
from tests.functional.nova.conftest import nova_backend  # noqa: F401
from tests.functional.nova.conftest import nova_cell_url  # noqa: F401
from tests.functional.nova.conftest import nova_engines  # noqa: F401
from tests.functional.nova.conftest import cloud_conf  # noqa: F401
from tests.functional.nova.conftest import new_cell_db  # noqa: F401
from tests.functional.nova.conftest import new_cloud  # noqa: F401
from tests.functional.nova.conftest import sqlite_cell_template  # noqa: F401,E501
from tests.functional.nova.conftest import two_cells  # noqa: F401
