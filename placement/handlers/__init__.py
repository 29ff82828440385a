"""Placement request handlers, one module per URL noun. Each handler reads
as one story: parse, validate, call one object function, serialise."""
