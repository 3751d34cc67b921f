"""The Debian package on this machine, as an admin uses it: scripts/package builds
lkrecover_<version>_amd64.deb (a Release build in build-pkg/, reused when present),
lintian finds no error in it, `apt-get install ./lkrecover_*.deb` installs it, the
installed /usr/bin/lkrecover prints its version and recovers the demo's cluster in a lab
(the lab comes from the build tree), its man page, completion and data files are where the
package says, and `apt-get purge` removes every file again.

It changes the machine (dpkg's database, /usr), so it needs root, runs one at a time
(a lock file, besides ctest's RESOURCE_LOCK, for runs from two build trees), and purges
the package on every way out. A package left installed by a run that was killed is
recognised by the lock file's note and purged first; one installed by anybody else makes
the test fail rather than remove it.
  package_install_test.py SOURCE_DIR LAB_BINARY SUBNET"""

import fcntl
import json
import os
import re
import subprocess
import sys
import tempfile
import time

from check import expect, expect_equal, scenario_cluster
from completion import complete
from lab import Lab

LOCK_FILE = "/run/lock/lkrecover-package-test.lock"
INSTALLED_NOTE = "installed by package_install_test\n"
APT_ENV = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
# dpkg's lock may be held by another apt run for a while: wait for it rather than fail.
APT_WAIT = ["-o", "DPkg::Lock::Timeout=300"]

# What the package must install, and what a purge must remove with it.
PACKAGED = [
    "/usr/bin/lkrecover",
    "/usr/share/man/man1/lkrecover.1.gz",
    "/usr/share/bash-completion/completions/lkrecover",
    "/usr/share/doc/lkrecover/README.md",
    "/usr/share/doc/lkrecover/copyright",
    "/usr/share/doc/lkrecover/docs/runbook.md",
    "/usr/share/doc/lkrecover/docs/inventory.md",
    "/usr/share/doc/lkrecover/docs/audit-files.md",
    "/usr/share/doc/lkrecover/docs/troubleshooting.md",
    "/usr/share/doc/lkrecover/examples/inventory.yml",
    "/usr/share/lkrecover/schemas/run.schema.json",
    "/usr/share/lkrecover/schemas/events.schema.json",
    "/usr/share/lkrecover/ansible/plugins/modules/lkrecover_run.py",
    "/usr/share/lkrecover/ansible/example-playbook.yml",
]


def run(args, **kw):
    print("+ " + " ".join(args), flush=True)
    kw.setdefault("timeout", 1500)
    return subprocess.run(args, capture_output=True, text=True, check=False, **kw)


def must(args, **kw):
    p = run(args, **kw)
    expect(p.returncode == 0, "%s exited %d:\n%s%s" % (args[0], p.returncode, p.stdout, p.stderr))
    return p


def installed():
    p = run(["dpkg-query", "-W", "-f=${Status}", "lkrecover"])
    return p.returncode == 0 and "install ok installed" in p.stdout


def note(lock, text):
    lock.seek(0)
    lock.truncate()
    lock.write(text)
    lock.flush()


def purge(lock):
    if installed():
        must(["apt-get", "purge", "-y", *APT_WAIT, "lkrecover"], env=APT_ENV)
    note(lock, "")


def build_package(source_dir):
    started = time.monotonic()
    p = must([os.path.join(source_dir, "scripts", "package")])
    deb = p.stdout.strip().splitlines()[-1]
    print("scripts/package: %s in %.0f s" % (deb, time.monotonic() - started), flush=True)
    expect(re.fullmatch(r"lkrecover_[0-9]+\.[0-9]+\.[0-9]+_amd64\.deb", os.path.basename(deb)),
           "unexpected package name " + deb)
    return deb


def lintian(deb):
    p = run(["lintian", deb])
    errors = [line for line in p.stdout.splitlines() if line.startswith("E:")]
    expect(not errors, "lintian errors:\n" + "\n".join(errors))
    for line in p.stdout.splitlines():
        print("lintian: " + line)


