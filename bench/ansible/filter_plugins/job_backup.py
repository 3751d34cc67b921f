"""Jinja filters that check a DataKeeper job's registry backup on its way off the node, as
lkrecover checks it (docs/record-formats.md, "job backup"): certutil's SHA-256 of the file
on the node against the SHA-256 of certutil's base64 of it, decoded here.

    "{{ hashfile.stdout | certutil_digest }}"           64 lowercase hex digits
    "{{ typed.stdout | certutil_decoded_sha256 }}"      SHA-256 of the decoded bytes"""

import base64
import binascii
import hashlib
import re

from ansible.errors import AnsibleFilterError

BEGIN = "-----BEGIN CERTIFICATE-----"
END = "-----END CERTIFICATE-----"


def certutil_digest(stdout):
    """`certutil -hashfile FILE SHA256` prints a localized first line, the digest (64 hex
    digits, or 32 pairs with one space between on older Windows), a localized last line."""
    lines = [line.strip() for line in str(stdout).splitlines() if line.strip()]
    if len(lines) != 3:
        raise AnsibleFilterError("certutil -hashfile printed %d lines, not 3" % len(lines))
    digest = lines[1].replace(" ", "").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise AnsibleFilterError("certutil -hashfile's digest line is not SHA-256: %r" % lines[1])
    return digest


def certutil_decoded_sha256(text):
    """The base64 between certutil -encode's BEGIN and END lines, decoded and hashed."""
    lines = [line.strip() for line in str(text).splitlines()]
    if BEGIN not in lines or END not in lines:
        raise AnsibleFilterError("the backup's base64 text has no BEGIN/END lines")
    body = "".join(lines[lines.index(BEGIN) + 1:lines.index(END)])
    try:
        return hashlib.sha256(base64.b64decode(body, validate=True)).hexdigest()
    except (binascii.Error, ValueError) as e:
        raise AnsibleFilterError("the backup's base64 text does not decode: %s" % e)


class FilterModule:
    def filters(self):
        return {"certutil_digest": certutil_digest,
                "certutil_decoded_sha256": certutil_decoded_sha256}
