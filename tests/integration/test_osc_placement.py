"""The real `openstack` CLI with the osc-placement plugin (run by
tests/integration/cli_runner.py) against our placement under uWSGI
(noauth2: the token "admin" is an admin).
"""

import json
import os
import uuid

import pytest

from tests.integration import cli_runner

MICROVERSION = '1.39'


class CLIError(Exception):
    pass


@pytest.fixture(scope='module')
def osc(placement_server):
    """Run `openstack ARGS` against the server; parsed -f json output."""
    # admin_token: keystoneauth sends the given token to the given endpoint
    # without asking Keystone; noauth2 reads it as the user "admin".
    base = ['openstack', '--os-auth-type', 'admin_token',
            '--os-token', 'admin', '--os-endpoint', placement_server.url]
    env = dict(os.environ, OS_PLACEMENT_API_VERSION=MICROVERSION)
    for name in ('OS_CLOUD', 'OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD',
                 'OS_PROJECT_NAME', 'OS_TOKEN', 'OS_AUTH_TYPE'):
        env.pop(name, None)

    def run(*args, parse=True):
        cmd = base + list(args) + (['-f', 'json'] if parse else [])
        proc = cli_runner.run(cmd, env, timeout=120)
        if proc.returncode:
            raise CLIError('openstack %s -> exit %d: %s\n%s' % (
                ' '.join(args), proc.returncode, proc.stderr.strip(),
                placement_server.logs()))
        return json.loads(proc.stdout) if parse else proc.stdout

    return run


def new_provider(osc, name=None):
    rp = str(uuid.uuid4())
    osc('resource', 'provider', 'create', name or 'cn-' + rp[:8],
        '--uuid', rp)
    return rp


def set_inventory(osc, rp):
    return osc('resource', 'provider', 'inventory', 'set', rp,
               '--resource', 'VCPU=8', '--resource', 'VCPU:allocation_ratio=4',
               '--resource', 'MEMORY_MB=4096', '--resource', 'DISK_GB=100',
               '--resource', 'DISK_GB:reserved=10')


def by_class(rows):
    return {row['resource_class']: row for row in rows}


def test_resource_provider_create_list_show_set_delete(osc):
    rp = str(uuid.uuid4())
    created = osc('resource', 'provider', 'create', 'osc-cn1', '--uuid', rp)
    assert created['uuid'] == rp
    assert created['name'] == 'osc-cn1'
    assert created['generation'] == 0
    assert created['root_provider_uuid'] == rp
    assert created['parent_provider_uuid'] is None

    listed = {p['uuid']: p for p in osc('resource', 'provider', 'list')}
    assert listed[rp]['name'] == 'osc-cn1'

    renamed = osc('resource', 'provider', 'set', rp, '--name', 'osc-cn1b')
    assert renamed['name'] == 'osc-cn1b'
    shown = osc('resource', 'provider', 'show', rp)
    assert (shown['uuid'], shown['name']) == (rp, 'osc-cn1b')

    osc('resource', 'provider', 'delete', rp, parse=False)
    assert rp not in {p['uuid'] for p in osc('resource', 'provider', 'list')}
    with pytest.raises(CLIError, match='404'):
        osc('resource', 'provider', 'show', rp)


def test_inventory_set_list_show_delete(osc):
    rp = new_provider(osc)
    written = by_class(set_inventory(osc, rp))
    assert set(written) == {'VCPU', 'MEMORY_MB', 'DISK_GB'}
    assert written['VCPU']['total'] == 8
    assert written['VCPU']['allocation_ratio'] == 4.0
    assert written['DISK_GB']['reserved'] == 10

    listed = by_class(osc('resource', 'provider', 'inventory', 'list', rp))
    assert listed['MEMORY_MB']['total'] == 4096
    assert listed['MEMORY_MB']['used'] == 0
    assert listed['MEMORY_MB']['allocation_ratio'] == 1.0

    vcpu = osc('resource', 'provider', 'inventory', 'show', rp, 'VCPU')
    assert (vcpu['total'], vcpu['allocation_ratio'], vcpu['min_unit'],
            vcpu['step_size'], vcpu['used']) == (8, 4.0, 1, 1, 0)

    osc('resource', 'provider', 'inventory', 'delete', rp,
        '--resource-class', 'DISK_GB', parse=False)
    left = by_class(osc('resource', 'provider', 'inventory', 'list', rp))
    assert set(left) == {'VCPU', 'MEMORY_MB'}
    with pytest.raises(CLIError, match='404'):
        osc('resource', 'provider', 'inventory', 'show', rp, 'DISK_GB')


def test_resource_class_create_list_delete(osc):
    osc('resource', 'class', 'create', 'CUSTOM_OSC_FPGA', parse=False)
    names = {rc['name'] for rc in osc('resource', 'class', 'list')}
    assert {'VCPU', 'MEMORY_MB', 'DISK_GB', 'CUSTOM_OSC_FPGA'} <= names

    osc('resource', 'class', 'delete', 'CUSTOM_OSC_FPGA', parse=False)
    names = {rc['name'] for rc in osc('resource', 'class', 'list')}
    assert 'CUSTOM_OSC_FPGA' not in names
    assert 'VCPU' in names


