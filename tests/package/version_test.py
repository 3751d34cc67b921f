"""`lkrecover --version` and `lkrecover version`: "lkrecover <project version> (<commit>)",
the version being CMake's project(VERSION) as the build passes it here.
  version_test.py LKRECOVER PROJECT_VERSION"""

import re
import subprocess
import sys

from check import expect, expect_equal


def main(lkrecover, project_version):
    texts = []
    for args in (["--version"], ["version"], ["check", "--version"]):
        p = subprocess.run([lkrecover, *args], capture_output=True, text=True, timeout=60,
                           check=False)
        expect_equal(p.returncode, 0, "exit code of lkrecover %s" % " ".join(args))
        m = re.fullmatch(r"lkrecover (\S+) \(([0-9a-zA-Z.-]+)\)\n", p.stdout)
        expect(m, "lkrecover %s printed %r" % (" ".join(args), p.stdout))
        expect_equal(m.group(1), project_version, "the version")
        texts.append(p.stdout)
    expect_equal(len(set(texts)), 1, "the three forms print the same text")
    print("version: " + texts[0].strip())


if __name__ == "__main__":
    main(*sys.argv[1:3])
