"""Queries on quotas (a project's limits), project_user_quotas (a user's
limits within a project) and quota_classes (named sets of defaults, of
which only 'default' applies). Each holds {resource: hard_limit} rows;
usage is never stored."""

from typing import Any

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova.db.api import tables

_project = tables.quotas
_user = tables.project_user_quotas
_class = tables.quota_classes


def _rows(conn: sa.engine.Connection, table: sa.Table,
          *where: Any) -> dict[str, int]:
    return {resource: limit for resource, limit in conn.execute(
        sa.select(table.c.resource, table.c.hard_limit).where(*where))}


def class_limits(conn: sa.engine.Connection, class_name: str
                 ) -> dict[str, int]:
    return _rows(conn, _class, _class.c.class_name == class_name)


def project_limits(conn: sa.engine.Connection, project_id: str
                   ) -> dict[str, int]:
    return _rows(conn, _project, _project.c.project_id == project_id)


def user_limits(conn: sa.engine.Connection, project_id: str,
                user_id: str) -> dict[str, int]:
    return _rows(conn, _user, _user.c.project_id == project_id,
                 _user.c.user_id == user_id)


def given_to_users(conn: sa.engine.Connection, project_id: str
                   ) -> dict[str, int]:
    """{resource: sum of the limits the project's users were given}, -1
    (unlimited) rows left out."""
    return {resource: int(total) for resource, total in conn.execute(
        sa.select(_user.c.resource, sa.func.sum(_user.c.hard_limit))
        .where(_user.c.project_id == project_id, _user.c.hard_limit >= 0)
        .group_by(_user.c.resource))}


def _upsert(conn: sa.engine.Connection, table: sa.Table,
            keys: dict[str, str], limits: dict[str, int]) -> None:
    for resource, limit in limits.items():
        where = [table.c[k] == v for k, v in keys.items()]
        where.append(table.c.resource == resource)
        updated = conn.execute(table.update().where(*where)
                               .values(hard_limit=limit))
        if updated.rowcount:
            continue
        try:
            with conn.begin_nested():
                conn.execute(table.insert().values(
                    resource=resource, hard_limit=limit, **keys))
        except db_exc.DBDuplicateEntry:
            # Another request inserted it first: ours is the later word.
            conn.execute(table.update().where(*where)
                         .values(hard_limit=limit))


def set_project_limits(conn: sa.engine.Connection, project_id: str,
                       limits: dict[str, int]) -> None:
    _upsert(conn, _project, {'project_id': project_id}, limits)


def set_user_limits(conn: sa.engine.Connection, project_id: str,
                    user_id: str, limits: dict[str, int]) -> None:
    _upsert(conn, _user, {'project_id': project_id, 'user_id': user_id},
            limits)


def set_class_limits(conn: sa.engine.Connection, class_name: str,
                     limits: dict[str, int]) -> None:
    _upsert(conn, _class, {'class_name': class_name}, limits)


def delete_project_limits(conn: sa.engine.Connection,
                          project_id: str) -> None:
    """Back to the defaults: the project's limits and its users'."""
    conn.execute(_project.delete().where(_project.c.project_id == project_id))
    conn.execute(_user.delete().where(_user.c.project_id == project_id))


def delete_user_limits(conn: sa.engine.Connection, project_id: str,
                       user_id: str) -> None:
    conn.execute(_user.delete().where(_user.c.project_id == project_id,
                                      _user.c.user_id == user_id))
