"""Per-command time of pywinrm's Session.run_cmd against one lab node (bench/run-winrm-bench).
usage: winrm_pywinrm.py URL USER PASSWORD_FILE COUNT COMMAND MODE   (NTLM, message encryption)
MODE reuse: one Session for every command (its HTTP connection and NTLM handshake are
reused; each run_cmd still creates and deletes a shell). MODE fresh: a new Session per
command, as a script calling winrm.Session(...).run_cmd(...) does."""
import statistics
import sys
import time

import winrm

url, user, password_file, count, command, mode = sys.argv[1:7]
with open(password_file) as f:
    password = f.readline().strip()


def new_session():
    return winrm.Session(url, auth=(user, password), transport="ntlm", message_encryption="always")


session = new_session()
times = []
for _ in range(int(count)):
    start = time.perf_counter()
    if mode == "fresh":
        session = new_session()
    r = session.run_cmd(command)
    times.append((time.perf_counter() - start) * 1000)
    if r.status_code != 0:
        sys.exit("command failed: %r" % r.std_err)
print("pywinrm (Session.run_cmd, ntlm, message encryption, %s session): %s x %s, median %.2f ms/command"
      % (mode, count, command, statistics.median(times)))