def check_files():
    for path in PACKAGED:
        expect(os.path.isfile(path), path + " is not installed")
    p = must(["zcat", "/usr/share/man/man1/lkrecover.1.gz"])
    expect("\\-\\-inventory" in p.stdout, "the man page does not describe --inventory")
    if run(["which", "man"]).returncode == 0:
        p = must(["man", "-w", "lkrecover"])
        expect_equal(p.stdout.strip(), "/usr/share/man/man1/lkrecover.1.gz", "man -w lkrecover")
    words = complete("/usr/share/bash-completion/completions/lkrecover", ["lkrecover", "r"],
                     "/usr/bin")
    expect("run" in words, "the installed completion does not offer run after `lkrecover r`")


def check_version(deb):
    p = must(["/usr/bin/lkrecover", "--version"])
    m = re.fullmatch(r"lkrecover ([0-9.]+) \(([^()]+)\)\n", p.stdout)
    expect(m, "lkrecover --version printed %r" % p.stdout)
    dpkg_version = must(["dpkg-query", "-W", "-f=${Version}", "lkrecover"]).stdout
    expect_equal(m.group(1), dpkg_version, "lkrecover --version against the package's version")
    expect(os.path.basename(deb).startswith("lkrecover_%s_" % dpkg_version), deb)


def demo_recovery(source_dir, lab_binary, subnet, folder):
    """scripts/demo's recovery, with the installed binary: the seed cluster in a lab."""
    scenario = os.path.join(source_dir, "tests", "lab", "scenarios", "seed.json")
    cluster, replaced, survivors = scenario_cluster(scenario)
    with Lab(lab_binary, scenario, subnet, folder) as lab:
        before = json.dumps(lab.state_of(survivors[0]))
        expect(replaced in before, "the lab's survivor does not know %s to begin with" % replaced)
        args = ["/usr/bin/lkrecover", "run", "-i", lab.inventory, "--all", "--yes", "--json",
                "--log-dir", os.path.join(folder, "runs"),
                "--audit-key", os.path.join(folder, "audit.key")]
        p = run(args)
        expect_equal(p.returncode, 0, "exit code of the installed lkrecover run (%s)" % p.stderr)
        statuses = {c["name"]: c["status"] for c in json.loads(p.stdout)["clusters"]}
        expect_equal(statuses, {cluster: "changed"}, "clusters after the run")
        for node in survivors:
            after = json.dumps(lab.state_of(node))
            expect(replaced not in after, "%s still refers to %s: %s" % (node, replaced, after))
        p = run(args)
        expect_equal(p.returncode, 0, "exit code of a second run")
        statuses = {c["name"]: c["status"] for c in json.loads(p.stdout)["clusters"]}
        expect_equal(statuses, {cluster: "nothing_to_do"}, "clusters after a second run")


def main(source_dir, lab_binary, subnet):
    expect(os.geteuid() == 0, "package_install_test installs and purges a Debian package: "
           "run it as root (CI does); it is never skipped")
    started = time.monotonic()
    with open(LOCK_FILE, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits while another run of this test holds it
        lock.seek(0)
        if installed():
            expect(lock.read() == INSTALLED_NOTE,
                   "lkrecover is installed on this machine, not by this test: "
                   "`apt-get purge lkrecover` first (the test will not remove your package)")
            print("purging the package an interrupted run of this test left installed")
            purge(lock)
        deb = build_package(source_dir)
        lintian(deb)
        try:
            note(lock, INSTALLED_NOTE)  # before dpkg starts: a kill during it is covered
            must(["apt-get", "install", "-y", *APT_WAIT, "./" + os.path.basename(deb)],
                 cwd=os.path.dirname(deb), env=APT_ENV)
            check_version(deb)
            check_files()
            with tempfile.TemporaryDirectory(prefix="lkr-package-") as folder:
                demo_recovery(source_dir, lab_binary, subnet, folder)
        finally:
            purge(lock)
        for path in PACKAGED + ["/usr/share/lkrecover", "/usr/share/doc/lkrecover"]:
            expect(not os.path.exists(path), path + " is still there after apt-get purge")
        expect(not installed(), "dpkg still lists lkrecover after apt-get purge")
    print("package_install_test: pass in %.0f s" % (time.monotonic() - started))


if __name__ == "__main__":
    main(*sys.argv[1:4])
