"""Runs a bash completion file as bash does on Tab, for the words typed so far."""

import os
import subprocess

# Sources the completion file, sets COMP_WORDS/COMP_CWORD as bash does for the line, calls
# the function `complete -p` names for the command, and prints COMPREPLY one per line.
_DRIVER = r'''
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
func=$(complete -p "$1" | sed -nE 's/.* -F ([^ ]+) .*/\1/p')
[[ -n $func ]] || { echo "no completion function registered for $1" >&2; exit 3; }
"$func" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
'''


def complete(completion_file, words, program_dir):
    """The candidates offered for `words` (the last one is being typed; "" for a new word),
    with `program_dir` first on PATH so that the completion runs that lkrecover."""
    env = dict(os.environ, PATH=program_dir + os.pathsep + os.environ.get("PATH", ""))
    p = subprocess.run(["bash", "-c", _DRIVER, "driver", completion_file, *words], env=env,
                       capture_output=True, text=True, timeout=60, check=False)
    if p.returncode != 0:
        raise AssertionError("completion of %r failed: %s" % (words, p.stderr))
    return [line for line in p.stdout.split("\n") if line]
