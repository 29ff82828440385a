"""Queries and writes on the placement database, one module per noun."""
