"""A user's key pairs, as os-keypairs lists, shows, creates and deletes
them (upstream's KeypairAPI).

A key pair is generated here (its private key is returned once, never
stored) or imported from a public key. Key pairs count against the
user's key_pairs quota: counted, not reserved, so a create checks before
and again after inserting, and undoes its insert if concurrent creates
took the room meanwhile.
"""

import string
from typing import Any

from oslo_log import log as logging

from nova import crypto
from nova.db.api import key_pairs as db
from nova.db import engines
from nova import exception
from nova.objects.keypair import KeyPair
from nova.objects.keypair import TYPE_SSH
from nova.objects.keypair import TYPE_X509
from nova import quota

LOG = logging.getLogger(__name__)

_SAFE = set('_- ' + string.digits + string.ascii_letters)


def list_keypairs(ctx: Any, user_id: str, limit: int | None = None,
                  marker: str | None = None) -> list[KeyPair]:
    """The user's key pairs in creation order, at most `limit`, after the
    one named `marker` (InvalidMarker, a 400, if the user has none of
    that name)."""
    with engines.api_reader(ctx) as conn:
        try:
            return db.list_by_user(conn, user_id, limit, marker)
        except exception.MarkerNotFound:
            raise exception.InvalidMarker(marker=marker)


def get(ctx: Any, user_id: str, name: str) -> KeyPair:
    """The user's key pair `name` (KeypairNotFound if none)."""
    with engines.api_reader(ctx) as conn:
        return db.get(conn, user_id, name)


def delete(ctx: Any, user_id: str, name: str) -> None:
    """Delete the user's key pair `name` (KeypairNotFound if none)."""
    _remove(ctx, user_id, name)
    LOG.info('Deleted key pair %s of user %s', name, user_id)


def create(ctx: Any, user_id: str, name: str, key_type: str = TYPE_SSH,
           public_key: str | None = None) -> tuple[KeyPair, str | None]:
    """(the new key pair, its private key PEM or None when imported).

    Imports `public_key` if given, else generates a key of `key_type`.
    InvalidKeypair (400) for an unsafe name or a public key that is not
    one of its type; KeypairLimitExceeded (403) over the user's quota;
    KeyPairExists (409) if the user has a key pair of that name."""
    if not set(name) <= _SAFE:
        raise exception.InvalidKeypair(
            reason='Keypair name contains unsafe characters')
    _check_quota(ctx, user_id, 1)
    private_key = None
    if public_key is not None:
        fingerprint = (crypto.x509_fingerprint(public_key)
                       if key_type == TYPE_X509
                       else crypto.ssh_fingerprint(public_key))
    elif key_type == TYPE_X509:
        private_key, public_key, fingerprint = crypto.generate_x509_cert(
            user_id)
    else:
        private_key, public_key, fingerprint = crypto.generate_ssh_key()
    kp = _insert(ctx, KeyPair(name=name, user_id=user_id,
                              fingerprint=fingerprint,
                              public_key=public_key, type=key_type))
    _recheck_quota(ctx, user_id, name)
    LOG.info('Created key pair %s (%s) of user %s', name, key_type, user_id)
    return kp, private_key


def _check_quota(ctx: Any, user_id: str, delta: int) -> None:
    try:
        quota.check_key_pairs(ctx, ctx.project_id, user_id, delta)
    except exception.OverQuota:
        raise exception.KeypairLimitExceeded()


def _recheck_quota(ctx: Any, user_id: str, name: str) -> None:
    """Counted, not reserved: if concurrent creates took the room while
    ours was being made, ours goes again."""
    try:
        _check_quota(ctx, user_id, 0)
    except exception.KeypairLimitExceeded:
        _remove(ctx, user_id, name)
        raise


@engines.retry_on_deadlock
def _insert(ctx: Any, kp: KeyPair) -> KeyPair:
    with engines.api_writer(ctx) as conn:
        return db.create(conn, kp)


@engines.retry_on_deadlock
def _remove(ctx: Any, user_id: str, name: str) -> None:
    with engines.api_writer(ctx) as conn:
        db.delete(conn, user_id, name)
