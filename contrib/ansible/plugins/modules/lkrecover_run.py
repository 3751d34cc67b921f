#!/usr/bin/python3
# -*- coding: utf-8 -*-
#
# An Ansible module that runs lkrecover on the host the task runs on (usually the
# controller itself: `delegate_to: localhost`, or a jump host that reaches the nodes).
# lkrecover does the work and keeps the audit trail; this module only maps Ansible's
# conventions onto it: check mode is `lkrecover check`, `changed` is what the run changed
# (or, in check mode, would change), `failed` is a non-zero exit code.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: lkrecover_run
short_description: Recover SIOS LifeKeeper for Windows clusters with lkrecover
description:
  - Runs C(lkrecover run --yes --json) (in check mode C(lkrecover check --json)) on an
    inventory of LifeKeeper clusters and reports what it did.
  - The node credentials come from the lkrecover inventory; a password is handed over
    through an environment variable, never on the command line.
  - Each run leaves an audit folder under I(log_dir); the module returns it with the last
    SHA-256 of its hash chain, so a later C(lkrecover audit verify) can be compared.
options:
  inventory:
    description: The lkrecover inventory (an Ansible inventory file or folder; YAML, INI or JSON).
    type: path
    required: true
  playbook_dir:
    description:
      - A folder whose C(group_vars/) and C(host_vars/) apply too, above the inventory's own,
        as ansible-playbook reads them beside the playbook. Pass C("{{ playbook_dir }}") for
        the running playbook's.
    type: path
  clusters:
    description: Clusters (inventory groups with C(lk_cluster) true) to act on.
    type: list
    elements: str
    default: []
  all:
    description: Act on every cluster of the inventory.
    type: bool
    default: false
  limit:
    description: Only these hosts or groups (Ansible patterns).
    type: str
  log_dir:
    description:
      - Where each run's audit folder is written. Give a persistent folder, never the job's
        working folder, which AWX throws away with the job (and the audit trail with it).
    type: path
    default: /var/log/lkrecover
  audit_key:
    description: The HMAC key file that signs the audit trail (lkrecover's default when unset).
    type: path
  password_env:
    description:
      - Name of an environment variable, in the module's environment (the task's
        C(environment)), that holds the nodes' password.
    type: str
  password:
    description:
      - The nodes' password. Prefer I(password_env) or the inventory; this one is given to
        lkrecover through its environment and never logged.
    type: str
  binary:
    description: The lkrecover program (default C(lkrecover) from C(PATH), else /usr/bin/lkrecover).
    type: path
  extra_args:
    description: More lkrecover options, e.g. C(--replaced), C(--forks), C(--known-hosts).
    type: list
    elements: str
    default: []
notes:
  - Supports check mode (C(lkrecover check)), where C(changed) means a run would change something.
  - Exit codes follow Ansible's; any non-zero exit code fails the task.
author: lkrecover maintainers
"""

EXAMPLES = r"""
- name: Recover sql-prod
  lkrecover_run:
    inventory: /etc/lkrecover/inventory.yml
    clusters: [sql-prod]
    password_env: LK_PASSWORD
  environment:
    LK_PASSWORD: "{{ vault_lk_password }}"
  register: recovery

- name: Show what is left to do in the LifeKeeper GUI
  ansible.builtin.debug:
    var: recovery.checklist
"""

RETURN = r"""
rc:
  description: lkrecover's exit code (0 ok, 1 error, 2 a host failed, 4 unreachable, 5 bad input).
  type: int
  returned: always
run_dir:
  description: The audit folder of this run.
  type: str
  returned: when lkrecover started a run
audit_sha256:
  description: The SHA-256 of the last line of the run's events.jsonl (run.json events.last_sha256).
  type: str
  returned: when the run's run.json was readable
audit_events:
  description: The number of events in the audit trail.
  type: int
  returned: when the run's run.json was readable
checklist:
  description: Per cluster, what to extend to the reinstalled node again (runbook steps 9-10).
  type: dict
  returned: when lkrecover printed its summary
clusters:
  description: lkrecover's --json summary of each cluster (status, hosts, plan, checklist).
  type: list
  returned: when lkrecover printed its summary
stderr:
  description: lkrecover's progress and recap text (secrets masked by lkrecover).
  type: str
  returned: always
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule

# Handed to lkrecover as --password-env when the task gives `password`: the value goes into
# the child's environment only, and lkrecover removes it from its own environment at start.
PASSWORD_VARIABLE = "LKRECOVER_ANSIBLE_PASSWORD"

EXIT_MEANINGS = {
    1: "error",
    2: "a host failed",
    4: "a host was unreachable",
    5: "bad options or inventory",
    99: "interrupted",
}


