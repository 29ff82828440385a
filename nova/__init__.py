"""Nova: the compute control plane (API, conductors, scheduler, computes)."""