def test_traits_and_provider_traits(osc):
    osc('trait', 'create', 'CUSTOM_OSC_GOLD', parse=False)
    custom = osc('trait', 'list', '--name', 'startswith:CUSTOM_OSC_')
    assert [t['name'] for t in custom] == ['CUSTOM_OSC_GOLD']

    rp = new_provider(osc)
    written = osc('resource', 'provider', 'trait', 'set', rp,
                  '--trait', 'CUSTOM_OSC_GOLD', '--trait', 'HW_CPU_X86_AVX2')
    assert {t['name'] for t in written} == {'CUSTOM_OSC_GOLD',
                                            'HW_CPU_X86_AVX2'}
    listed = osc('resource', 'provider', 'trait', 'list', rp)
    assert {t['name'] for t in listed} == {'CUSTOM_OSC_GOLD',
                                           'HW_CPU_X86_AVX2'}

    # A trait a provider has cannot go.
    with pytest.raises(CLIError, match='409'):
        osc('trait', 'delete', 'CUSTOM_OSC_GOLD', parse=False)
    osc('resource', 'provider', 'trait', 'delete', rp, parse=False)
    assert osc('resource', 'provider', 'trait', 'list', rp) == []
    osc('trait', 'delete', 'CUSTOM_OSC_GOLD', parse=False)
    assert osc('trait', 'list', '--name', 'startswith:CUSTOM_OSC_') == []


def test_provider_aggregates(osc):
    rp = new_provider(osc)
    agg1, agg2 = str(uuid.uuid4()), str(uuid.uuid4())
    generation = osc('resource', 'provider', 'show', rp)['generation']
    written = osc('resource', 'provider', 'aggregate', 'set', rp,
                  '--aggregate', agg1, '--aggregate', agg2,
                  '--generation', str(generation))
    assert {a['uuid'] for a in written} == {agg1, agg2}
    listed = osc('resource', 'provider', 'aggregate', 'list', rp)
    assert {a['uuid'] for a in listed} == {agg1, agg2}
    assert osc('resource', 'provider', 'show', rp)['generation'] == (
        generation + 1)

    # A stale generation is refused and changes nothing.
    with pytest.raises(CLIError, match='409'):
        osc('resource', 'provider', 'aggregate', 'set', rp,
            '--aggregate', agg1, '--generation', str(generation))
    listed = osc('resource', 'provider', 'aggregate', 'list', rp)
    assert {a['uuid'] for a in listed} == {agg1, agg2}


def test_candidates_allocations_and_usage(osc):
    rp = new_provider(osc)
    set_inventory(osc, rp)
    osc('trait', 'create', 'CUSTOM_OSC_CANDIDATE', parse=False)
    osc('resource', 'provider', 'trait', 'set', rp,
        '--trait', 'HW_CPU_X86_SSE42', '--trait', 'CUSTOM_OSC_CANDIDATE')
    # Other tests' providers have no such trait.
    candidates = osc('allocation', 'candidate', 'list',
                     '--resource', 'VCPU=2', '--resource', 'MEMORY_MB=512',
                     '--required', 'CUSTOM_OSC_CANDIDATE')
    assert [c['resource provider'] for c in candidates] == [rp]
    assert set(candidates[0]['allocation'].split(',')) == {'VCPU=2',
                                                           'MEMORY_MB=512'}
    # VCPU capacity is total * allocation_ratio.
    assert 'VCPU=0/32' in candidates[0]['inventory used/capacity']

    consumer = str(uuid.uuid4())
    project, user = str(uuid.uuid4()), str(uuid.uuid4())
    written = osc('resource', 'provider', 'allocation', 'set', consumer,
                  '--allocation', 'rp=%s,VCPU=2,MEMORY_MB=512' % rp,
                  '--project-id', project, '--user-id', user,
                  '--consumer-type', 'INSTANCE')
    (alloc,) = written
    assert alloc['resource_provider'] == rp
    assert alloc['resources'] == {'VCPU': 2, 'MEMORY_MB': 512}
    assert (alloc['project_id'], alloc['user_id'],
            alloc['consumer_type']) == (project, user, 'INSTANCE')
    (shown,) = osc('resource', 'provider', 'allocation', 'show', consumer)
    assert shown['resources'] == {'VCPU': 2, 'MEMORY_MB': 512}

    usage = {u['resource_class']: u['usage']
             for u in osc('resource', 'provider', 'usage', 'show', rp)}
    assert usage == {'VCPU': 2, 'MEMORY_MB': 512, 'DISK_GB': 0}
    with_allocs = osc('resource', 'provider', 'show', rp, '--allocations')
    assert with_allocs['allocations'][consumer]['resources'] == {
        'VCPU': 2, 'MEMORY_MB': 512}

    # More than the capacity left (32 - 2 VCPU) is refused.
    with pytest.raises(CLIError, match='409'):
        osc('resource', 'provider', 'allocation', 'set', str(uuid.uuid4()),
            '--allocation', 'rp=%s,VCPU=31' % rp,
            '--project-id', project, '--user-id', user,
            '--consumer-type', 'INSTANCE')

    osc('resource', 'provider', 'allocation', 'delete', consumer, parse=False)
    usage = {u['resource_class']: u['usage']
             for u in osc('resource', 'provider', 'usage', 'show', rp)}
    assert usage == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
    assert osc('resource', 'provider', 'allocation', 'show', consumer) == []
