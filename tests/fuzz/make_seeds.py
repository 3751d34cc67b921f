#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (corpus/<target>/) from RUNBOOK.md's sample
outputs, lines built from the public record (docs/record-formats.md) and the inventories
of the tests and README. The first byte
of a parser seed picks the parser (see each *_fuzz.cpp). Run again after changing it."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
JOB = "e829700c-27b0-447f-b852-1a3135da31a7"
JOBS_KEY = "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs"
EQV = ("BENHOGAN2008 LK1-BENHOGAN2K8 GPLAYER2008 LK1-BENHOGAN2K8 SHARED 1 10\n"
       "BENHOGAN2008 Vol.E GPLAYER2008 Vol.E SHARED 1 10\n")
EQV_TAB = EQV.replace(" ", "\t")
EQV_ODD = ("BENHOGAN2008\tSQL & \"Data\" (100%)\tGPLAYER2008\t^caret|pipe<>!\tSHARED\t1\t10\n"
           "サーバー一\tボリューム E\tサーバー二\tボリューム E\tSHARED\t1\t10\n")
SYS = "BENHOGAN2008\nGPLAYER2008\n"
NET = "GPLAYER2008 10.200.8.25/10.200.8.26 TCPIP:1500 DEAD 1\n"  # E1, E3, E5
NET_LOCAL_FIRST = "BENHOGAN2008 GPLAYER2008 10.200.8.25/10.200.8.26 TCPIP:1500 DEAD 1\n"
INS = ("comm|ip|LK1-BENHOGAN2K8|10.200.8.100|INTELLIGENT|10.200.8.100 255.255.255.0|ISP\n"
       "filesys|volume|Vol.E|E:|INTELLIGENT|E: DataKeeper|ISP|restore ok|AUTORES_ISP\n")  # E2, E8
JOBINFO = ("ID = %s\nName = E Vol\nDescription =\n"
           "MirrorEndPoints = BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A\n" % JOB)
JOBINFO3 = ("ID = %s\nName = Job & (3 targets) 100%%\nDescription = \"x\" ^ !\n"
            "MirrorEndPoints = A;E;10.0.0.1;B;E;10.0.0.2;A;A;E;10.0.0.1;C;E;10.0.0.3;S;"
            "B;E;10.0.0.2;C;E;10.0.0.3;A\n\n"
            "ID = 0a1b2c3d-0000-4111-8222-333344445555\nName = F\nDescription =\n"
            "MirrorEndPoints = A;F;10.0.0.1;B;F;10.0.0.2;S\n" % JOB)
MIRROR = "E: 1 GPLAYER2008 10.200.8.26 3\n"  # E10, E11
REG_JOBS = ("\n%s\n\n%s\\%s\n    Name    REG_SZ    E Vol\n    Description    REG_SZ    \n"
            "    Endpoints    REG_MULTI_SZ    BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A"
            "\\0BENHOGAN2008;E;10.200.8.25;THIRD;E;10.200.8.27;A\n\n" % (JOBS_KEY, JOBS_KEY, JOB))  # E6, E7
REG = "\n%s\\%s\n%s\\0a1b2c3d-0000-4111-8222-333344445555\n" % (JOBS_KEY, JOB, JOBS_KEY)
REG_VALUES = "\n%s\n    Count    REG_DWORD    0x1\n\n%s\\%s\n" % (JOBS_KEY, JOBS_KEY, JOB)
SYS_REMOVE_424 = ('(null)Process: sys_remove(2728)\n[File:sys.C Line:81]\n'
                  '*ERROR* (No. 424) can\'t remove entry for local system "BENHOGAN2008"\n')


def crlf(text):
    return text.replace("\n", "\r\n")


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def parser_seeds(target, cases):
    for name, selector, text in cases:
        write(target, name, bytes([selector]) + text.encode("utf-8"))
        write(target, name + "-crlf", bytes([selector]) + crlf(text).encode("utf-8"))


