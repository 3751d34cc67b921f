"""The bash completion (contrib/bash-completion/lkrecover) against a built lkrecover:
subcommands and options come from the binary's own help, so this checks both together.
  bash_completion_test.py COMPLETION_FILE LKRECOVER_DIR"""

import sys

from check import expect, expect_equal
from completion import complete

COMMANDS = {"check", "run", "verify", "ping", "facts", "audit", "report"}


def main(completion_file, program_dir):
    def offers(*words):
        return complete(completion_file, ["lkrecover", *words], program_dir)

    after_r = offers("r")
    expect("run" in after_r, "`lkrecover r<Tab>` does not offer run: %r" % after_r)
    expect(all(w.startswith("r") for w in after_r), "`lkrecover r<Tab>` offers %r" % after_r)
    first = set(offers(""))
    expect(COMMANDS <= first, "`lkrecover <Tab>` lacks %r" % sorted(COMMANDS - first))
    expect(not any(w.startswith("-") for w in first), "options offered as commands: %r" % first)
    expect_equal(offers("run", "--inv"), ["--inventory"], "`lkrecover run --inv<Tab>`")
    expect_equal(offers("--vers"), ["--version"], "`lkrecover --vers<Tab>`")
    # An option's value is not the subcommand: `-i FILE` before the command.
    expect_equal(offers("-i", "inventory.yml", "ch"), ["check"], "`lkrecover -i FILE ch<Tab>`")
    expect_equal(offers("audit", ""), ["verify"], "`lkrecover audit <Tab>`")
    expect_equal(offers("check", "--cluster", ""), [], "`--cluster <Tab>` (a name only the user knows)")
    print("bash completion: 7 cases pass")


if __name__ == "__main__":
    main(*sys.argv[1:3])
