"""The whole placement route table: path -> method -> handler.

A path that matches with a method it lacks is a 405 listing the methods it
has; a path that matches nothing is a 404.
"""

import re

import webob

from placement import errors
from placement import request
from placement.handlers import (aggregate, allocation, allocation_candidate,
                                inventory, reshaper, resource_class,
                                resource_provider, root, trait, usage)

ROUTES = [
    ('/', {'GET': root.home}),
    ('/resource_providers', {
        'GET': resource_provider.list_resource_providers,
        'POST': resource_provider.create_resource_provider}),
    ('/resource_providers/{uuid}', {
        'GET': resource_provider.get_resource_provider,
        'PUT': resource_provider.update_resource_provider,
        'DELETE': resource_provider.delete_resource_provider}),
    ('/resource_providers/{uuid}/inventories', {
        'GET': inventory.get_inventories,
        'POST': inventory.create_inventory,
        'PUT': inventory.set_inventories,
        'DELETE': inventory.delete_inventories}),
    ('/resource_providers/{uuid}/inventories/{resource_class}', {
        'GET': inventory.get_inventory,
        'PUT': inventory.update_inventory,
        'DELETE': inventory.delete_inventory}),
    ('/resource_providers/{uuid}/usages', {
        'GET': usage.list_usages}),
    ('/resource_providers/{uuid}/aggregates', {
        'GET': aggregate.get_aggregates,
        'PUT': aggregate.set_aggregates}),
    ('/resource_providers/{uuid}/allocations', {
        'GET': allocation.list_for_resource_provider}),
    ('/resource_providers/{uuid}/traits', {
        'GET': trait.list_traits_for_resource_provider,
        'PUT': trait.update_traits_for_resource_provider,
        'DELETE': trait.delete_traits_for_resource_provider}),
    ('/resource_classes', {
        'GET': resource_class.list_resource_classes,
        'POST': resource_class.create_resource_class}),
    ('/resource_classes/{name}', {
        'GET': resource_class.get_resource_class,
        'PUT': resource_class.update_resource_class,
        'DELETE': resource_class.delete_resource_class}),
    ('/traits', {'GET': trait.list_traits}),
    ('/traits/{name}', {
        'GET': trait.get_trait,
        'PUT': trait.put_trait,
        'DELETE': trait.delete_trait}),
    ('/allocations', {'POST': allocation.set_allocations}),
    ('/allocations/{consumer_uuid}', {
        'GET': allocation.list_for_consumer,
        'PUT': allocation.set_allocations_for_consumer,
        'DELETE': allocation.delete_allocations}),
    ('/allocation_candidates', {
        'GET': allocation_candidate.list_allocation_candidates}),
    ('/usages', {'GET': usage.get_total_usages}),
    ('/reshaper', {'POST': reshaper.reshape}),
]


def _compile(template: str) -> re.Pattern:
    pattern = re.sub(r'\{(\w+)\}', r'(?P<\1>[^/]+)', template)
    return re.compile('^' + pattern + '$')


_COMPILED = [(_compile(path), methods) for path, methods in ROUTES]


class Router:
    """Dispatches to the handler for path and method."""

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        path = req.path_info or '/'
        for pattern, methods in _COMPILED:
            match = pattern.match(path)
            if not match:
                continue
            handler = methods.get(req.method)
            if handler is None:
                raise errors.MethodNotAllowed(
                    headers={'allow': ', '.join(sorted(methods))})
            if req.method == 'GET':
                request.check_accept(req)
            resp = handler(req, **match.groupdict())
            return resp(environ, start_response)
        raise errors.NotFound('The resource could not be found.')
