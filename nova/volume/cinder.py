"""Volumes: Cinder v3 through python-cinderclient on a keystoneauth
session.

Attaching uses only Cinder's attachments API (3.27+): a server's volume
is reserved with attachment_create (the API does this), connected with
attachment_update given the compute host's connector, marked in use with
attachment_complete (3.44) and let go with attachment_delete. Read-only
volumes attach with mode 'ro' (3.54).

Calls carry the caller's token to the [cinder] endpoint (endpoint_template,
else the caller's service catalog), with a service token when
[service_user] send_service_user_token is set; under noauth2 the
X-Service-Roles header stands in for it (Cinder's noauth reads it), so
that Cinder lets Nova delete attachments that are in use. Cinder's errors
become Nova's: 404 VolumeNotFound, 400 InvalidVolume (Cinder's message
kept), 403 Forbidden, unreachable CinderConnectionFailed (503).
"""

from collections.abc import Iterator
import contextlib
import threading
import time
from typing import Any

from cinderclient import api_versions
from cinderclient import client as cinder_client
from cinderclient import exceptions as cinder_exc
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import plugin
from keystoneauth1 import service_token
from keystoneauth1 import session as ks_session
from oslo_log import log as logging

from nova.conf import CONF
from nova import exception

LOG = logging.getLogger(__name__)

# Oldest Cinder that has everything the attach flow needs (complete).
MIN_VERSION = api_versions.APIVersion('3.44')
# Attachment mode ('ro' for read-only volumes).
MODE_VERSION = api_versions.APIVersion('3.54')

_lock = threading.Lock()
_session: ks_session.Session | None = None
# endpoint -> the highest microversion its Cinder speaks.
_versions: dict[str, api_versions.APIVersion] = {}


class _UserAuth(plugin.BaseAuthPlugin):
    """The caller's token, and under noauth2 the service role header."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token

    def get_token(self, session: Any, **kwargs: Any) -> str | None:
        return self.token

    def get_headers(self, session: Any, **kwargs: Any) -> dict:
        headers = {'X-Auth-Token': self.token}
        if CONF.api.auth_strategy == 'noauth2':
            headers['X-Service-Roles'] = 'service'
        return headers


def reset() -> None:
    """Forget the session and Cinder's versions (tests, config reload)."""
    global _session
    with _lock:
        _session = None
        _versions.clear()


def _get_session() -> ks_session.Session:
    global _session
    with _lock:
        if _session is None:
            _session = ks_loading.load_session_from_conf_options(
                CONF, 'cinder')
        return _session


def _conf_auth(group: str) -> plugin.BaseAuthPlugin:
    auth = ks_loading.load_auth_from_conf_options(CONF, group)
    if auth is None:
        raise exception.CinderConnectionFailed(
            reason='[%s] has no auth_type' % group)
    return auth


def _auth(ctx: Any) -> plugin.BaseAuthPlugin:
    token = getattr(ctx, 'auth_token', None)
    user: plugin.BaseAuthPlugin
    if token is None and CONF.cinder.auth_type:
        # A call of Nova's own (no user): [cinder]'s credentials.
        user = _conf_auth('cinder')
    else:
        user = _UserAuth(token)
    if CONF.service_user.send_service_user_token:
        return service_token.ServiceTokenAuthWrapper(
            user, _conf_auth('service_user'))
    return user


def endpoint(ctx: Any) -> str:
    """Cinder's URL for the caller: [cinder] endpoint_template filled in
    from the context, else the caller's service catalog entry that
    catalog_info and os_region_name pick."""
    if CONF.cinder.endpoint_template:
        return CONF.cinder.endpoint_template % ctx.to_dict()
    service_type, service_name, interface = (
        CONF.cinder.catalog_info.split(':', 2))
    interface = interface.removesuffix('URL')
    for service in getattr(ctx, 'service_catalog', None) or []:
        if service.get('type') != service_type or (
                service_name and service.get('name') != service_name):
            continue
        for ep in service.get('endpoints', []):
            region = CONF.cinder.os_region_name
            if region and ep.get('region') != region:
                continue
            if ep.get('interface', interface) == interface:
                return ep['url']
    raise exception.CinderConnectionFailed(
        reason='no %s endpoint in the service catalog and no [cinder] '
               'endpoint_template' % CONF.cinder.catalog_info)


