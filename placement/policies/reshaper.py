"""Policy rules for /reshaper."""

from placement.policies import base

RESHAPE = 'placement:reshaper:reshape'


def rules() -> list:
    return [
        base.operation(RESHAPE, base.SERVICE,
                       'Reshape Inventory and Allocations.',
                       [('POST', '/reshaper')]),
    ]
