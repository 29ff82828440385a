"""Hosts with more free memory first ([filter_scheduler] ram_weight_multiplier;
negative: fewer first, to stack)."""

from nova.scheduler import weighers


class RAMWeigher(weighers.FreeResourceWeigher):
    option = 'ram_weight_multiplier'
    attribute = 'free_ram_mb'
