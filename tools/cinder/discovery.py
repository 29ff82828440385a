"""A paste filter for the cloud's Cinder API (tools/cinder.sh puts it in
front of noauth in the v3 pipeline): the version document without a
token.

Under auth_strategy = noauth Cinder answers every request that carries no
X-Auth-Token with an empty 204 (a legacy fake login), and keystoneauth
asks for the versioned document (GET /v3/) without a token: it then finds
no document, and openstack commands that need a microversion fail with
"Cannot determine endpoint data for service block-storage". Such a
request gets noauth's anonymous token here; every other one is left as it
came.
"""


class VersionDocumentWithoutToken:

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        if (environ.get('REQUEST_METHOD') in ('GET', 'HEAD') and
                environ.get('PATH_INFO', '') in ('', '/') and
                'HTTP_X_AUTH_TOKEN' not in environ):
            environ['HTTP_X_AUTH_TOKEN'] = 'anonymous:anonymous'
        return self.app(environ, start_response)


def filter_factory(global_conf, **local_conf):
    return VersionDocumentWithoutToken
