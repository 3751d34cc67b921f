"""Jinja filters that build cmd.exe command lines as lkrecover's quoting layer does
(transports/cmd_quoting.cpp; its comment block explains every rule), and read a node's
output in its console code page.

    "{{ program | cmd_program(['-d', local, '-t', tag]) }}"   a program and its argv
    "{{ 'del' | cmd_builtin([path]) }}"                        a cmd built-in (del, type, set)
    "{{ path | cmd_if_exist }}"                                if exist "P" (echo yes) ...
    "{{ result.stdout | from_codepage(codepage) }}"             the node's bytes as text
    "{{ lk_root | win_join('Bin') }}"                          a Windows folder and a name

Like lkrecover, a program line refuses NUL, CR and LF in any argument, `"` and `%` in a
program path, and lines over cmd's 8191 UTF-16 units (an AnsibleFilterError names the
program and the argument's position, never its value). What this port does not carry
over: the PowerShell renderer (nodes whose OpenSSH default shell is PowerShell) and
secret masking (the runbook's commands carry no secret)."""

from ansible.errors import AnsibleFilterError

CMD_METACHARS = '()%!^"<>&|'
CMD_MAX_LINE_CHARS = 8191
# `<cmd.exe path> /c ` before the line, bounded by MAX_PATH: CreateProcess's 32767 limit.
CMD_PROCESS_PREFIX_MAX_CHARS = 2 + 260 + 4
CREATE_PROCESS_MAX_CHARS = 32767

# Python's codec names for the Windows code pages the lab speaks (LAB.md).
CODEC_OF_CODEPAGE = {437: "cp437", 850: "cp850", 932: "cp932", 1252: "cp1252", 65001: "utf-8"}


def _refuse(program, why):
    raise AnsibleFilterError('cannot build a cmd.exe command line for "%s": %s' % (program, why))


def _forbidden_char(text):
    for c, name in (("\0", "a NUL character"), ("\r", "a carriage return (CR)"),
                    ("\n", "a line feed (LF)")):
        if c in text:
            return name
    return None


def _is_plain_path_char(c):
    return ord(c) >= 0x80 or c.isascii() and (c.isalnum() or c in "\\:._-")


def _is_plain_path(text, allow_slash):
    return bool(text) and all(_is_plain_path_char(c) or (allow_slash and c == "/") for c in text)


def _argv_quote(arg):
    """CommandLineToArgvW's quoting: 2n backslashes before a quote for n literal ones,
    2n+1 and the quote for a literal quote; arguments holding % are quoted too."""
    if arg and not any(c in arg for c in ' \t\v"%'):
        return arg
    out, backslashes = '"', 0
    for c in arg:
        if c == "\\":
            backslashes += 1
            continue
        out += "\\" * (2 * backslashes + 1 if c == '"' else backslashes) + c
        backslashes = 0
    return out + "\\" * (2 * backslashes) + '"'


def _cmd_escape(text):
    """Every cmd metacharacter caret-escaped, and a caret right after every %."""
    out, after_percent = [], False
    for c in text:
        if c == "%":
            if after_percent:
                out.append("^")
            out.append("%")
            after_percent = True
            continue
        if after_percent or c in CMD_METACHARS:
            out.append("^")
        out.append(c)
        after_percent = False
    return "".join(out)


def _utf16_length(line):
    return len(line.encode("utf-16-le", "surrogatepass")) // 2


def _checked_length(program, line):
    units = _utf16_length(line)
    if units > CMD_MAX_LINE_CHARS or \
            CMD_PROCESS_PREFIX_MAX_CHARS + units + 1 > CREATE_PROCESS_MAX_CHARS:
        _refuse(program, "the command line would be %d characters long" % units)
    return line


def _check_quotable_path(program, path, what):
    if '"' in path:
        _refuse(program, what + " contains '\"'")
    if "%" in path:
        _refuse(program, what + " contains '%', which cmd would expand inside quotes")


def cmd_program(program, args=()):
    """`"prog" arg ...`: the program in real quotes when it needs them, each argument
    quoted for CommandLineToArgvW and then caret-escaped for cmd."""
    program, args = str(program), [str(a) for a in args]
    if not program:
        _refuse(program, "the program name is empty")
    if _forbidden_char(program):
        _refuse(program, "the program name contains " + _forbidden_char(program))
    for i, a in enumerate(args):
        if _forbidden_char(a):
            _refuse(program, "argument %d contains %s" % (i + 1, _forbidden_char(a)))
    _check_quotable_path(program, program, "the program path")
    line = program if _is_plain_path(program, False) else '"' + program + '"'
    for a in args:
        line += " " + _cmd_escape(_argv_quote(a))
    if line.startswith('"'):
        line = '"' + line + '"'  # cmd /c strips the first and the last quote of the line
    return _checked_length(program, line)


def cmd_builtin(name, args=()):
    """A cmd built-in: a path needing it goes in quotes, quotes and metacharacters
    caret-escaped (built-ins split their arguments themselves)."""
    name, args = str(name), [str(a) for a in args]
    if not _is_plain_path(name, False):
        _refuse(name, "a cmd built-in's name must be a plain word")
    line = name
    for i, a in enumerate(args):
        bad = _forbidden_char(a) or ('"' in a and "'\"'")
        if bad:
            _refuse(name, "argument %d contains %s" % (i + 1, bad))
        line += " " + _cmd_escape(a if _is_plain_path(a, True) else '"' + a + '"')
    return _checked_length(name, line)


def cmd_if_exist(path):
    """`if` parses its condition itself: the path sits in real quotes."""
    path = str(path)
    if _forbidden_char(path):
        _refuse("if exist", "the path contains " + _forbidden_char(path))
    _check_quotable_path("if exist", path, "the path")
    return _checked_length("if exist", 'if exist "%s" (echo yes) else (echo no)' % path)


def win_join(folder, name):
    """A Windows folder and a name joined by exactly one backslash (tasks/assumed_formats.cpp)."""
    folder, name = str(folder), str(name)
    return folder + name if not folder or folder.endswith("\\") else folder + "\\" + name


def from_codepage(text, codepage):
    """Ansible decodes a raw command's output as UTF-8, keeping undecodable bytes as
    surrogates (surrogateescape), which gives the node's bytes back exactly: decode them
    in the node's console code page (chcp), as lkrecover does."""
    codec = CODEC_OF_CODEPAGE.get(int(codepage))
    if codec is None:
        raise AnsibleFilterError("code page %s is not one this playbook reads" % codepage)
    return str(text).encode("utf-8", "surrogateescape").decode(codec)


class FilterModule:
    def filters(self):
        return {"cmd_program": cmd_program, "cmd_builtin": cmd_builtin,
                "cmd_if_exist": cmd_if_exist, "win_join": win_join,
                "from_codepage": from_codepage}
