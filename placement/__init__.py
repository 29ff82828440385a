"""Placement: a resource inventory and claims service (OpenStack Placement
API)."""
