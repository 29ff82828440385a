"""The API database: cells, mappings, build requests, flavors, quotas..."""
