"""Building placement responses: JSON bodies and the caching headers that
microversion 1.15 added."""

import datetime
import json

import webob

from placement.request import version


def json_response(req: webob.Request, data, status: int = 200,
                  last_modified: datetime.datetime | None = None,
                  cache_headers: bool = True) -> webob.Response:
    resp = webob.Response(status=status)
    resp.content_type = 'application/json'
    resp.charset = None
    resp.body = json.dumps(data).encode('utf-8')
    if cache_headers:
        set_cache_headers(req, resp, last_modified)
    return resp


def empty_response(status: int = 204) -> webob.Response:
    resp = webob.Response(status=status)
    # No body and so no content type on a 204.
    del resp.content_type
    resp.content_length = 0 if status != 204 else None
    return resp


def set_cache_headers(req: webob.Request, resp: webob.Response,
                      last_modified: datetime.datetime | None) -> None:
    if not version(req).matches((1, 15)):
        return
    if last_modified is None:
        last_modified = now()
    resp.last_modified = last_modified
    resp.cache_control = 'no-cache'


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(
        microsecond=0)


def newest(*stamps) -> datetime.datetime | None:
    """The latest of created_at/updated_at values, naive ones taken as UTC."""
    found = None
    for stamp in stamps:
        if stamp is None:
            continue
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=datetime.timezone.utc)
        if found is None or stamp > found:
            found = stamp
    return found
