"""Images for servers: Glance v2 over HTTP, or a local catalog file.

[glance] api_servers set: Glance answers, with the caller's token (so a
project sees what Glance lets it see). Unset: the JSON catalog of
[glance] local_catalog (default etc/nova/images.json), read-only.

Either way an image is a dict shaped as Glance v2 shows it, its custom
properties gathered under 'properties':

    {'id', 'name', 'status', 'visibility', 'owner', 'min_disk', 'min_ram',
     'size', 'disk_format', 'container_format', 'created_at',
     'updated_at', 'properties': {...}}
"""

import json
from pathlib import Path
from typing import Any

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session
from oslo_log import log as logging
import requests

from nova.conf import CONF
from nova import exception

LOG = logging.getLogger(__name__)

_SHIPPED = Path(__file__).resolve().parents[1] / 'etc' / 'nova'
# Glance v2 image attributes that are not custom properties.
_BASE_KEYS = ('id', 'name', 'status', 'visibility', 'owner', 'min_disk',
              'min_ram', 'size', 'virtual_size', 'disk_format',
              'container_format', 'checksum', 'created_at', 'updated_at',
              'protected', 'tags', 'file', 'schema', 'self',
              'os_hidden', 'os_hash_algo', 'os_hash_value')


def _normalised(raw: dict) -> dict:
    image = {k: raw.get(k) for k in _BASE_KEYS if k in raw}
    props = dict(raw.get('properties') or {})
    props.update({k: v for k, v in raw.items()
                  if k not in _BASE_KEYS and k != 'properties'})
    image['properties'] = props
    image.setdefault('min_disk', 0)
    image.setdefault('min_ram', 0)
    return image


class ImageError(exception.NovaException):
    """Glance could not be reached or answered an error."""
    message = 'Error talking to the image service: %(reason)s'
    code = 503


class LocalCatalog:
    """The images of a JSON file (a list of image dicts), read once."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path or str(_SHIPPED / 'images.json')
        with open(self.path) as f:
            self._images = [_normalised(i) for i in json.load(f)]

    def get(self, ctx: Any, image_id: str) -> dict:
        for image in self._images:
            if image['id'] == image_id:
                return dict(image)
        raise exception.ImageNotFound(image_id=image_id)

    def list(self, ctx: Any) -> list[dict]:
        return [dict(i) for i in self._images]

    def delete(self, ctx: Any, image_id: str) -> None:
        self.get(ctx, image_id)
        raise exception.Forbidden('Images of the local catalog %s are '
                                  'read-only.' % self.path)


class Glance:
    """Glance v2, called with the request's token: a keystoneauth adapter
    (service type image) for each of `servers`, tried in order, on one
    session."""

    def __init__(self, servers: list[str], timeout: int) -> None:
        session = ks_session.Session(timeout=timeout)
        self.adapters = [
            ks_adapter.Adapter(session, service_type='image',
                               endpoint_override=server.rstrip('/'))
            for server in servers]

    def _request(self, ctx: Any, method: str, path: str,
                 params: dict | None = None) -> requests.Response:
        """The first answer of a server, whatever its status; ImageError
        if none answered."""
        headers = {'Accept': 'application/json'}
        if getattr(ctx, 'auth_token', None):
            headers['X-Auth-Token'] = ctx.auth_token
        error: Exception | None = None
        for glance in self.adapters:
            try:
                return glance.request(
                    path, method, headers=headers, params=params,
                    raise_exc=False,
                    global_request_id=getattr(ctx, 'global_id', None))
            except ks_exc.ConnectionError as exc:
                LOG.warning('Glance %s unreachable: %s',
                            glance.endpoint_override, exc)
                error = exc
        raise ImageError(reason=str(error))

    def get(self, ctx: Any, image_id: str) -> dict:
        resp = self._request(ctx, 'GET', '/v2/images/%s' % image_id)
        if resp.status_code == 404:
            raise exception.ImageNotFound(image_id=image_id)
        if resp.status_code != 200:
            raise ImageError(reason='GET image %s: %s' % (
                image_id, resp.status_code))
        return _normalised(resp.json())

    def list(self, ctx: Any) -> list[dict]:
        images: list[dict] = []
        params: dict[str, int] | None
        path, params = '/v2/images', {'limit': 1000}
        while path:
            resp = self._request(ctx, 'GET', path, params)
            if resp.status_code != 200:
                raise ImageError(reason='GET images: %s' % resp.status_code)
            body = resp.json()
            images.extend(_normalised(i) for i in body.get('images', []))
            # Glance's "next" link carries its own query.
            path, params = body.get('next'), None
        return images

    def delete(self, ctx: Any, image_id: str) -> None:
        resp = self._request(ctx, 'DELETE', '/v2/images/%s' % image_id)
        if resp.status_code == 404:
            raise exception.ImageNotFound(image_id=image_id)
        if resp.status_code == 403:
            raise exception.Forbidden('Not allowed to delete image %s.'
                                      % image_id)
        if resp.status_code not in (200, 204):
            raise ImageError(reason='DELETE image %s: %s' % (
                image_id, resp.status_code))


def API() -> LocalCatalog | Glance:
    """The image backend [glance] configures."""
    if CONF.glance.api_servers:
        return Glance(CONF.glance.api_servers, CONF.glance.timeout)
    return LocalCatalog(CONF.glance.local_catalog)
