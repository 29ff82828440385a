"""Hosts with more free disk first ([filter_scheduler] disk_weight_multiplier;
negative: fewer first, to stack)."""

from nova.scheduler import weighers


class DiskWeigher(weighers.FreeResourceWeigher):
    option = 'disk_weight_multiplier'
    attribute = 'free_disk_gb'
