"""The WSGI application object for uWSGI and mod_wsgi; importing this
module builds it (see nova.api.wsgi for where configuration comes from):

    uwsgi --ini etc/nova/nova-api-uwsgi.ini --http :8774
"""

from nova.api import wsgi

application = wsgi.init_application()
