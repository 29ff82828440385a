"""What the compute API's handlers share: the request's context and
version, JSON and empty responses, links, and timestamps as upstream
formats them."""

import datetime
import json
from typing import Any
import urllib.parse

import webob

from nova.api import fault
from nova.api import middleware
from nova.api import microversion


def context(req: webob.Request) -> Any:
    return req.environ[middleware.CONTEXT_KEY]


def version(req: webob.Request) -> microversion.Version:
    return req.environ[middleware.VERSION_KEY]


def json_response(data: Any, status: int = 200) -> webob.Response:
    resp = webob.Response(status=status)
    resp.content_type = 'application/json'
    resp.charset = None
    resp.body = json.dumps(data).encode('utf-8')
    return resp


def empty(status: int) -> webob.Response:
    resp = webob.Response(status=status)
    del resp.content_type
    resp.content_length = 0
    return resp


def root_url(req: webob.Request) -> str:
    """The API's URL without its version segment (for bookmarks)."""
    return req.host_url + req.script_name.rsplit('/', 1)[0]


def links(req: webob.Request, collection: str, id: str) -> list[dict]:
    quoted = urllib.parse.quote(str(id), safe='')
    return [{'rel': 'self', 'href': '%s/%s/%s' % (
                req.application_url, collection, quoted)},
            {'rel': 'bookmark', 'href': '%s/%s/%s' % (
                root_url(req), collection, quoted)}]


def bookmark(req: webob.Request, collection: str, id: str) -> list[dict]:
    quoted = urllib.parse.quote(str(id), safe='')
    return [{'rel': 'bookmark',
             'href': '%s/%s/%s' % (root_url(req), collection, quoted)}]


def next_link(req: webob.Request, collection: str,
              marker: str) -> list[dict]:
    params = dict(sorted(req.GET.items()))
    params['marker'] = marker
    return [{'rel': 'next', 'href': '%s/%s?%s' % (
        req.application_url, collection, urllib.parse.urlencode(params))}]


def isotime(value: datetime.datetime | None) -> str | None:
    """2017-01-01T00:00:00Z, as server 'created' and 'updated' read."""
    return value.strftime('%Y-%m-%dT%H:%M:%SZ') if value else None


def usage_time(value: datetime.datetime | None) -> str | None:
    """2017-01-01T00:00:00.000000, as OS-SRV-USG:* and faults read."""
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value else None


def count_param(req: webob.Request, name: str) -> int | None:
    """Query parameter `name` as a whole number of 0 or more (None when
    absent); 400 for anything else."""
    value = req.GET.get(name)
    if value is None:
        return None
    try:
        count = int(value)
    except ValueError:
        raise fault.bad_request('%s param must be an integer' % name)
    if count < 0:
        raise fault.bad_request('%s param must be positive' % name)
    return count


def limit_param(req: webob.Request, max_limit: int) -> int:
    limit = count_param(req, 'limit')
    return max_limit if limit is None else min(limit, max_limit)
