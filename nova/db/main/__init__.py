"""The per-cell ("main") database: instances and everything about them."""
