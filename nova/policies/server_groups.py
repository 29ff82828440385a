"""Policy rules for /os-server-groups (Pike's names: each operation's rule
defaults to the base rule, which defaults to admin_or_owner)."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-server-groups'
CREATE = BASE + ':create'
DELETE = BASE + ':delete'
INDEX = BASE + ':index'
SHOW = BASE + ':show'


def rules() -> list:
    groups = '/os-server-groups'
    return [
        policy.RuleDefault(BASE, base.ADMIN_OR_OWNER,
                           'The rule every server group operation defaults '
                           'to.'),
        base.operation(CREATE, 'rule:' + BASE, 'Create a new server group',
                       [('POST', groups)]),
        base.operation(DELETE, 'rule:' + BASE, 'Delete a server group',
                       [('DELETE', groups + '/{server_group_id}')]),
        base.operation(INDEX, 'rule:' + BASE, 'List all server groups',
                       [('GET', groups)]),
        base.operation(SHOW, 'rule:' + BASE,
                       'Show details of a server group',
                       [('GET', groups + '/{server_group_id}')]),
    ]
