#!/usr/bin/env python3
"""For every inventory of the corpus, compares what lkrecover's loader reads (per host: its
groups and its connection variables) with what Debian's `ansible-inventory --list` gives.
The expected values come from ansible-inventory, run here; nothing is copied into the test.

Each corpus entry is a folder. `.sources` lists its -i arguments (one a line, relative to the
folder, or a `HOST,HOST:PORT,` host list); `.ansible_inventory` holds an ANSIBLE_INVENTORY
value instead; with neither, both tools run in the folder with no -i, so that its ansible.cfg
names the inventory. `.playbook_dir` adds `--playbook-dir` with the folder it names.

    corpus_compare.py INVENTORY_DUMP CORPUS_DIR
"""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile

CONNECTION_PREFIXES = ("ansible_host", "ansible_port", "ansible_user", "ansible_connection",
                       "ansible_shell_type", "ansible_winrm_", "lk_")
# Groups every Ansible host is in implicitly; lkrecover does not list `ungrouped`.
IMPLICIT_GROUPS = {"all", "ungrouped"}


def playbook_dir(entry):
    path = os.path.join(entry, ".playbook_dir")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return ["--playbook-dir", f.read().strip()]


def invocation(entry):
    """(extra arguments, extra environment) for both tools."""
    sources = os.path.join(entry, ".sources")
    if os.path.exists(sources):
        args = []
        with open(sources) as f:
            for line in f.read().split("\n"):
                if line.strip():
                    args += ["-i", line.strip()]
        return args + playbook_dir(entry), {}
    env_file = os.path.join(entry, ".ansible_inventory")
    if os.path.exists(env_file):
        with open(env_file) as f:
            return playbook_dir(entry), {"ANSIBLE_INVENTORY": f.read().strip()}
    return playbook_dir(entry), {}


def environment(home, extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ANSIBLE_") and k != "HOME"}
    env.update({"HOME": home, "ANSIBLE_LOCAL_TEMP": os.path.join(home, "tmp"),
                "ANSIBLE_NOCOLOR": "1"})
    env.update(extra)
    return env


def as_script(args, entry, home):
    """Ansible reads --list JSON only from an inventory script: wrap such files in one."""
    out = []
    for i, arg in enumerate(args):
        path = os.path.join(entry, arg)
        if i > 0 and args[i - 1] == "-i" and arg.endswith(".json"):
            with open(path) as f:
                if "_meta" in json.load(f):
                    script = os.path.join(home, "list-%d.sh" % i)
                    with open(script, "w") as s:
                        s.write("#!/bin/sh\ncat '%s'\n" % os.path.abspath(path))
                    os.chmod(script, 0o755)
                    arg = script
        out.append(arg)
    return out


def ansible_view(entry, home):
    args, extra = invocation(entry)
    args = as_script(args, entry, home)
    out = subprocess.run(["ansible-inventory", "--list"] + args, cwd=entry,
                         env=environment(home, extra), capture_output=True, text=True,
                         timeout=120)
    if out.returncode != 0:
        raise RuntimeError("ansible-inventory failed: " + out.stderr)
    data = json.loads(out.stdout)
    hostvars = data.get("_meta", {}).get("hostvars", {})

    def hosts_of(group, seen):
        if group in seen:
            return set()
        seen.add(group)
        body = data.get(group, {})
        hosts = set(body.get("hosts", []))
        for child in body.get("children", []):
            hosts |= hosts_of(child, seen)
        return hosts

    view = {}
    for group in data:
        if group == "_meta":
            continue
        for host in hosts_of(group, set()):
            view.setdefault(host, {"groups": set(), "vars": {}})["groups"].add(group)
    for host, hv in hostvars.items():
        view.setdefault(host, {"groups": set(), "vars": {}})
        for k, v in hv.items():
            if k.startswith(CONNECTION_PREFIXES):
                view[host]["vars"][k] = normalized(v)
    for host in view:
        view[host]["groups"] -= IMPLICIT_GROUPS
    return view


def normalized(value):
    """Ansible's typed value as text, the way an inventory writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def same_value(expected, ours):
    """Ansible's booleans (true/false) match any spelling YAML and Python give them."""
    if expected in ("true", "false"):
        return ours.lower() in (("true", "yes", "on") if expected == "true" else
                                ("false", "no", "off"))
    return expected == ours


def same_vars(expected, ours):
    return expected.keys() == ours.keys() and all(same_value(expected[k], ours[k])
                                                  for k in expected)


def lkrecover_view(dump, entry, home):
    args, extra = invocation(entry)
    out = subprocess.run([dump] + args, cwd=entry, env=environment(home, extra),
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("inventory_dump failed: " + out.stderr)
    data = json.loads(out.stdout)
    if not data["clusters"]:
        raise RuntimeError("no cluster")
    return {host: {"groups": set(h["groups"]) - IMPLICIT_GROUPS,
                   "vars": dict(h["vars"])}
            for host, h in data["hosts"].items()}


def shown(value):
    return sorted(value.items()) if isinstance(value, dict) else sorted(value)


def compare(dump, entry):
    home = tempfile.mkdtemp(prefix="lkr-corpus-home-")
    try:
        expected = ansible_view(entry, home)
        actual = lkrecover_view(dump, entry, home)
    except Exception as e:  # reported per entry, the others still run
        return ["%s: %s" % (entry, e)]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    problems = []
    for host in sorted(set(expected) | set(actual)):
        if host not in actual:
            problems.append("%s: host %s: only ansible-inventory has it" % (entry, host))
        elif host not in expected:
            problems.append("%s: host %s: only lkrecover has it" % (entry, host))
        else:
            for what in ("groups", "vars"):
                e, a = expected[host][what], actual[host][what]
                if same_vars(e, a) if what == "vars" else e == a:
                    continue
                problems.append("%s: host %s: %s differ:\n  ansible-inventory: %s\n"
                                "  lkrecover:         %s" % (entry, host, what, shown(e), shown(a)))
    if not expected:
        problems.append("%s: ansible-inventory sees no host" % entry)
    return problems


def main():
    dump, corpus = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if shutil.which("ansible-inventory") is None:
        print("ansible-inventory is not installed (Debian package ansible; see scripts/deps)")
        return 1
    entries = sorted(os.path.join(corpus, e) for e in os.listdir(corpus)
                     if os.path.isdir(os.path.join(corpus, e)))
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda e: compare(dump, e), entries))
    problems = [p for r in results for p in r]
    for p in problems:
        print(p)
    print("%d corpus inventories, %d differences" % (len(entries), len(problems)))
    return 1 if problems or len(entries) < 15 else 0


if __name__ == "__main__":
    sys.exit(main())
