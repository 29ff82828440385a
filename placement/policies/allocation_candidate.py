"""Policy rules for /allocation_candidates."""

from placement.policies import base

LIST = 'placement:allocation_candidates:list'


def rules() -> list:
    return [
        base.operation(LIST, base.ADMIN_OR_SERVICE,
                       'List allocation candidates.',
                       [('GET', '/allocation_candidates')]),
    ]
