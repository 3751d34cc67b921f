"""bench/ansible/run-peer end to end against a lab of two generated clusters
(bench/cluster_scenario 2: two survivors each, every volume mirrored to both other nodes,
so lkrecover runs with --allow-multitarget-jobs):

1. run-peer as bench/scale calls it (the scenario beside the lab's state folder): exit 0,
   the playbook's exit code 0, same_end_state true; and, checked here from the lab's own
   dumps rather than from run-peer's word: no survivor holds anything of the replaced node,
   the lab recorded no violation, the survivors of one cluster were never inside their
   sys_remove..lcdsync window at the same time, and every command line the playbook sent
   to a node is one lkrecover sent to that node (a `command` event of its audit trail:
   lkrecover may send several in one line, the playbook sends one a line).
2. On a fresh lab, the playbook with its DataKeeper step skipped (--skip-tags datakeeper,
   against the first run's saved lkrecover end state): the playbook still exits 0, but
   same_end_state is false, run-peer exits 1, and the differences are each survivor's
   DataKeeper jobs and mirrors, nothing else.

Without ansible-playbook the test skips (exit 77) and says why, except with CI=true in the
environment, where it fails (scripts/deps installs Debian's ansible).
  ansible_peer_test.py SOURCE_DIR BUILD_DIR LAB_BINARY SUBNET PEER_SUBNET"""

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
CLUSTERS = 2


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def skip_or_fail_without_ansible():
    if shutil.which("ansible-playbook"):
        return
    why = "ansible-playbook is not installed (scripts/deps installs Debian's ansible)"
    if os.environ.get("CI") == "true":
        raise AssertionError(why + ", and CI=true: this test must run in CI")
    print("SKIP: " + why)
    sys.exit(SKIP)


class Lab:
    """`lab up` of SCENARIO into FOLDER/state on SUBNET; `lab down` on leaving."""

    def __init__(self, lab, scenario, subnet, folder):
        self.lab, self.scenario, self.subnet = lab, scenario, subnet
        self.state = os.path.join(folder, "state")
        self.inventory = os.path.join(self.state, "inventory.yml")

    def __enter__(self):
        try:
            self._lab("up", self.scenario, "--inventory", self.inventory, "--subnet", self.subnet)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        subprocess.run([self.lab, "down", "--state", self.state], capture_output=True,
                       check=False, timeout=120)
        return False

    def dump(self, node):
        return json.loads(self._lab("dump", node))

    def _lab(self, *args):
        p = subprocess.run([self.lab, *args, "--state", self.state], capture_output=True,
                           text=True, check=False, timeout=300)
        expect(p.returncode == 0, "lab %s exited %d: %s" % (args[0], p.returncode, p.stderr))
        return p.stdout


def run_peer(source_dir, build_dir, lab, peer_subnet, work, *extra):
    args = [os.path.join(source_dir, "bench", "ansible", "run-peer"), "--inventory", lab.inventory,
            "--state", lab.state, "--build", build_dir, "--lab", lab.lab,
            "--peer-subnet", peer_subnet, "--work", work, *extra]
    started = datetime.datetime.now()
    p = subprocess.run(args, capture_output=True, text=True, check=False, timeout=600)
    print("run-peer %s: %.1f s, exit %d" % (" ".join(extra), (datetime.datetime.now() - started)
                                           .total_seconds(), p.returncode), flush=True)
    lines = p.stdout.splitlines()
    expect(len(lines) == 1, "run-peer printed %d lines, not one JSON object:\n%s%s"
           % (len(lines), p.stdout, p.stderr))
    return p.returncode, json.loads(lines[0])


def clusters_of(scenario):
    """{cluster name: (replaced system, [survivors])}, from the scenario file."""
    with open(scenario, encoding="utf-8") as f:
        clusters = json.load(f)["clusters"]
    return {c["name"]: (c["replaced"], [n["system"] for n in c["nodes"]
                                        if n["system"] != c["replaced"]]) for c in clusters}


def program(entry):
    return entry["argv"][0].rsplit("\\", 1)[-1].lower()


def serial_window(dump):
    """(start, end) of the node's sys_remove..lcdsync window, from its journal."""
    entries = [e for e in dump["journal"]
               if program(e) in ("sys_remove.exe", "net_remove.exe", "lcdsync.exe")]
    expect(entries, dump["system"] + " ran no sys_remove/net_remove/lcdsync")
    return min(e["start"] for e in entries), max(e["end"] for e in entries)


