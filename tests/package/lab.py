"""A lab of the build tree for the package and Ansible tests: `lab up` of a scenario on the
test's own 127.N subnet into a fresh folder, `lab down` on leaving the `with` block (also
when the test fails), and `lab dump` of a node's state."""

import json
import os
import subprocess


class Lab:
    def __init__(self, lab_binary, scenario, subnet, folder):
        self.binary = lab_binary
        self.scenario = scenario
        self.subnet = subnet
        self.state = os.path.join(folder, "lab")
        self.inventory = os.path.join(folder, "inventory.yml")

    def __enter__(self):
        try:
            self._lab("up", self.scenario, "--inventory", self.inventory, "--subnet", self.subnet)
        except BaseException:
            self.__exit__(None, None, None)  # a half-started lab is stopped too
            raise
        return self

    def __exit__(self, *exc):
        subprocess.run([self.binary, "down", "--state", self.state], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False, timeout=120)
        return False

    def dump(self, node):
        return json.loads(self._lab("dump", node))

    def state_of(self, node):
        """What the node holds, without its journal (what ran, and when, does not count)."""
        d = self.dump(node)
        return {k: d[k] for k in ("on_disk", "in_memory", "registry_jobs", "mirrors", "files")}

    def _lab(self, *args):
        p = subprocess.run([self.binary, *args, "--state", self.state], capture_output=True,
                           text=True, timeout=300, check=False)
        if p.returncode != 0:
            raise AssertionError("lab %s exited %d: %s" % (args[0], p.returncode, p.stderr))
        return p.stdout
