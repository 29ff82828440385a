"""Hypervisor drivers of nova-compute."""
