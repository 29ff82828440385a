"""A key pair: a user's public key (SSH or X.509), in the API database."""

import dataclasses
import datetime

from nova.objects import base

TYPE_SSH = 'ssh'
TYPE_X509 = 'x509'


@dataclasses.dataclass
class KeyPair(base.Record):
    VERSION = '1.0'

    name: str
    user_id: str
    fingerprint: str
    public_key: str
    type: str = TYPE_SSH
    id: int | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
