"""Nova's databases: the API database and one database per cell.

``api/`` and ``main/`` describe the two schemas (the tables and, later, the
queries on them); ``engines`` hands out connections to either; ``migration``
applies the alembic environments under ``alembic/api`` and ``alembic/main``.
"""
