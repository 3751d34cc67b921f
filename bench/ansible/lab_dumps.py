"""A lab seen through its `lab` binary (LAB.md, "Driving it"): its nodes from STATE/lab.json,
`lab dump` of every node, `lab up` of a scenario and `lab down`."""

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

# lab dump starts one process per node: a few at a time, on a machine of 2 cores.
DUMP_WORKERS = 4


def node_names(state_dir):
    """CLUSTER/SYSTEM of every node lab.json lists, in its order."""
    with open(os.path.join(state_dir, "lab.json"), encoding="utf-8") as f:
        record = json.load(f)
    return ["%s/%s" % (n["cluster"], n["system"]) for n in record["nodes"]]


def dump(lab, state_dir, node):
    p = subprocess.run([lab, "dump", node, "--state", state_dir], capture_output=True,
                       check=False, timeout=300)
    if p.returncode != 0:
        raise RuntimeError("lab dump %s exited %d: %s"
                           % (node, p.returncode, p.stderr.decode(errors="replace").strip()))
    return json.loads(p.stdout)


def dump_all(lab, state_dir):
    """{CLUSTER/SYSTEM: the node's dump} of every node of the lab."""
    names = node_names(state_dir)
    with ThreadPoolExecutor(DUMP_WORKERS) as pool:
        dumps = list(pool.map(lambda n: dump(lab, state_dir, n), names))
    return dict(zip(names, dumps))


def up(lab, scenario, state_dir, inventory, subnet):
    p = subprocess.run([lab, "up", scenario, "--state", state_dir, "--inventory", inventory,
                        "--subnet", subnet], capture_output=True, text=True, check=False,
                       timeout=900)
    if p.returncode != 0:
        raise RuntimeError("lab up %s on %s exited %d: %s"
                           % (scenario, subnet, p.returncode, p.stderr.strip()))


def down(lab, state_dir):
    subprocess.run([lab, "down", "--state", state_dir], capture_output=True, check=False,
                   timeout=300)
