"""Hosts with more free VCPUs first ([filter_scheduler] cpu_weight_multiplier;
negative: fewer first, to stack)."""

from nova.scheduler import weighers


class CPUWeigher(weighers.FreeResourceWeigher):
    option = 'cpu_weight_multiplier'
    attribute = 'free_vcpus'