# lifekeeper_lists: selector % 4 = eqv/sys/net/ins; 0x10: the -f separator is TAB, else '|'
# (lines without it split on Ctrl-A).
parser_seeds("lifekeeper_lists", [
    ("eqv-blank", 0, EQV), ("eqv-tab", 0x30, EQV_TAB), ("eqv-odd-names", 0x30, EQV_ODD),
    ("eqv-pipe", 0x10, EQV.replace(" ", "|")), ("eqv-empty", 0, ""),
    ("sys", 1, SYS), ("sys-japanese", 1, "サーバー一\nBENHOGAN2008\n"),
    ("net-ctrl-a", 2, NET.replace(" ", "\x01")), ("net-tab", 0x32, NET.replace(" ", "\t")),
    ("net-local-first", 0x32, NET_LOCAL_FIRST.replace(" ", "\t")),
    ("ins-ctrl-a", 3, INS.replace("|", "\x01")), ("ins-tab", 0x33, INS.replace("|", "\t")),
    ("error-424", 1, SYS_REMOVE_424),
])
# datakeeper_output: selector % 5 = getjobinfoforvol / endpoints / Status / reg query jobs /
# mirrorvolinfo.
parser_seeds("datakeeper_output", [
    ("jobinfo", 0, JOBINFO), ("jobinfo-3-tuples-2-jobs", 0, JOBINFO3), ("jobinfo-none", 0, ""),
    ("endpoints", 1, "BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A"),
    ("status-0", 2, "Status = 0\n"), ("status-15", 2, "Status = 15\n"),
    ("mirrorinfo", 4, MIRROR), ("mirrorinfo-none", 4, "Status = 15\n"),
    ("mirrorinfo-e10", 4, "E: 1 LEX2 172.17.103.134 1\n"), ("reg-jobs", 3, REG_JOBS),
])
# windows_output: selector % 8 = chcp / hostname / if exist / reg query / quote_line / split /
# certutil -hashfile / certutil -encode's file.
DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
HASHFILE = ("SHA256 hash of C:\\Windows\\Temp\\job.reg:\n%s\n"
            "CertUtil: -hashfile command completed successfully.\n")
ENCODED = ("-----BEGIN CERTIFICATE-----\n" + "//5XAGkAbgBkAG8AdwBzACAAUgBlAGcAaQBzAHQAcgB5ACAARQBkAGkAdABvAHIA\n"
           + "IABWAGUAcgBzAGkAbwBuACAANQAuADAAMAANAAoA\n-----END CERTIFICATE-----\n")
parser_seeds("windows_output", [
    ("chcp-437", 0, "Active code page: 437\n"), ("chcp-932", 0, "現在のコード ページ: 932\n"),
    ("chcp-period", 0, "Active code page: 65001.\n"),
    ("hostname", 1, "BENHOGAN2008\n"), ("if-yes", 2, "yes\n"), ("if-no", 2, "no\n"),
    ("reg-subkeys", 3, REG), ("reg-values", 3, REG_VALUES),
    ("quote", 4, "bad \x01 line \u00e9"), ("split", 5, EQV),
    ("hashfile-plain", 6, HASHFILE % DIGEST),
    ("hashfile-spaced", 6, HASHFILE % " ".join(DIGEST[i:i + 2] for i in range(0, 64, 2))),
    ("encoded", 7, ENCODED),
])
# node_facts: the answers to hostname, sys_list, eqv_list, net_list, ins_list, reg query,
# then per volume getjobinfoforvol, getmirrorvolinfo and the LKDRInfo probe, separated by
# 0x1E.
answers = ["BENHOGAN2008\n", SYS, EQV_TAB, NET.replace(" ", "\t"), INS.replace("|", "\t"),
           REG_JOBS, JOBINFO, MIRROR, "yes\n"]
write("node_facts", "seed-survivor", "\x1e".join(answers))
write("node_facts", "seed-survivor-crlf", "\x1e".join(crlf(a) for a in answers))
write("node_facts", "lifekeeper-down", "BENHOGAN2008\n\x1e!LifeKeeper is not running\n")
write("node_facts", "clean", "\x1e".join(["BENHOGAN2008\n", "BENHOGAN2008\n", "", "", "",
                                         "\n%s\n\n" % JOBS_KEY]))
