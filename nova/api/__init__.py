"""nova-api: the compute API as a PasteDeploy-assembled WSGI application."""