def lkrecover_commands(work):
    """{host: every command line of lkrecover's audit trail} of run-peer's lkrecover run."""
    runs = os.path.join(work, "lkrecover-runs")
    trails = [os.path.join(runs, d, "events.jsonl") for d in os.listdir(runs)
              if os.path.isfile(os.path.join(runs, d, "events.jsonl"))]
    expect(len(trails) == 1, "lkrecover runs in %s: %r" % (runs, trails))
    commands = {}
    with open(trails[0], encoding="utf-8") as f:
        for event in map(json.loads, f):
            if event.get("type") == "command":
                commands.setdefault(event["host"], set()).add(event["command"])
    return commands


def check_nodes(lab, clusters, by_lkrecover):
    for cluster, (replaced, survivors) in clusters.items():
        windows = []
        for system in survivors:
            dump = lab.dump("%s/%s" % (cluster, system))
            held = json.dumps([dump[k] for k in ("on_disk", "registry_jobs", "mirrors", "files")])
            expect(replaced not in held, "%s still holds something of %s: %s"
                   % (system, replaced, held))
            expect(dump["violations"] == [], "%s: violations %r" % (system, dump["violations"]))
            sent = {e["command_line"] for e in dump["journal"]}
            expect(sent and sent <= by_lkrecover.get(system, set()),
                   "%s: command lines lkrecover never sent: %r"
                   % (system, sorted(sent - by_lkrecover.get(system, set()))))
            windows.append(serial_window(dump))
        windows.sort()
        for (_, end), (start, _) in zip(windows, windows[1:]):
            expect(end < start, "%s: two survivors inside sys_remove..lcdsync at once: %r"
                   % (cluster, windows))


def main(source_dir, build_dir, lab_binary, subnet, peer_subnet):
    skip_or_fail_without_ansible()
    with tempfile.TemporaryDirectory(prefix="lkr-ansible-peer-") as folder:
        # bench/scale's layout: FOLDER/scenario.json beside the lab's FOLDER/state.
        scenario = os.path.join(folder, "scenario.json")
        with open(scenario, "w", encoding="utf-8") as f:
            subprocess.run([os.path.join(source_dir, "bench", "cluster_scenario"), str(CLUSTERS)],
                           stdout=f, check=True)
        clusters = clusters_of(scenario)
        survivors = sum(len(s) for _, s in clusters.values())
        expect(survivors == 2 * CLUSTERS, "the scenario has %d survivors" % survivors)

        with Lab(lab_binary, scenario, subnet, folder) as lab:
            rc, r = run_peer(source_dir, build_dir, lab, peer_subnet, os.path.join(folder, "same"))
            expect((rc, r["exit_code"], r["same_end_state"]) == (0, 0, True),
                   "run-peer: exit %d, %r" % (rc, r))
            expect(r["differences"] == [] and r["violations"] == 0, "run-peer: %r" % r)
            expect((r["hosts"], r["forks"]) == (3 * CLUSTERS, 3 * CLUSTERS), "hosts/forks: %r" % r)
            expect(r["wall_s"] > 0 and r["cpu_s"] > 0 and r["max_rss_kib"] > 0, "measures: %r" % r)
            expect(r["node_commands"] > 0 and r["cluster_serial_s"] > 0, "journal metrics: %r" % r)
            check_nodes(lab, clusters, lkrecover_commands(os.path.join(folder, "same")))

        reference = os.path.join(folder, "same", "lkrecover-end-state.json")
        with Lab(lab_binary, scenario, subnet, folder) as lab:
            rc, r = run_peer(source_dir, build_dir, lab, peer_subnet,
                             os.path.join(folder, "skipped"), "--skip-tags", "datakeeper",
                             "--reference", reference)
            expect((rc, r["exit_code"], r["same_end_state"]) == (1, 0, False),
                   "run-peer --skip-tags datakeeper: exit %d, %r" % (rc, r))
            differing = sorted(d.split(": ")[0] for d in r["differences"])
            expected = sorted("%s/%s %s" % (c, system, field) for c, (_, ss) in clusters.items()
                              for system in ss for field in ("registry_jobs", "mirrors"))
            expect(differing == expected, "differences: %r" % r["differences"])
    print("e2e_ansible_peer_test: pass")


if __name__ == "__main__":
    main(*sys.argv[1:6])
