"""The base rules every compute API rule is built from (upstream names and
Pike defaults), and the helper declaring one operation's rule."""

from oslo_policy import policy

ADMIN_API = 'rule:admin_api'
ADMIN_OR_OWNER = 'rule:admin_or_owner'


def rules() -> list:
    return [
        policy.RuleDefault('context_is_admin', 'role:admin',
                           'Decides who counts as an administrator.'),
        policy.RuleDefault('admin_or_owner',
                           'is_admin:True or project_id:%(project_id)s',
                           'An administrator or a member of the project '
                           'that owns the resource.'),
        policy.RuleDefault('admin_api', 'is_admin:True',
                           'Administrators only.'),
    ]


def operation(name: str, check_str: str, description: str,
              operations: list[tuple[str, str]]
              ) -> policy.DocumentedRuleDefault:
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': m, 'path': p} for m, p in operations])
