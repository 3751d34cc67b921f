"""Runs one command on a WinRM endpoint with Debian's python3-winrm (pywinrm), the
independent client that proves the lab speaks WinRM. The password comes from the
environment (LKR_WINRM_PASSWORD), never from the command line.

usage: pywinrm_run.py URL USER TRANSPORT CA_PATH COMMAND [ARG...]
message_encryption from LKR_WINRM_ENCRYPTION (auto | always | never; default auto);
send_cbt (channel binding over https) from LKR_WINRM_SEND_CBT (true | false; default true);
for TRANSPORT certificate, the client certificate and key from LKR_WINRM_CERT_PEM and
LKR_WINRM_CERT_KEY_PEM; for TRANSPORT kerberos, the ticket from the credential cache
(KRB5CCNAME, filled by kinit) and the realm's KDC from KRB5_CONFIG (no password used).
prints {"status": N, "stdout": "...", "stderr": "..."} (bytes as latin-1 text), or
{"error": "...", "text": "..."} (and "code": N for a bare HTTP error) when the server
refused."""
import base64
import json
import os
import struct
import sys

import winrm


def add_winrm_kerberos_wrapping():
    """requests-kerberos 0.12 seals WinRM messages with kerberos.authGSSWinRMEncryptMessage
    and authGSSWinRMDecryptMessage, names from a pykerberos fork; Debian's pykerberos 1.1.14
    ships the same GSSAPI call under other names: authGSSClientWrapIov (gss_wrap_iov with
    HEADER, DATA, PADDING, answering le32(len(header)) + header + data + padding) and
    authGSSClientUnwrapIov (its inverse). Without this bridge requests-kerberos reports
    no WinRM encryption and pywinrm sends kerberos bodies unencrypted over http."""
    import kerberos
    if hasattr(kerberos, "authGSSWinRMEncryptMessage"):
        return

    def encrypt(context, message):
        kerberos.authGSSClientWrapIov(context, base64.b64encode(message).decode())
        out = base64.b64decode(kerberos.authGSSClientResponse(context))
        header_length = struct.unpack("<I", out[:4])[0]
        return out[4 + header_length:], out[4:4 + header_length]  # (sealed, header)

    def decrypt(context, sealed, header):
        framed = struct.pack("<I", len(header)) + header + sealed
        kerberos.authGSSClientUnwrapIov(context, base64.b64encode(framed).decode())
        return base64.b64decode(kerberos.authGSSClientResponse(context))

    kerberos.authGSSWinRMEncryptMessage = encrypt
    kerberos.authGSSWinRMDecryptMessage = decrypt


url, user, transport, ca_path, command = sys.argv[1:6]
if transport == "kerberos":
    add_winrm_kerberos_wrapping()
password = None if transport == "kerberos" else os.environ["LKR_WINRM_PASSWORD"]
session = winrm.Session(url, auth=(user, password), transport=transport,
                        server_cert_validation="validate", ca_trust_path=ca_path or None,
                        message_encryption=os.environ.get("LKR_WINRM_ENCRYPTION", "auto"),
                        send_cbt=os.environ.get("LKR_WINRM_SEND_CBT", "true") == "true",
                        cert_pem=os.environ.get("LKR_WINRM_CERT_PEM"),
                        cert_key_pem=os.environ.get("LKR_WINRM_CERT_KEY_PEM"))
try:
    r = session.run_cmd(command, sys.argv[6:])
except winrm.exceptions.InvalidCredentialsError as e:
    print(json.dumps({"error": "InvalidCredentialsError", "text": str(e)}))
    sys.exit(0)
except winrm.exceptions.WinRMTransportError as e:
    text = e.response_text
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    print(json.dumps({"error": "WinRMTransportError", "code": e.code, "text": text}))
    sys.exit(0)
except winrm.exceptions.WinRMError as e:  # a WS-Management fault, decoded by pywinrm
    print(json.dumps({"error": "WinRMError", "text": str(e)}))
    sys.exit(0)
print(json.dumps({"status": r.status_code, "stdout": r.std_out.decode("latin-1"),
                  "stderr": r.std_err.decode("latin-1")}))
