"""Base rules every placement rule is built from, and the helper that
declares an operation's rule with its legacy (pre-RBAC) fallback."""

from oslo_policy import policy

ADMIN = 'rule:admin_api'
SERVICE = 'rule:service_api'
ADMIN_OR_SERVICE = 'rule:admin_or_service_api'
ADMIN_OR_PROJECT_READER_OR_SERVICE = (
    'rule:admin_or_project_reader_or_service_api')

def rules() -> list:
    return [
        policy.RuleDefault('admin_api', 'role:admin',
                           'Default rule for most placement APIs.',
                           scope_types=['project']),
        policy.RuleDefault('service_api', 'role:service',
                           'Default rule for service-to-service placement '
                           'APIs.', scope_types=['project']),
        policy.RuleDefault('admin_or_service_api',
                           'role:admin or role:service',
                           'Default rule for most placement APIs.',
                           scope_types=['project']),
        policy.RuleDefault('project_reader_api',
                           'role:reader and project_id:%(project_id)s',
                           'Default rule for project level reader APIs.'),
        policy.RuleDefault('admin_or_project_reader_or_service_api',
                           'role:admin or rule:project_reader_api or '
                           'role:service',
                           'Default rule for project level reader APIs.',
                           scope_types=['project']),
    ]


def operation(name: str, check_str: str, description: str,
              operations: list[tuple[str, str]]
              ) -> policy.DocumentedRuleDefault:
    """One API operation's rule; with enforce_new_defaults off, the legacy
    "role:admin" default still applies alongside it."""
    legacy = policy.DeprecatedRule(
        name=name, check_str='role:admin',
        deprecated_reason='Placement now supports reader and service roles.',
        deprecated_since='W')
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': m, 'path': p} for m, p in operations],
        scope_types=['project'], deprecated_rule=legacy)
