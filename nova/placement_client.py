"""A client of the placement API for what Nova's services report to it.

Each process keeps one HTTP session (connection reuse): a keystoneauth
session when [placement] auth_type names a keystoneauth plugin, else a
plain requests session sending [placement] token to [placement]
endpoint_override (noauth2 deployments and tests).

Writes are guarded by the provider generation placement hands out; the
client caches each provider's generation, inventory and traits so that an
unchanged report costs no write, and refreshes the cache when placement
says someone else changed the provider in between.
"""

import dataclasses
import threading
from typing import Any

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from oslo_config import cfg
from oslo_context import context as oslo_context
from oslo_log import log as logging
import requests
import tenacity

from nova.conf import CONF

LOG = logging.getLogger(__name__)

# Microversion of every request unless a call asks for another: 1.39 has
# parent providers (1.14), the created provider in the POST answer (1.20)
# and generations on traits and inventories throughout.
MICROVERSION = '1.39'
CONCURRENT_UPDATE = 'placement.concurrent_update'
_TIMEOUT = 30  # seconds per request, for the requests session
# Tries of a move of allocations that meets concurrent consumer changes.
_MOVE_ATTEMPTS = 3
# Tries of an aggregate membership change that meets concurrent updates.
_AGGREGATE_ATTEMPTS = 4


REQUEST_ID_HEADER = 'X-OpenStack-Request-ID'


def global_request_id() -> str | None:
    """The request id a call made now passes on (2.46): the global request
    id of the request or RPC message this thread serves (oslo.context
    makes each one's context current), else that request's own id; None
    for a service's own periodic work."""
    ctx = oslo_context.get_current()
    return getattr(ctx, 'global_id', None) if ctx is not None else None


class PlacementError(Exception):
    """Placement answered with an error (or not at all: status None).
    `code` is placement's error code (e.g. placement.concurrent_update)."""

    def __init__(self, method: str, path: str, status: int | None,
                 code: str | None, message: str) -> None:
        self.method, self.path = method, path
        self.status, self.code, self.message = status, code, message
        super().__init__('%s %s: %s%s%s' % (
            method, path, status if status is not None else 'no answer',
            ' %s' % code if code else '', ': %s' % message if message
            else ''))


class PlacementUnreachable(PlacementError):
    """No answer: placement is down, unknown or not configured."""

    def __init__(self, method: str, path: str, message: str) -> None:
        super().__init__(method, path, None, None, message)


@dataclasses.dataclass
class _Provider:
    """What the client last saw of a provider."""
    generation: int
    inventories: dict[str, dict] | None = None
    traits: frozenset[str] | None = None


def _error_from(method: str, path: str,
                response: requests.Response) -> PlacementError:
    code, message = None, response.text.strip()
    try:
        error = response.json()['errors'][0]
        code, message = error.get('code'), error.get('detail') or message
    except (ValueError, KeyError, IndexError, TypeError):
        pass
    return PlacementError(method, path, response.status_code, code, message)


def _normalised(inventories: dict[str, dict]) -> dict[str, dict]:
    """Inventories as placement returns them, to compare with a wish."""
    defaults = {'reserved': 0, 'min_unit': 1, 'step_size': 1,
                'allocation_ratio': 1.0}
    out = {}
    for rc, inv in inventories.items():
        inv = {**defaults, 'max_unit': inv['total'], **inv}
        inv['allocation_ratio'] = float(inv['allocation_ratio'])
        out[rc] = {k: inv[k] for k in ('total', 'reserved', 'min_unit',
                                       'max_unit', 'step_size',
                                       'allocation_ratio')}
    return out


