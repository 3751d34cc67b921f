"""Runs one command on a WinRM endpoint with Debian's python3-winrm (pywinrm), the
independent client that proves the lab speaks WinRM. The password comes from the
environment (LKR_WINRM_PASSWORD), never from the command line.

usage: pywinrm_run.py URL USER TRANSPORT CA_PATH COMMAND [ARG...]
message_encryption from LKR_WINRM_ENCRYPTION (auto | always | never; default auto);
for TRANSPORT certificate, the client certificate and key from LKR_WINRM_CERT_PEM and
LKR_WINRM_CERT_KEY_PEM.
prints {"status": N, "stdout": "...", "stderr": "..."} (bytes as latin-1 text), or
{"error": "...", "text": "..."} (and "code": N for a bare HTTP error) when the server
refused."""
import json
import os
import sys

import winrm

url, user, transport, ca_path, command = sys.argv[1:6]
session = winrm.Session(url, auth=(user, os.environ["LKR_WINRM_PASSWORD"]), transport=transport,
                        server_cert_validation="validate", ca_trust_path=ca_path or None,
                        message_encryption=os.environ.get("LKR_WINRM_ENCRYPTION", "auto"),
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