def command_line(module, binary):
    p = module.params
    args = [binary, "check" if module.check_mode else "run", "-i", p["inventory"]]
    if not module.check_mode:
        args.append("--yes")
    args += ["--json", "--log-dir", p["log_dir"]]
    if p["playbook_dir"]:
        args += ["--playbook-dir", p["playbook_dir"]]
    for name in p["clusters"]:
        args += ["--cluster", name]
    if p["all"]:
        args.append("--all")
    if p["limit"]:
        args += ["--limit", p["limit"]]
    if p["audit_key"]:
        args += ["--audit-key", p["audit_key"]]
    if p["password"]:
        args += ["--password-env", PASSWORD_VARIABLE]
    elif p["password_env"]:
        args += ["--password-env", p["password_env"]]
    return args + p["extra_args"]


def find_binary(module):
    if module.params["binary"]:
        return module.params["binary"]
    return module.get_bin_path("lkrecover", opt_dirs=["/usr/bin"], required=True)


def read_audit_head(run_dir):
    """run.json's events member: the trail's event count and the hash of its last line."""
    try:
        with open(os.path.join(run_dir, "run.json"), encoding="utf-8") as f:
            events = json.load(f)["events"]
        return events["last_sha256"], events["count"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, None


def last_lines(text, count=5):
    return " | ".join(line for line in text.strip().splitlines()[-count:])


def cluster_failure(cluster):
    words = [cluster["name"] + ": " + cluster["status"]]
    if cluster.get("failed_step"):
        words.append("at step " + cluster["failed_step"])
    if cluster.get("failed_host"):
        words.append("on " + cluster["failed_host"])
    text = " ".join(words)
    if cluster.get("reason"):
        text += " (" + cluster["reason"] + ")"
    if cluster.get("next"):
        text += "; next: " + cluster["next"]
    return text


def outcome_message(mode, clusters, changed_names, run_dir):
    others = [c["name"] for c in clusters if c["name"] not in changed_names]
    verb = "would change" if mode == "check" else "changed"
    text = "lkrecover %s: %d cluster(s) %s" % (mode, len(changed_names), verb)
    if changed_names:
        text += " (" + ", ".join(changed_names) + ")"
    text += ", %d unchanged" % len(others)
    if others:
        text += " (" + ", ".join(others) + ")"
    return text + "; audit folder " + run_dir


def main():
    module = AnsibleModule(
        argument_spec=dict(
            inventory=dict(type="path", required=True),
            playbook_dir=dict(type="path"),
            clusters=dict(type="list", elements="str", default=[]),
            all=dict(type="bool", default=False),
            limit=dict(type="str"),
            log_dir=dict(type="path", default="/var/log/lkrecover"),
            audit_key=dict(type="path", no_log=False),
            password_env=dict(type="str", no_log=False),
            password=dict(type="str", no_log=True),
            binary=dict(type="path"),
            extra_args=dict(type="list", elements="str", default=[]),
        ),
        mutually_exclusive=[("clusters", "all"), ("password", "password_env")],
        supports_check_mode=True,
    )
    mode = "check" if module.check_mode else "run"
    env = {PASSWORD_VARIABLE: module.params["password"]} if module.params["password"] else {}
    args = command_line(module, find_binary(module))
    rc, out, err = module.run_command(args, environ_update=env)

    result = dict(changed=False, rc=rc, cmd=args, stderr=err)
    try:
        summary = json.loads(out)
    except ValueError:
        summary = None
    if not isinstance(summary, dict):
        what = EXIT_MEANINGS.get(rc, "no JSON summary") if rc else "but printed no JSON summary"
        module.fail_json(msg="lkrecover %s exited %d (%s): %s" % (mode, rc, what, last_lines(err)),
                         **result)

    clusters = summary.get("clusters", [])
    run_dir = summary.get("run_dir", "")
    result.update(clusters=clusters, run_dir=run_dir)
    result["checklist"] = dict((c["name"], c.get("checklist", [])) for c in clusters)
    result["audit_sha256"], result["audit_events"] = read_audit_head(run_dir)
    # In check mode a `pending` cluster is one the run would change.
    changing = "pending" if module.check_mode else "changed"
    changed_names = [c["name"] for c in clusters if c.get("status") == changing]
    result["changed"] = bool(changed_names)
    if rc != 0:
        reasons = [cluster_failure(c) for c in clusters
                   if c.get("status") not in ("ok", "changed", "nothing_to_do", "pending")]
        detail = "; ".join(reasons) if reasons else last_lines(err)
        module.fail_json(msg="lkrecover %s exited %d (%s): %s; audit folder %s"
                         % (mode, rc, EXIT_MEANINGS.get(rc, "unexpected exit code"), detail,
                            run_dir), **result)
    module.exit_json(msg=outcome_message(mode, clusters, changed_names, run_dir), **result)

if __name__ == "__main__":
    main()