write("node_facts", "truncated", "\x1e".join(["BENHOGAN2008\n", SYS, "~" + EQV_TAB]))
# codepage: the selector picks 437, 850, 932, 1252, 65001, 936, 949, 950 (index % 8).
write("codepage", "cp437", b"\x00" + "Active code page: 437\r\n".encode() + bytes(range(128, 256)))
write("codepage", "cp932", b"\x02" + "現在のコード ページ: 932\r\nサーバー\r\n".encode("shift_jis"))
write("codepage", "cp932-invalid", b"\x02\x81\n\x80\xe3\x81\x00\xff\xfe")
write("codepage", "cp65001", b"\x04" + "ボリューム E\r\n".encode() + b"\xc3\x28\xed\xa0\x80")
write("codepage", "cp1252", b"\x03" + bytes(range(128, 256)))
# inventory: the README's example, the lab's generated shape, JSON, and odd names.
write("inventory", "readme.yml", """all:
  vars:
    ansible_user: Administrator
    lk_known_hosts: ~/.ssh/known_hosts
  children:
    sql-prod:
      vars:
        lk_cluster: true
        lk_replaced: GPLAYER2008
      hosts:
        BENHOGAN2008:
          ansible_host: 10.200.8.25
          ansible_ssh_private_key_file: ~/.ssh/id_ed25519
        GPLAYER2008:              # the reinstalled node: checked to be fresh, never changed
          ansible_host: 10.200.8.26
""")
write("inventory", "lab-like.yml", """all:
  vars:
    ansible_user: root
    ansible_connection: ssh
    ansible_shell_type: cmd
  children:
    "sql & prod (1)":
      vars: {lk_cluster: true, lk_replaced: "サーバー二"}
      hosts:
        "サーバー一":
          ansible_host: 127.10.0.1
          ansible_port: 2222
          lk_codepage: 932
          lk_root: 'C:\\LK'
          dk_extmirrbase: 'C:\\Program Files\\SIOS\\DataKeeper'
        "サーバー二": {ansible_host: 127.10.0.2, ansible_password: "p&^%\\"w"}
    other:
      children:
        nested: {vars: {lk_cluster: true, lk_replaced: B}, hosts: {A: {}, B: {}}}
""")
write("inventory", "json.json", """{"all": {"children": {"c1": {"vars": {"lk_cluster": true,
 "lk_replaced": "R"}, "hosts": {"S": {"ansible_host": "127.0.0.5"}, "R": null}}}}}
""")

# wsman_reply: selector % 6 = fault / shell id / command id / receive / relates-to / base64.
NS = ('xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
      'xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd" '
      'xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" '
      'xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
      'xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" '
      'xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer"')


def soap(action, body):
    return ('<?xml version="1.0" ?><s:Envelope xml:lang="en-US" %s><s:Header><a:Action>%s'
            '</a:Action><a:MessageID>uuid:11111111-1111-1111-1111-111111111112</a:MessageID>'
            '<a:RelatesTo>uuid:11111111-1111-1111-1111-111111111111</a:RelatesTo></s:Header>'
            '<s:Body>%s</s:Body></s:Envelope>' % (NS, action, body))


CMD = "11111111-2222-3333-4444-555555555555"
SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
write("wsman_reply", "fault", b"\x00" + soap(
    "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault",
    '<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value>'
    '</s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">The WS-Management service cannot '
    'complete the operation within the time specified in OperationTimeout.</s:Text></s:Reason>'
    '<s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" '
    'Code="2150858793" Machine="node"><f:Message>timed out</f:Message></f:WSManFault>'
    '</s:Detail></s:Fault>').encode())
write("wsman_reply", "create", b"\x01" + soap(
    "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse",
    '<x:ResourceCreated><a:Address>http://127.0.0.1:5985/wsman</a:Address><a:ReferenceParameters>'
    '<w:ResourceURI>%s/cmd</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">'
    'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE</w:Selector></w:SelectorSet></a:ReferenceParameters>'
    '</x:ResourceCreated><rsp:Shell><rsp:ShellId>AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE</rsp:ShellId>'
    '</rsp:Shell>' % SHELL_URI).encode())
write("wsman_reply", "command", b"\x02" + soap(
    SHELL_URI + "/CommandResponse",
    "<rsp:CommandResponse><rsp:CommandId>%s</rsp:CommandId></rsp:CommandResponse>" % CMD).encode())
write("wsman_reply", "receive", b"\x03" + soap(
    SHELL_URI + "/ReceiveResponse",
    '<rsp:ReceiveResponse><rsp:Stream Name="stdout" CommandId="%s">QkVOSE9HQU4yMDA4DQo=</rsp:Stream>'
    '<rsp:Stream Name="stderr" CommandId="%s">gVuDVA==</rsp:Stream>'
    '<rsp:Stream Name="stdout" CommandId="%s" End="true"></rsp:Stream>'
    '<rsp:CommandState CommandId="%s" State="%s/CommandState/Done"><rsp:ExitCode>0</rsp:ExitCode>'
    '</rsp:CommandState></rsp:ReceiveResponse>' % (CMD, CMD, CMD, CMD, SHELL_URI)).encode())
write("wsman_reply", "relates-to", b"\x04" + soap("x", "").encode())
write("wsman_reply", "base64", b"\x05QkVOSE9HQU4yMDA4DQo=\n  gVuDVA==")
