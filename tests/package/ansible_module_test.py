"""The Ansible module (contrib/ansible/plugins/modules/lkrecover_run.py) run by Debian's
ansible-playbook against a lab, as a playbook uses it: in check mode (`lkrecover check`:
changed = would change, and the nodes stay untouched), in run mode (changed, the
survivors cleaned), and a second run (changed=false). Each time the playbook's JSON output
(ANSIBLE_STDOUT_CALLBACK=json) is compared with the lab's state and with the audit trail
the run left. Last, a run that fails: failed, the exit code in msg, the password nowhere
in the output. Without ansible-playbook the test fails (scripts/deps installs it).
  ansible_module_test.py SOURCE_DIR LKRECOVER LAB_BINARY SUBNET"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from check import expect, expect_equal, scenario_cluster, trail_head
from lab import Lab

PLAYBOOK = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: lkrecover
      lkrecover_run: "{{ module_args }}"
"""
SECRET = "Ansible-Test-Pw-7f3e"


class Playbook:
    def __init__(self, source_dir, folder):
        self.folder = folder
        self.path = os.path.join(folder, "playbook.yml")
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(PLAYBOOK)
        config = os.path.join(folder, "ansible.cfg")
        with open(config, "w", encoding="utf-8") as f:
            f.write("[defaults]\n")
        # Everything Ansible writes stays in the test's folder; no ansible.cfg of the
        # machine or of the working folder applies.
        self.env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_NOCOLOR="1",
                        ANSIBLE_LIBRARY=os.path.join(source_dir, "contrib", "ansible",
                                                     "plugins", "modules"),
                        ANSIBLE_CONFIG=config, ANSIBLE_HOME=os.path.join(folder, "home"),
                        ANSIBLE_LOCAL_TEMP=os.path.join(folder, "tmp"),
                        ANSIBLE_PYTHON_INTERPRETER="/usr/bin/python3",
                        ANSIBLE_RETRY_FILES_ENABLED="0")

    def play(self, module_args, check_mode=False):
        """(ansible-playbook's exit code, the task's result, the play's stats, all output)."""
        vars_file = os.path.join(self.folder, "vars.json")
        with open(vars_file, "w", encoding="utf-8") as f:
            json.dump({"module_args": module_args}, f)
        args = ["ansible-playbook", "-i", "localhost,", self.path, "-e", "@" + vars_file]
        if check_mode:
            args.append("--check")
        started = time.monotonic()
        p = subprocess.run(args, env=self.env, cwd=self.folder, capture_output=True, text=True,
                           timeout=600, check=False)
        print("ansible-playbook%s: %.1f s, exit %d" % (" --check" if check_mode else "",
                                                      time.monotonic() - started, p.returncode),
              flush=True)
        try:
            out = json.loads(p.stdout)
            result = out["plays"][0]["tasks"][0]["hosts"]["localhost"]
        except (ValueError, KeyError, IndexError):
            raise AssertionError("ansible-playbook printed no task result:\n%s%s"
                                 % (p.stdout, p.stderr))
        return p.returncode, result, out["stats"]["localhost"], p.stdout + p.stderr


def check_trail(result, log_dir):
    run_dir = result["run_dir"]
    expect_equal(os.path.dirname(run_dir.rstrip("/")), log_dir, "the audit folder's parent")
    count, last = trail_head(run_dir)
    expect_equal(result["audit_sha256"], last, "audit_sha256 against events.jsonl's last line")
    expect_equal(result["audit_events"], count, "audit_events against events.jsonl")


