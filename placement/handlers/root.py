"""GET /: the version document."""

import webob

from placement import microversion
from placement import response


def home(req: webob.Request) -> webob.Response:
    """200 with the one version this API offers and its microversion range.
    Needs no authentication."""
    data = {'versions': [{
        'id': 'v1.0',
        'max_version': str(microversion.MAX_VERSION),
        'min_version': str(microversion.MIN_VERSION),
        'status': 'CURRENT',
        'links': [{'rel': 'self', 'href': ''}],
    }]}
    return response.json_response(req, data)
