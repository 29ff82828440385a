"""The whole compute API route table (below /v2.1 or /v2): path -> method
-> handler. Every path may also start with the caller's project id, as
before microversion 2.18.

Matching is Routes' (a Mapper built from ROUTES). A path that matches
with a method it lacks is a 405 naming the methods it
has; a path that matches nothing is a 404. A project id in the path
must match [osapi_v21] project_id_regex (by default keystone's hex ids,
as upstream), so that a collection with a trailing slash
('/servers/') is a 404, never the version document of project
"servers".
"""

from collections.abc import Callable

import routes
import webob

from nova.api import fault
from nova.api import middleware
from nova.api import openapi
from nova.api.compute import aggregates
from nova.api.compute import availability_zones
from nova.api.compute import console_auth_tokens
from nova.api.compute import flavors
from nova.api.compute import hosts
from nova.api.compute import hypervisors
from nova.api.compute import images
from nova.api.compute import instance_actions
from nova.api.compute import instance_usage_audit_log
from nova.api.compute import ips
from nova.api.compute import keypairs
from nova.api.compute import limits
from nova.api.compute import migrations
from nova.api.compute import quota_classes
from nova.api.compute import quota_sets
from nova.api.compute import remote_consoles
from nova.api.compute import server_actions
from nova.api.compute import server_external_events
from nova.api.compute import server_groups
from nova.api.compute import server_metadata
from nova.api.compute import server_password
from nova.api.compute import server_tags
from nova.api.compute import servers
from nova.api.compute import services
from nova.api.compute import simple_tenant_usage
from nova.api.compute import versions
from nova.api.compute import volume_attachments
from nova.api.compute import volumes
from nova.conf import CONF

# Upstream's default for project ids in paths: keystone's (hex, dashes).
_PROJECT_ID_REGEX = r'[0-9a-f\-]+'

