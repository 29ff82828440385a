"""The per-request context: who is calling, and the database transaction."""

from oslo_context import context
from oslo_db.sqlalchemy import enginefacade

from placement import errors
from placement import policy


@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):

    def can(self, action: str, target: dict | None = None,
            fatal: bool = True) -> bool:
        """Check policy `action`; raise 403 (or return False) on denial."""
        if target is None:
            target = {'project_id': self.project_id, 'user_id': self.user_id}
        allowed = policy.authorize(self, action, target)
        if not allowed and fatal:
            raise errors.Forbidden(
                'Policy does not allow %s to be performed.' % action)
        return allowed


def admin_context() -> RequestContext:
    """A context for commands and background work that bypasses policy."""
    return RequestContext(user_id='placement', project_id='placement',
                          roles=['admin'], is_admin=True)
