"""What nova and placement share: microversion negotiation, the in-process
WSGI client, the development WSGI server, SQLite set-up, alembic runners and
URL masking.

It imports neither service (placement never imports nova, and both import
this package), only libraries.
"""