ROUTES: list[tuple[str, dict[str, Callable]]] = [
    ('/', {'GET': versions.show_root}),
    ('/openapi.json', {'GET': openapi.show}),
    ('/flavors', {
        'GET': flavors.index,
        'POST': flavors.create}),
    ('/flavors/detail', {'GET': flavors.detail}),
    ('/flavors/{flavor_id}', {
        'GET': flavors.show,
        'PUT': flavors.update,
        'DELETE': flavors.delete}),
    ('/flavors/{flavor_id}/action', {'POST': flavors.action}),
    ('/flavors/{flavor_id}/os-flavor-access', {
        'GET': flavors.list_access}),
    ('/flavors/{flavor_id}/os-extra_specs', {
        'GET': flavors.list_extra_specs,
        'POST': flavors.create_extra_specs}),
    ('/flavors/{flavor_id}/os-extra_specs/{key}', {
        'GET': flavors.show_extra_spec,
        'PUT': flavors.update_extra_spec,
        'DELETE': flavors.delete_extra_spec}),
    ('/images', {'GET': images.index}),
    ('/images/detail', {'GET': images.detail}),
    ('/images/{image_id}', {
        'GET': images.show,
        'DELETE': images.delete}),
    ('/limits', {'GET': limits.index}),
    ('/os-keypairs', {
        'GET': keypairs.index,
        'POST': keypairs.create}),
    ('/os-keypairs/{keypair_name}', {
        'GET': keypairs.show,
        'DELETE': keypairs.delete}),
    ('/os-quota-class-sets/{class_id}', {
        'GET': quota_classes.show,
        'PUT': quota_classes.update}),
    ('/os-quota-sets/{tenant_id}', {
        'GET': quota_sets.show,
        'PUT': quota_sets.update,
        'DELETE': quota_sets.delete}),
    ('/os-quota-sets/{tenant_id}/defaults', {'GET': quota_sets.defaults}),
    ('/os-quota-sets/{tenant_id}/detail', {'GET': quota_sets.detail}),
    ('/os-migrations', {'GET': migrations.index}),
    ('/os-server-external-events', {
        'POST': server_external_events.create}),
    ('/os-simple-tenant-usage', {'GET': simple_tenant_usage.index}),
    ('/os-simple-tenant-usage/{tenant_id}', {
        'GET': simple_tenant_usage.show}),
    ('/os-server-groups', {
        'GET': server_groups.index,
        'POST': server_groups.create}),
    ('/os-server-groups/{server_group_id}', {
        'GET': server_groups.show,
        'DELETE': server_groups.delete}),
    ('/os-aggregates', {
        'GET': aggregates.index,
        'POST': aggregates.create}),
    ('/os-aggregates/{aggregate_id}', {
        'GET': aggregates.show,
        'PUT': aggregates.update,
        'DELETE': aggregates.delete}),
    ('/os-aggregates/{aggregate_id}/action', {'POST': aggregates.action}),
    ('/os-availability-zone', {'GET': availability_zones.index}),
    ('/os-availability-zone/detail', {'GET': availability_zones.detail}),
    ('/os-hypervisors', {'GET': hypervisors.index}),
    ('/os-hypervisors/detail', {'GET': hypervisors.detail}),
    ('/os-hypervisors/statistics', {'GET': hypervisors.statistics}),
    ('/os-hypervisors/{hypervisor_id}', {'GET': hypervisors.show}),
    ('/os-hypervisors/{hypervisor_id}/uptime', {
        'GET': hypervisors.uptime}),
    ('/os-hypervisors/{pattern}/search', {'GET': hypervisors.search}),
    ('/os-hypervisors/{pattern}/servers', {'GET': hypervisors.servers}),
    ('/os-services', {'GET': services.index}),
    ('/os-services/{service_id}', {
        'PUT': services.update,
        'DELETE': services.delete}),
    ('/servers', {
        'GET': servers.index,
        'POST': servers.create}),
    ('/servers/detail', {'GET': servers.detail_list}),
    ('/servers/{server_id}', {
        'GET': servers.show,
        'PUT': servers.update,
        'DELETE': servers.delete}),
    ('/servers/{server_id}/action', {'POST': server_actions.action}),
    ('/servers/{server_id}/migrations', {'GET': migrations.server_index}),
    ('/servers/{server_id}/migrations/{migration_id}', {
        'GET': migrations.server_show,
        'DELETE': migrations.server_abort}),
    ('/servers/{server_id}/migrations/{migration_id}/action', {
        'POST': migrations.server_action}),
    ('/servers/{server_id}/metadata', {
        'GET': server_metadata.index,
        'POST': server_metadata.create,
        'PUT': server_metadata.update_all}),
    ('/servers/{server_id}/metadata/{key}', {
        'GET': server_metadata.show,
        'PUT': server_metadata.update,
        'DELETE': server_metadata.delete}),
    ('/servers/{server_id}/tags', {
        'GET': server_tags.index,
        'PUT': server_tags.update_all,
        'DELETE': server_tags.delete_all}),
    ('/servers/{server_id}/tags/{tag}', {
        'GET': server_tags.show,
        'PUT': server_tags.update,
        'DELETE': server_tags.delete}),
    ('/servers/{server_id}/os-instance-actions', {
        'GET': instance_actions.index}),
    ('/servers/{server_id}/os-instance-actions/{request_id}', {
        'GET': instance_actions.show}),
    ('/servers/{server_id}/os-volume_attachments', {
        'GET': volume_attachments.index,
        'POST': volume_attachments.create}),
    ('/servers/{server_id}/os-volume_attachments/{volume_id}', {
        'GET': volume_attachments.show,
        'PUT': volume_attachments.update,
        'DELETE': volume_attachments.delete}),
    ('/os-volumes', {'GET': volumes.index, 'POST': volumes.create}),
    ('/os-volumes/detail', {'GET': volumes.detail}),
    ('/os-volumes/{volume_id}', {
        'GET': volumes.show,
        'DELETE': volumes.delete}),
    ('/os-snapshots', {'GET': volumes.snapshot_index,
                       'POST': volumes.snapshot_create}),
    ('/os-snapshots/detail', {'GET': volumes.snapshot_detail}),
    ('/os-snapshots/{snapshot_id}', {
        'GET': volumes.snapshot_show,
        'DELETE': volumes.snapshot_delete}),
    # Upstream's alias of /servers from its boot-from-volume extension,
    # kept at every microversion.
    ('/os-volumes_boot', {
        'GET': servers.index,
        'POST': servers.create}),
    ('/os-volumes_boot/detail', {'GET': servers.detail_list}),
    ('/os-volumes_boot/{server_id}', {
        'GET': servers.show,
        'PUT': servers.update,
        'DELETE': servers.delete}),
    ('/servers/{server_id}/os-server-password', {
        'GET': server_password.index,
        'DELETE': server_password.clear}),
    ('/servers/{server_id}/ips', {'GET': ips.index}),
    ('/servers/{server_id}/ips/{network_label}', {'GET': ips.show}),
    ('/servers/{server_id}/remote-consoles', {
        'POST': remote_consoles.create}),
    ('/os-console-auth-tokens/{console_token}', {
        'GET': console_auth_tokens.show}),
    ('/os-hosts', {'GET': hosts.index}),
    ('/os-hosts/{host_name}', {'GET': hosts.show, 'PUT': hosts.update}),
    ('/os-hosts/{host_name}/startup', {'GET': hosts.startup}),
    ('/os-hosts/{host_name}/shutdown', {'GET': hosts.shutdown}),
    ('/os-hosts/{host_name}/reboot', {'GET': hosts.reboot}),
    ('/os-instance_usage_audit_log', {
        'GET': instance_usage_audit_log.index}),
    ('/os-instance_usage_audit_log/{before_timestamp}', {
        'GET': instance_usage_audit_log.show}),
]


def _mapper() -> routes.Mapper:
    """Each path twice: as is, then below a project id (tried second, so
    that '/flavors/detail' is never read as project 'flavors')."""
    mapper = routes.Mapper()
    project_id = {'project_id': (CONF.osapi_v21.project_id_regex or
                                 _PROJECT_ID_REGEX)}
    for prefix in ('', '/{project_id}'):
        for index, (path, _) in enumerate(ROUTES):
            mapper.connect(prefix + path, route=index,
                           requirements=project_id if prefix else {})
    return mapper


class Router:
    """Dispatches to the handler for path and method."""

    def __init__(self) -> None:
        self.mapper = _mapper()

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        match = self.mapper.match(req.path_info or '/')
        if match is None:
            raise fault.not_found()
        methods = ROUTES[int(match.pop('route'))][1]
        project_id = match.pop('project_id', None)
        if project_id is not None:
            _check_project(req, project_id)
        handler = methods.get(req.method)
        if handler is None:
            raise fault.HTTPError(
                405, 'The method %s is not allowed for this resource.'
                % req.method, headers={'Allow': ', '.join(sorted(methods))})
        return handler(req, **match)(environ, start_response)


def _check_project(req: webob.Request, project_id: str) -> None:
    ctx = req.environ[middleware.CONTEXT_KEY]
    if project_id != ctx.project_id:
        raise fault.bad_request(
            "Malformed request URL: URL's project_id '%s' doesn't match "
            "Context's project_id '%s'" % (project_id, ctx.project_id))


def app_factory(global_conf, **local_conf):
    return Router()
