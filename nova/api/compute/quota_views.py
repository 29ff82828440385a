"""How os-quota-sets and os-quota-class-sets show a set of limits: every
quota resource in upstream's order, but those the request's microversion
hides (from 2.57 both leave out the personality files' limits)."""

from collections.abc import Mapping
from typing import Any

import webob

from nova.api.compute import common
from nova.compute import quotas as quotas_api

#: The limits of personality files, gone from 2.57 (as files are).
PERSONALITY = ('injected_files', 'injected_file_content_bytes',
               'injected_file_path_bytes')


def response(req: webob.Request, key: str, values: Mapping[str, Any],
             set_id: str | None, network_hidden_from: tuple[int, int],
             hidden_before: tuple[str, ...] = ()) -> webob.Response:
    """200 {key: {resource: value, "id": set_id (unless None)}}, without
    nova-network's resources from microversion `network_hidden_from` and
    without `hidden_before` before it; without PERSONALITY from 2.57."""
    want = common.version(req)
    hidden = (quotas_api.NETWORK if want.matches(network_hidden_from)
              else hidden_before)
    if want.matches((2, 57)):
        hidden = hidden + PERSONALITY
    body = {r: values[r] for r in quotas_api.RESOURCES if r not in hidden}
    if set_id is not None:
        body['id'] = set_id
    return common.json_response({key: body})
