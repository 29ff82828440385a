"""Nova: the compute control plane (API, conductor, scheduler, compute)."""

import warnings

# oslo.messaging needs oslo.service, which installs eventlet; libraries
# probe for eventlet on import and eventlet then warns on every command's
# stderr that it is deprecated. Nova never uses it (native threads only).
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
