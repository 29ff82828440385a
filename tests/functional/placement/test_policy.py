"""Policy: the rules' defaults under the legacy and the new (secure RBAC)
profiles, checked through the API and against the enforcer."""

import pytest

from placement import context
from placement import policies
from placement import policy

PROJECT = 'c4a3fa3d4b8c4e0e9b1e5a3e8e9d2f10'
OTHER_PROJECT = '0b6e3cf5a8a54f4d9c4e4a0d1b2c3d4e'

# Every rule upstream placement defines, with its default check string.
EXPECTED_DEFAULTS = {
    'admin_api': 'role:admin',
    'service_api': 'role:service',
    'admin_or_service_api': 'role:admin or role:service',
    'project_reader_api': 'role:reader and project_id:%(project_id)s',
    'admin_or_project_reader_or_service_api':
        'role:admin or rule:project_reader_api or role:service',
    'placement:reshaper:reshape': 'rule:service_api',
    'placement:usages': 'rule:admin_or_project_reader_or_service_api',
}
ADMIN_OR_SERVICE_RULES = [
    'placement:resource_providers:%s' % op
    for op in ('list', 'create', 'show', 'update', 'delete')
] + [
    'placement:resource_classes:%s' % op
    for op in ('list', 'create', 'show', 'update', 'delete')
] + [
    'placement:resource_providers:inventories:%s' % op
    for op in ('list', 'create', 'show', 'update', 'delete')
] + [
    'placement:resource_providers:aggregates:list',
    'placement:resource_providers:aggregates:update',
    'placement:resource_providers:usages',
    'placement:traits:list', 'placement:traits:show',
    'placement:traits:update', 'placement:traits:delete',
    'placement:resource_providers:traits:list',
    'placement:resource_providers:traits:update',
    'placement:resource_providers:traits:delete',
    'placement:allocations:manage', 'placement:allocations:list',
    'placement:allocations:update', 'placement:allocations:delete',
    'placement:resource_providers:allocations:list',
    'placement:allocation_candidates:list',
]


def test_rule_names_defaults_and_scopes():
    rules = {rule.name: rule for rule in policies.list_rules()}
    expected = dict(EXPECTED_DEFAULTS)
    expected.update({name: 'rule:admin_or_service_api'
                     for name in ADMIN_OR_SERVICE_RULES})
    assert {name: rule.check_str for name, rule in rules.items()} == expected
    unscoped = {name for name, rule in rules.items() if not rule.scope_types}
    assert unscoped == {'project_reader_api'}
    assert all(rule.scope_types == ['project'] for name, rule in rules.items()
               if name != 'project_reader_api')


def _ctx(roles, project_id=PROJECT, system_scope=None):
    return context.RequestContext(
        user_id='someone', project_id=None if system_scope else project_id,
        roles=roles, system_scope=system_scope)


@pytest.fixture
def new_defaults(placement):
    from placement.conf import CONF
    CONF.set_override('enforce_new_defaults', True, group='oslo_policy')
    policy.reset()
    yield placement
    CONF.clear_override('enforce_new_defaults', group='oslo_policy')
    policy.reset()


@pytest.fixture
def legacy_defaults(placement):
    from placement.conf import CONF
    CONF.set_override('enforce_new_defaults', False, group='oslo_policy')
    policy.reset()
    yield placement
    CONF.clear_override('enforce_new_defaults', group='oslo_policy')
    policy.reset()


def _allowed(ctx, rule, target=None):
    target = target or {'project_id': ctx.project_id}
    return policy.authorize(ctx, rule, target)


def test_new_defaults(new_defaults):
    admin = _ctx(['admin', 'member', 'reader'])
    service = _ctx(['service'])
    member = _ctx(['member', 'reader'])
    reader = _ctx(['reader'])
    system_admin = _ctx(['admin', 'member', 'reader'], system_scope='all')
    traits = 'placement:traits:list'
    assert _allowed(admin, traits) and _allowed(service, traits)
    assert not _allowed(member, traits)
    assert not _allowed(system_admin, traits)
    # Only services reshape.
    reshape = 'placement:reshaper:reshape'
    assert _allowed(service, reshape)
    assert not _allowed(admin, reshape)
    # Project readers see their own project's usage, not another's.
    usages = 'placement:usages'
    assert _allowed(reader, usages, {'project_id': PROJECT})
    assert not _allowed(reader, usages, {'project_id': OTHER_PROJECT})
    assert not _allowed(system_admin, usages, {'project_id': PROJECT})


def test_legacy_defaults_still_let_admins_in(legacy_defaults):
    admin = _ctx(['admin', 'member', 'reader'])
    member = _ctx(['member', 'reader'])
    system_admin = _ctx(['admin'], system_scope='all')
    assert _allowed(admin, 'placement:reshaper:reshape')
    assert not _allowed(member, 'placement:reshaper:reshape')
    # Scope is enforced whatever the defaults.
    assert not _allowed(system_admin, 'placement:traits:list')


def _as(roles, project_id=PROJECT, system_scope=None) -> dict:
    headers = {'X-Roles': roles}
    if system_scope:
        headers['OpenStack-System-Scope'] = system_scope
    else:
        headers['X-Project-Id'] = project_id
    return headers


def test_api_answers_403_by_role(new_defaults):
    api = new_defaults
    api.token = 'user'
    assert api.get('/traits', version='1.6',
                   headers=_as('service')).status_int == 200
    denied = api.put('/traits/CUSTOM_X', version='1.6',
                     headers=_as('member,reader'))
    assert denied.status_int == 403
    assert denied.json['errors'][0]['title'] == 'Forbidden'
    system = api.get('/resource_classes', version='1.2',
                     headers=_as('admin,member,reader', system_scope='all'))
    assert system.status_int == 403
