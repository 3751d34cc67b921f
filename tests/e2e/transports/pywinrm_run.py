"""Runs one command on a WinRM endpoint with Debian's python3-winrm (pywinrm), the
independent client that proves the lab speaks WinRM. The password comes from the
environment (LKR_WINRM_PASSWORD), never from the command line.

usage: pywinrm_run.py URL USER TRANSPORT CA_PATH COMMAND [ARG...]
prints {"status": N, "stdout": "...", "stderr": "..."} (bytes as latin-1 text)"""
import json
import os
import sys

import winrm

url, user, transport, ca_path, command = sys.argv[1:6]
session = winrm.Session(url, auth=(user, os.environ["LKR_WINRM_PASSWORD"]), transport=transport,
                        server_cert_validation="validate", ca_trust_path=ca_path or None)
try:
    r = session.run_cmd(command, sys.argv[6:])
except winrm.exceptions.InvalidCredentialsError as e:
    print(json.dumps({"error": "InvalidCredentialsError", "text": str(e)}))
    sys.exit(0)
print(json.dumps({"status": r.status_code, "stdout": r.std_out.decode("latin-1"),
                  "stderr": r.std_err.decode("latin-1")}))