def _server_version(session: ks_session.Session,
                    url: str) -> api_versions.APIVersion:
    """The highest microversion of the Cinder at `url`, asked once."""
    with _lock:
        known = _versions.get(url)
    if known is not None:
        return known
    root = url.split('/v3', 1)[0] + '/'
    try:
        resp = session.get(root, authenticated=False, raise_exc=False)
    except ks_exc.ConnectionError as exc:
        raise exception.CinderConnectionFailed(reason=str(exc))
    body = resp.json() if resp.ok else {}
    found = [api_versions.APIVersion(v['version'])
             for v in body.get('versions', [])
             if v.get('id', '').startswith('v3') and v.get('version')]
    if not found:
        raise exception.CinderConnectionFailed(
            reason='no v3 version document at %s (HTTP %s)' % (
                root, resp.status_code))
    with _lock:
        _versions[url] = found[0]
    return found[0]


def _client(ctx: Any, version: api_versions.APIVersion = MIN_VERSION
            ) -> Any:
    session = _get_session()
    url = endpoint(ctx)
    highest = _server_version(session, url)
    if highest < MIN_VERSION:
        raise exception.CinderAPIVersionNotAvailable(
            version=highest.get_string())
    return cinder_client.Client(
        min(version, highest).get_string(), session=session,
        auth=_auth(ctx), endpoint_override=url,
        connect_retries=CONF.cinder.http_retries,
        global_request_id=getattr(ctx, 'global_id', None))


@contextlib.contextmanager
def _translated(volume_id: str | None = None) -> Iterator[None]:
    """Cinder's errors as Nova's (see the module docstring)."""
    try:
        yield
    except cinder_exc.NotFound:
        raise exception.VolumeNotFound(volume_id=volume_id)
    except cinder_exc.BadRequest as exc:
        raise exception.InvalidVolume(reason=exc.message)
    except (cinder_exc.Forbidden, cinder_exc.OverLimit) as exc:
        raise exception.Forbidden(exc.message)
    except cinder_exc.ClientException as exc:
        if exc.code and 400 <= exc.code < 500:
            raise exception.InvalidVolume(reason=exc.message)
        raise exception.CinderConnectionFailed(reason=exc.message)
    except (ks_exc.ConnectionError, cinder_exc.ConnectionError,
            ks_exc.EndpointNotFound) as exc:
        raise exception.CinderConnectionFailed(reason=str(exc))


def get(ctx: Any, volume_id: str) -> dict:
    """The volume as Cinder shows it (id, status, size, multiattach,
    attachments, availability_zone, ...)."""
    with _translated(volume_id):
        return _client(ctx).volumes.get(volume_id).to_dict()


def list_volumes(ctx: Any) -> list[dict]:
    """The caller's volumes, with their details."""
    with _translated():
        return [v.to_dict() for v in _client(ctx).volumes.list()]


def create(ctx: Any, size: int | None, name: str | None,
           image_id: str | None = None, snapshot_id: str | None = None,
           volume_type: str | None = None, description: str | None = None,
           metadata: dict | None = None,
           availability_zone: str | None = None) -> dict:
    """Ask Cinder for a new volume (blank, or from an image or a
    snapshot); it is 'creating' until wait_available says otherwise."""
    with _translated(snapshot_id):
        made = _client(ctx).volumes.create(
            size, name=name, imageRef=image_id, snapshot_id=snapshot_id,
            volume_type=volume_type, description=description,
            metadata=metadata, availability_zone=availability_zone
        ).to_dict()
    LOG.info('Volume %s (%s GB) requested: %s', made['id'], size, name)
    return made


def wait_available(ctx: Any, volume_id: str) -> dict:
    """The volume once it is available; VolumeError if it ends in error
    or is not ready after [DEFAULT] block_device_allocate_retries."""
    for attempt in range(CONF.block_device_allocate_retries + 1):
        volume = get(ctx, volume_id)
        if volume['status'] == 'available':
            return volume
        if volume['status'] == 'error':
            break
        time.sleep(CONF.block_device_allocate_retries_interval)
    raise exception.VolumeError(
        reason='volume %s is %s, not available' % (volume_id,
                                                   volume['status']))


def list_volume_types(ctx: Any) -> list[dict]:
    """The volume types the caller may use (id, name, ...)."""
    with _translated():
        return [t.to_dict() for t in _client(ctx).volume_types.list()]