class PlacementClient:
    """Calls placement for one process; safe to share between threads."""

    def __init__(self, conf: cfg.ConfigOpts = CONF) -> None:
        self.conf = conf
        self._lock = threading.Lock()
        self._session: Any = None
        self._providers: dict[str, _Provider] = {}

    # Transport

    def _keystone(self) -> bool:
        auth_type = self.conf.placement.auth_type
        return bool(auth_type) and auth_type != 'noauth'

    def _get_session(self) -> Any:
        with self._lock:
            if self._session is None:
                if self._keystone():
                    auth = ks_loading.load_auth_from_conf_options(
                        self.conf, 'placement')
                    sess = ks_loading.load_session_from_conf_options(
                        self.conf, 'placement', auth=auth)
                    self._session = ks_loading.load_adapter_from_conf_options(
                        self.conf, 'placement', session=sess, auth=auth)
                else:
                    self._session = requests.Session()
            return self._session

    def request(self, method: str, path: str, json: Any = None,
                version: str = MICROVERSION) -> requests.Response:
        """One call to placement; any answer is returned, no answer raises
        PlacementUnreachable."""
        headers = {'Accept': 'application/json',
                   'OpenStack-API-Version': 'placement %s' % version}
        request_id = global_request_id()
        session = self._get_session()
        try:
            if self._keystone():
                return session.request(path, method, json=json,
                                       headers=headers, raise_exc=False,
                                       global_request_id=request_id)
            endpoint = self.conf.placement.endpoint_override
            if not endpoint:
                raise PlacementUnreachable(
                    method, path, '[placement] endpoint_override is not set '
                    '(or set auth_type to use the Keystone catalog)')
            headers['X-Auth-Token'] = self.conf.placement.token or ''
            if request_id:
                headers[REQUEST_ID_HEADER] = request_id
            return session.request(method, endpoint.rstrip('/') + path,
                                   json=json, headers=headers,
                                   timeout=_TIMEOUT)
        except (requests.RequestException, ks_exc.ClientException) as exc:
            raise PlacementUnreachable(method, path, str(exc)) from exc

    def _call(self, method: str, path: str, json: Any = None,
              ok: tuple[int, ...] = (200,)) -> requests.Response:
        response = self.request(method, path, json=json)
        if response.status_code not in ok:
            raise _error_from(method, path, response)
        return response

    # Providers

    def ensure_resource_provider(self, uuid: str, name: str,
                                 parent_uuid: str | None = None) -> dict:
        """The provider `uuid`, created (named `name`, under
        `parent_uuid`) if placement does not have it. Raises
        PlacementError if another provider already has that name."""
        path = '/resource_providers/%s' % uuid
        response = self._call('GET', path, ok=(200, 404))
        if response.status_code == 404:
            body = {'uuid': uuid, 'name': name}
            if parent_uuid:
                body['parent_provider_uuid'] = parent_uuid
            response = self.request('POST', '/resource_providers', json=body)
            if response.status_code == 409:
                error = _error_from('POST', '/resource_providers', response)
                # Someone created the same provider in between: take it.
                # Only a name held by another uuid is a real conflict.
                response = self._call('GET', path, ok=(200, 404))
                if response.status_code == 404:
                    raise error
            elif response.status_code != 200:
                raise _error_from('POST', '/resource_providers', response)
            else:
                LOG.info('Created resource provider %s (%s) in placement',
                         name, uuid)
        provider = response.json()
        self._remember(uuid, provider['generation'])
        return provider

    def _remember(self, uuid: str, generation: int) -> _Provider:
        with self._lock:
            cached = self._providers.get(uuid)
            if cached is None or cached.generation != generation:
                # Someone else changed the provider: forget what it had.
                cached = self._providers[uuid] = _Provider(generation)
            return cached

    def _refresh(self, uuid: str, what: str) -> _Provider:
        """Re-read the provider's `what` (inventories or traits) and its
        generation into the cache."""
        body = self._call('GET', '/resource_providers/%s/%s'
                          % (uuid, what)).json()
        cached = self._remember(uuid, body['resource_provider_generation'])
        if what == 'inventories':
            cached.inventories = _normalised(body['inventories'])
        else:
            cached.traits = frozenset(body['traits'])
        return cached

    def _put_guarded(self, uuid: str, what: str, wanted: Any,
                     body: Any) -> bool:
        """PUT `body` to the provider's `what` unless placement has
        `wanted` already; on a generation conflict refresh and try once
        more. True if something was written."""
        cached = self._providers.get(uuid)
        if cached is None or getattr(cached, what) is None:
            cached = self._refresh(uuid, what)
        try:
            return self._put(uuid, what, cached, wanted, body)
        except PlacementError as error:
            if error.code != CONCURRENT_UPDATE:
                raise
        LOG.debug('Provider %s changed meanwhile; refreshing its %s',
                  uuid, what)
        return self._put(uuid, what, self._refresh(uuid, what), wanted, body)

    def _put(self, uuid: str, what: str, cached: _Provider, wanted: Any,
             body: Any) -> bool:
        if getattr(cached, what) == wanted:
            return False
        path = '/resource_providers/%s/%s' % (uuid, what)
        response = self.request('PUT', path, json={
            'resource_provider_generation': cached.generation, what: body})
        if response.status_code != 200:
            # What placement has is unknown now: re-read it next time.
            setattr(cached, what, None)
            raise _error_from('PUT', path, response)
        with self._lock:
            cached.generation = response.json()[
                'resource_provider_generation']
            setattr(cached, what, wanted)
        return True

    def set_inventory(self, rp_uuid: str,
                      inventories: dict[str, dict]) -> bool:
        """Make the provider's inventory exactly `inventories` (resource
        class -> {total, reserved, min_unit, max_unit, step_size,
        allocation_ratio}); True if placement was written to."""
        wanted = _normalised(inventories)
        return self._put_guarded(rp_uuid, 'inventories', wanted, wanted)

    def set_traits(self, rp_uuid: str, traits: list[str]) -> bool:
        """Make the provider's traits exactly `traits`; True if placement
        was written to."""
        wanted = frozenset(traits)
        return self._put_guarded(rp_uuid, 'traits', wanted, sorted(wanted))

    # Aggregates (os-aggregates mirrors host membership) and removal

    @tenacity.retry(
        retry=tenacity.retry_if_exception(
            lambda exc: getattr(exc, 'code', None) == CONCURRENT_UPDATE),
        stop=tenacity.stop_after_attempt(_AGGREGATE_ATTEMPTS),
        after=lambda state: LOG.debug(
            'Provider %s changed meanwhile (try %d); re-reading its '
            'aggregates', state.args[1], state.attempt_number),
        reraise=True)
    def _change_aggregates(self, rp_uuid: str, add: set[str],
                           remove: set[str]) -> bool:
        """Add and remove aggregate uuids of the provider, re-reading and
        trying again when someone else changed it in between. True if
        placement was written to; PlacementError otherwise, the
        concurrent_update one once _AGGREGATE_ATTEMPTS are spent."""
        path = '/resource_providers/%s/aggregates' % rp_uuid
        current = self._call('GET', path).json()
        have = set(current['aggregates'])
        wanted = (have | add) - remove
        if wanted == have:
            return False
        response = self.request('PUT', path, json={
            'aggregates': sorted(wanted),
            'resource_provider_generation':
                current['resource_provider_generation']})
        if response.status_code != 200:
            raise _error_from('PUT', path, response)
        return True

    def add_to_aggregate(self, rp_uuid: str, aggregate_uuid: str) -> bool:
        return self._change_aggregates(rp_uuid, {aggregate_uuid}, set())

    def remove_from_aggregate(self, rp_uuid: str,
                              aggregate_uuid: str) -> bool:
        return self._change_aggregates(rp_uuid, set(), {aggregate_uuid})

    def delete_resource_provider(self, rp_uuid: str) -> bool:
        """Free every allocation against the provider, then delete it;
        False if placement did not have it."""
        response = self._call('GET', '/resource_providers/%s/allocations'
                              % rp_uuid, ok=(200, 404))
        if response.status_code == 404:
            return False
        for consumer in response.json()['allocations']:
            self.delete_allocations(consumer)
        response = self._call('DELETE', '/resource_providers/%s' % rp_uuid,
                              ok=(204, 404))
        with self._lock:
            self._providers.pop(rp_uuid, None)
        return response.status_code == 204

    # Allocations (the scheduler's claims)

    def get_allocation_candidates(self, query: str) -> dict:
        """GET /allocation_candidates?`query`: {allocation_requests,
        provider_summaries} in this client's MICROVERSION."""
        return self._call('GET', '/allocation_candidates?' + query).json()

    def claim(self, consumer_uuid: str, allocations: dict, project_id: str,
              user_id: str, consumer_generation: int | None = None,
              version: str = MICROVERSION) -> bool:
        """Allocate `allocations` ({rp uuid: {'resources': {...}}}) to the
        consumer. False if placement refused with 409: a provider lacks
        the capacity now, or the consumer's generation is not
        `consumer_generation` (None: a consumer with no allocations)."""
        path = '/allocations/%s' % consumer_uuid
        body = {'allocations': allocations, 'project_id': project_id,
                'user_id': user_id,
                'consumer_generation': consumer_generation}
        if tuple(map(int, version.split('.'))) >= (1, 38):
            body['consumer_type'] = 'INSTANCE'
        response = self.request('PUT', path, json=body, version=version)
        if response.status_code == 204:
            return True
        error = _error_from('PUT', path, response)
        if response.status_code == 409:
            LOG.debug('Placement refused the claim of %s: %s',
                      consumer_uuid, error)
            return False
        raise error

    def get_allocations(self, consumer_uuid: str) -> dict:
        """{allocations: {rp uuid: {generation, resources}}, project_id,
        user_id, consumer_generation} (allocations empty if none)."""
        return self._call('GET', '/allocations/%s' % consumer_uuid).json()

    def move_allocations(self, source_consumer: str,
                         target_consumer: str, merge: bool = False) -> bool:
        """Hand everything `source_consumer` holds to `target_consumer`
        (replacing what the target held) in one POST /allocations, so the
        resources are never free in between (a resize parks the
        instance's allocation on its migration this way). False if the
        source holds nothing. Retries when either consumer changed
        between reading and writing (consumer generation conflict).
        With `merge` the target keeps what it held on other providers
        too (an evacuated instance holds its source and destination)."""
        for _ in range(_MOVE_ATTEMPTS):
            source = self.get_allocations(source_consumer)
            if not source['allocations']:
                return False
            target = self.get_allocations(target_consumer)
            owner = {'project_id': source['project_id'],
                     'user_id': source['user_id'],
                     'consumer_type': source.get('consumer_type',
                                                 'INSTANCE')}
            held = target['allocations'] if merge else {}
            body = {
                source_consumer: {
                    'allocations': {}, **owner,
                    'consumer_generation': source['consumer_generation']},
                target_consumer: {
                    'allocations': {
                        rp: {'resources': alloc['resources']}
                        for rp, alloc in {**held,
                                          **source['allocations']}.items()},
                    **owner,
                    'consumer_generation': target.get(
                        'consumer_generation')},
            }
            response = self.request('POST', '/allocations', json=body)
            if response.status_code == 204:
                LOG.debug('Moved the allocations of %s to %s',
                          source_consumer, target_consumer)
                return True
            error = _error_from('POST', '/allocations', response)
            if error.code != CONCURRENT_UPDATE:
                raise error
        raise error

    def remove_providers(self, consumer_uuid: str,
                         rp_uuids: set[str]) -> bool:
        """Drop what the consumer holds on `rp_uuids` and keep the rest
        (an evacuated instance's source, once that host is back); False
        if it held nothing there. Retries on a generation conflict."""
        for _ in range(_MOVE_ATTEMPTS):
            held = self.get_allocations(consumer_uuid)
            kept = {rp: {'resources': alloc['resources']}
                    for rp, alloc in held['allocations'].items()
                    if rp not in rp_uuids}
            if len(kept) == len(held['allocations']):
                return False
            if not kept:
                return self.delete_allocations(consumer_uuid)
            if self.claim(consumer_uuid, kept, held['project_id'],
                          held['user_id'], held['consumer_generation']):
                return True
        raise PlacementError('PUT', '/allocations/%s' % consumer_uuid, 409,
                             CONCURRENT_UPDATE,
                             'consumer generation kept changing')

    def delete_allocations(self, consumer_uuid: str) -> bool:
        """Free everything the consumer holds; False if it held nothing."""
        response = self._call('DELETE', '/allocations/%s' % consumer_uuid,
                              ok=(204, 404))
        return response.status_code == 204

    def free_allocations(self, consumer_uuid: str) -> bool:
        """delete_allocations for callers that must go on when placement
        fails (a build or delete that already happened): False, with the
        failure logged, instead of PlacementError."""
        try:
            self.delete_allocations(consumer_uuid)
        except PlacementError as exc:
            LOG.error('Could not free the allocations of %s; placement '
                      'keeps them until an operator heals them: %s',
                      consumer_uuid, exc)
            return False
        return True


_client: PlacementClient | None = None
_client_lock = threading.Lock()


def client() -> PlacementClient:
    """This process's client (one HTTP session and cache per process)."""
    global _client
    with _client_lock:
        if _client is None:
            _client = PlacementClient()
        return _client
