"""Server groups in a real API database: the policy's rules (2.64) are
kept on the policy row and read back with the group."""

import pytest

from nova.db.api import instance_groups

pytestmark = pytest.mark.all_databases


def test_rules_round_trip(nova_engines):
    with nova_engines.api_writer() as conn:
        ruled = instance_groups.create(conn, 'p1', 'u1', 'a',
                                       ['anti-affinity'],
                                       {'max_server_per_host': 3})
        plain = instance_groups.create(conn, 'p1', 'u1', 'b', ['affinity'])
    assert (ruled.policy, ruled.rules) == ('anti-affinity',
                                           {'max_server_per_host': 3})
    assert (plain.policy, plain.rules) == ('affinity', {})
    with nova_engines.api_reader() as conn:
        listed = instance_groups.list_groups(conn, 'p1')
    assert [(g.name, g.rules) for g in listed] == [
        ('a', {'max_server_per_host': 3}), ('b', {})]
