"""Key pairs' cryptography: generating SSH keys and self-signed X.509
client certificates, and their fingerprints as upstream shows them (the
MD5 of an SSH key's blob, the SHA-1 of a certificate, colon separated
lower-case hex)."""

import base64
import binascii
import datetime

from cryptography import exceptions as crypto_exc
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID
from cryptography.x509.oid import ObjectIdentifier

from nova import exception

KEY_BITS = 2048
# Windows (WinRM) maps a client certificate to a user by this
# subjectAltName: otherName UPN (user principal name).
_UPN_OID = ObjectIdentifier('1.3.6.1.4.1.311.20.2.3')
_CERT_DAYS = 3650


def _colons(digest: bytes) -> str:
    return ':'.join('%02x' % b for b in digest)


def ssh_fingerprint(public_key: str) -> str:
    """InvalidKeypair unless public_key is an OpenSSH public key."""
    try:
        serialization.load_ssh_public_key(public_key.encode('utf-8'))
        blob = base64.b64decode(public_key.split()[1])
    except (ValueError, IndexError, TypeError, binascii.Error,
            UnicodeError, crypto_exc.UnsupportedAlgorithm):
        raise exception.InvalidKeypair(reason='failed to generate fingerprint')
    md5 = hashes.Hash(hashes.MD5())
    md5.update(blob)
    return _colons(md5.finalize())


def x509_fingerprint(pem: str) -> str:
    """InvalidKeypair unless pem is a PEM X.509 certificate."""
    try:
        cert = x509.load_pem_x509_certificate(pem.encode('utf-8'))
    except (ValueError, TypeError, UnicodeError) as exc:
        raise exception.InvalidKeypair(
            reason='failed to generate X509 fingerprint. Error message: %s'
            % exc)
    return _colons(cert.fingerprint(hashes.SHA1()))


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def generate_ssh_key() -> tuple[str, str, str]:
    """(private key PEM, OpenSSH public key, fingerprint) of a new RSA
    key."""
    key = _new_key()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode('ascii')
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode('ascii')
    public += ' Generated-by-Nova'
    return private, public, ssh_fingerprint(public)


def generate_x509_cert(user_id: str) -> tuple[str, str, str]:
    """(private key PEM, certificate PEM, fingerprint): a self-signed
    client certificate for `user_id`, as WinRM certificate logins use."""
    key = _new_key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, user_id)])
    upn = '%s@localhost' % user_id
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=_CERT_DAYS))
            .add_extension(x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.OtherName(
                _UPN_OID, _der_utf8(upn))]), critical=False)
            .sign(key, hashes.SHA256()))
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode('ascii')
    pem = cert.public_bytes(serialization.Encoding.PEM).decode('ascii')
    return private, pem, x509_fingerprint(pem)


def _der_utf8(text: str) -> bytes:
    """A DER UTF8String (the value an otherName UPN carries)."""
    data = text.encode('utf-8')
    if len(data) < 0x80:
        return b'\x0c' + bytes([len(data)]) + data
    size = len(data).to_bytes((len(data).bit_length() + 7) // 8, 'big')
    return b'\x0c' + bytes([0x80 | len(size)]) + size + data