def list_snapshots(ctx: Any) -> list[dict]:
    """The caller's volume snapshots."""
    with _translated():
        return [s.to_dict() for s in _client(ctx).volume_snapshots.list()]


def get_snapshot(ctx: Any, snapshot_id: str) -> dict:
    try:
        with _translated(snapshot_id):
            return _client(ctx).volume_snapshots.get(snapshot_id).to_dict()
    except exception.VolumeNotFound:
        raise exception.SnapshotNotFound(snapshot_id=snapshot_id)


def create_snapshot(ctx: Any, volume_id: str, force: bool,
                    name: str | None, description: str | None) -> dict:
    """A new snapshot of the volume (`force`: even while in use)."""
    with _translated(volume_id):
        made = _client(ctx).volume_snapshots.create(
            volume_id, force=force, name=name,
            description=description).to_dict()
    LOG.info('Snapshot %s of volume %s requested', made['id'], volume_id)
    return made


def delete_snapshot(ctx: Any, snapshot_id: str) -> None:
    try:
        with _translated(snapshot_id):
            _client(ctx).volume_snapshots.delete(snapshot_id)
    except exception.VolumeNotFound:
        raise exception.SnapshotNotFound(snapshot_id=snapshot_id)


def attachment_create(ctx: Any, volume_id: str, instance_uuid: str,
                      connector: dict | None = None,
                      read_only: bool = False) -> dict:
    """Reserve the volume for the server: a new attachment (its 'id'),
    with connection_info when `connector` is given. Raises InvalidVolume
    if Cinder refuses (e.g. the volume is in use and not multiattach)."""
    client = _client(ctx, MODE_VERSION if read_only else MIN_VERSION)
    mode = 'ro' if read_only else 'null'
    with _translated(volume_id):
        made = client.attachments.create(volume_id, connector,
                                         instance_id=instance_uuid,
                                         mode=mode)
    LOG.info('Attachment %s of volume %s to instance %s created',
             made['id'], volume_id, instance_uuid)
    return made


def attachment_update(ctx: Any, attachment_id: str, connector: dict,
                      mountpoint: str | None = None) -> dict:
    """Give Cinder the host's connector; the attachment with the
    connection_info the driver connects with."""
    connector = dict(connector)
    if mountpoint:
        connector['mountpoint'] = mountpoint
    with _translated():
        return _client(ctx).attachments.update(attachment_id,
                                               connector).to_dict()


def attachment_complete(ctx: Any, attachment_id: str) -> None:
    """The host is connected: the volume becomes in-use."""
    with _translated():
        _client(ctx).attachments.complete(attachment_id)


def begin_detaching(ctx: Any, volume_id: str) -> None:
    """Mark the in-use volume 'detaching', so that nothing else
    detaches it meanwhile (a swap)."""
    with _translated(volume_id):
        _client(ctx).volumes.begin_detaching(volume_id)


def roll_detaching(ctx: Any, volume_id: str) -> None:
    """Undo begin_detaching: the volume is in-use again."""
    with _translated(volume_id):
        _client(ctx).volumes.roll_detaching(volume_id)


def attachment_delete(ctx: Any, attachment_id: str) -> None:
    """Let go of the attachment (one that is gone already is no error);
    a volume with no attachment left becomes available."""
    try:
        with _translated():
            _client(ctx).attachments.delete(attachment_id)
    except exception.VolumeNotFound:
        LOG.info('Attachment %s was already deleted', attachment_id)
        return
    LOG.info('Attachment %s deleted', attachment_id)


def delete(ctx: Any, volume_id: str) -> None:
    """Delete the volume (delete_on_termination); one that is gone
    already is no error."""
    try:
        with _translated(volume_id):
            _client(ctx).volumes.delete(volume_id)
    except exception.VolumeNotFound:
        return
    LOG.info('Volume %s deleted', volume_id)


def release(ctx: Any, bdms: list) -> None:
    """The server is gone: delete each mapping's attachment, then the
    volume if it is delete_on_termination. Failures are logged, not
    raised (the server goes anyway; an operator finds the volume)."""
    for bdm in bdms:
        try:
            if bdm.attachment_id:
                attachment_delete(ctx, bdm.attachment_id)
            if bdm.delete_on_termination and bdm.volume_id:
                delete(ctx, bdm.volume_id)
        except exception.NovaException as exc:
            LOG.error('Could not release volume %s of instance %s: %s',
                      bdm.volume_id, bdm.instance_uuid, exc)