def main(source_dir, lkrecover, lab_binary, subnet):
    expect(shutil.which("ansible-playbook"), "ansible-playbook is not installed: run "
           "scripts/deps (Debian's ansible-core); this test is never skipped")
    scenario = os.path.join(source_dir, "tests", "lab", "scenarios", "seed.json")
    cluster, replaced, survivors = scenario_cluster(scenario)
    with tempfile.TemporaryDirectory(prefix="lkr-ansible-") as folder:
        book = Playbook(source_dir, folder)
        log_dir = os.path.join(folder, "log")
        with Lab(lab_binary, scenario, subnet, folder) as lab:
            args = {"inventory": lab.inventory, "clusters": [cluster], "binary": lkrecover,
                    "log_dir": log_dir, "audit_key": os.path.join(folder, "audit.key")}
            untouched = {n: lab.state_of(n) for n in survivors}
            expect(replaced in json.dumps(untouched), "the lab does not know " + replaced)

            rc, r, stats, _ = book.play(args, check_mode=True)
            expect_equal((rc, r.get("failed", False), r["rc"]), (0, False, 0), "check: exit codes")
            expect_equal(r["changed"], True, "check mode: changed (a run would change)")
            expect_equal(stats["changed"], 1, "check mode: the play's changed count")
            expect_equal([c["status"] for c in r["clusters"]], ["pending"], "check: status")
            expect(r["clusters"][0]["plan"], "check mode returned no plan")
            expect("1 cluster(s) would change (%s)" % cluster in r["msg"], "check: " + r["msg"])
            check_trail(r, log_dir)
            expect_equal({n: lab.state_of(n) for n in survivors}, untouched,
                         "the survivors after check mode")

            rc, r, stats, _ = book.play(args)
            expect_equal((rc, r.get("failed", False), r["rc"]), (0, False, 0), "run: exit codes")
            expect_equal(r["changed"], True, "run: changed")
            expect_equal(stats["changed"], 1, "run: the play's changed count")
            expect_equal([c["status"] for c in r["clusters"]], ["changed"], "run: status")
            expect("1 cluster(s) changed (%s)" % cluster in r["msg"], "run: " + r["msg"])
            checklist = r["checklist"][cluster]
            expect(any(replaced in line for line in checklist),
                   "the checklist does not say what to extend to %s: %r" % (replaced, checklist))
            check_trail(r, log_dir)
            cleaned = {n: lab.state_of(n) for n in survivors}
            expect(replaced not in json.dumps(cleaned), "a survivor still refers to " + replaced)
            first_run_dir = r["run_dir"]

            rc, r, stats, _ = book.play(args)
            expect_equal((rc, r.get("failed", False), r["rc"]), (0, False, 0), "again: exit codes")
            expect_equal(r["changed"], False, "a second run: changed")
            expect_equal(stats["changed"], 0, "a second run: the play's changed count")
            expect_equal([c["status"] for c in r["clusters"]], ["nothing_to_do"], "again: status")
            expect("0 cluster(s) changed, 1 unchanged (%s)" % cluster in r["msg"],
                   "again: " + r["msg"])
            expect(r["run_dir"] != first_run_dir, "the second run has no audit folder of its own")
            check_trail(r, log_dir)
            expect_equal({n: lab.state_of(n) for n in survivors}, cleaned,
                         "the survivors after a second run")

            # playbook_dir reaches lkrecover: a template in that folder's group_vars/ is
            # refused before any node is reached, naming the file and the export command.
            playbook_dir = os.path.join(folder, "site")
            os.makedirs(os.path.join(playbook_dir, "group_vars"))
            templated = os.path.join(playbook_dir, "group_vars", "all.yml")
            with open(templated, "w", encoding="utf-8") as f:
                f.write("lk_codepage: \"{{ site_codepage }}\"\n")
            rc, r, _, _ = book.play(dict(args, playbook_dir=playbook_dir))
            expect_equal((rc, r.get("failed"), r["rc"]), (2, True, 5), "playbook_dir: exit codes")
            expect(templated + ":1:" in r["msg"], "msg does not name the file: " + r["msg"])
            expect("--playbook-dir " + playbook_dir in r["msg"],
                   "msg does not give the export command with the folder: " + r["msg"])

        # A failing run: no such inventory (exit 5). The password is given to the module and
        # must appear nowhere in Ansible's output (no_log), and the default log_dir is a
        # persistent system folder, not the job's working folder.
        missing = {"inventory": os.path.join(folder, "missing.yml"), "binary": lkrecover,
                   "password": SECRET}
        rc, r, stats, output = book.play(missing)
        expect_equal((rc, r.get("failed"), r["rc"]), (2, True, 5), "a failing run's exit codes")
        expect("exited 5" in r["msg"], "msg does not give the exit code: " + r["msg"])
        expect(SECRET not in output, "the password appears in ansible-playbook's output")
        expect_equal(r["invocation"]["module_args"]["log_dir"], "/var/log/lkrecover",
                     "the default log_dir")
    print("ansible_module_test: pass")


if __name__ == "__main__":
    main(*sys.argv[1:5])
