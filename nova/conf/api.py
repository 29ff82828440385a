"""[api] and [wsgi]: how nova-api authenticates and assembles itself and
what it answers; [DEFAULT] password_length."""

from oslo_config import cfg

api_opts = [
    cfg.StrOpt('auth_strategy', default='keystone',
               choices=[('keystone', 'keystonemiddleware validates tokens'),
                        ('noauth2', 'the token "USER[:PROJECT]" is trusted '
                                    'as is; for development and tests')],
               help='Which api-paste.ini pipeline serves the compute API.'),
    cfg.IntOpt('max_limit', default=1000, min=0,
               help='Most items one list request returns; a larger '
                    '"limit" is lowered to this.'),
    cfg.BoolOpt('enable_instance_password', default=True,
                help='Whether server create and rebuild answer with the '
                     'admin password (adminPass) set on the server. Off '
                     'for hypervisors that cannot set one, so that users '
                     'are not told a password that does not work.'),
    cfg.BoolOpt('list_records_by_skipping_down_cells', default=True,
                help='Before microversion 2.69, whether a server list '
                     'leaves out the servers of a cell that does not '
                     'answer (True) or fails with a 500 (False). From '
                     '2.69 such servers are listed as partial records '
                     'with status UNKNOWN either way.'),
]

default_opts = [
    cfg.IntOpt('password_length', default=12, min=0,
               help='Length of the admin passwords generated for servers '
                    'whose create or rebuild request named none.'),
]

wsgi_opts = [
    cfg.StrOpt('api_paste_config', default='api-paste.ini',
               help='The PasteDeploy file that assembles nova-api: an '
                    'absolute path, or a name looked up beside the '
                    'configuration files, then in /etc/nova.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(api_opts, group='api')
    conf.register_opts(wsgi_opts, group='wsgi')
    conf.register_opts(default_opts)


def list_opts() -> list:
    return [('api', api_opts), ('wsgi', wsgi_opts),
            ('DEFAULT', default_opts)]
