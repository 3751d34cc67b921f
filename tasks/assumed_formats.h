// Every LifeKeeper, DataKeeper and Windows format the product relies on, each with its
// evidence beside it: an E-number of the runbook's "Evidence" table (docs/runbook.md), a
// runbook section (§N), or UNKNOWN where the public record is silent, in which case the
// parsers accept every plausible variant (docs/record-formats.md lists them) or refuse
// the cluster before any change with the raw line. Correct them here against a real
// installation; `lkrecover facts --raw DIR` collects what a real node prints.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lkr::tasks::assumed {

// --- Field separator of eqv_list / net_list / ins_list. Default Ctrl-A in every SIOS
// script that parses them (E1, E2); `-fC` chooses C (synopsis, runbook §1). We pass TAB
// (names may hold spaces; a Shift_JIS trail byte is never 0x09; Ctrl-A cannot travel in
// WinRM's XML), and accept Ctrl-A on a line that has no TAB (a -f the tool ignored).
inline constexpr char kFieldSeparator = '\t';
inline constexpr char kDefaultSeparator = '\x01';
std::string field_separator_flag();  // "-f" + kFieldSeparator, one argument

// --- eqv_list (runbook §1, field order confirmed by E2): system, tag, other system,
// other tag, type, priority, other priority.
inline constexpr std::size_t kEqvListFields = 7;
inline constexpr std::string_view kEqvListShape =
    "7 fields: system tag othersystem othertag type priority otherpriority";

// --- ins_list: at least 7 fields; info 6th (E8), state 7th (E2); fields 1-5 in the order
// of LifeKeeper's LCDI (app, restyp, tag, id, switchback; the filter flags -a -r -t -i
// name them). The field order on Windows is otherwise UNKNOWN: every eqv_list tag must be
// found as field 3 and every state must be one of kResourceStates, or the node is refused.
inline constexpr std::size_t kInsListMinFields = 7;
inline constexpr std::string_view kInsListShape =
    "at least 7 fields: app restyp tag id switchback info state [more]";
inline constexpr std::array<std::string_view, 4> kResourceStates = {"ISP", "ISU", "OSU", "OSF"};
bool is_resource_state(std::string_view state);
bool in_service(std::string_view resource_state);  // ISP or ISU
// A DataKeeper volume resource: app "filesys", type "volume" (the runbook's LKDRInfo
// folder %LKROOT%\subsys\filesys\resources\volume, §4); its id is the drive with its
// colon, `E:` (E8), or the bare letter (seen in older material): both accepted.
inline constexpr std::string_view kVolumeApp = "filesys";
inline constexpr std::string_view kVolumeType = "volume";
// The drive letter of a volume id, or nullopt when the id is no drive ("E:" -> "E").
std::optional<std::string> drive_of_volume_id(std::string_view id);
bool is_drive_letter(std::string_view volume);

// --- net_list: one comm path a line. E1: the second field of a TCP path is
// `local/remote`; E5 shows `<other> TCP <local>/<remote> <state> <priority>`. The Windows
// field list is UNKNOWN; these layouts are recognised by where the address pair stands:
//   other_first: other, local/remote, device, state, priority[, more]   (E1)
//   local_first: local, other, local/remote, device, state, priority[, more]
//   status:      other, TCP, local/remote, state, priority              (E5: no device)
// A line matching none, or more than one, is refused.
inline constexpr std::string_view kNetListShape =
    "other local/remote device state priority (or local other local/remote device state "
    "priority)";
inline constexpr std::array<std::string_view, 3> kCommPathStates = {"ALIVE", "DEAD", "UNKNOWN"};
// A comm path device: TCPIP:<port> (E3); anything else is kept as printed only when its
// layout leaves no doubt.
bool is_device(std::string_view field);

// --- getjobinfoforvol (runbook §5): "Key = value" blocks, a blank line or a new "ID ="
// between jobs; several tuples are printed in a way that is UNKNOWN (one MirrorEndPoints
// line per tuple, or joined by ';' on one line: both read). The job's tuples are taken
// from the registry (E6); the listing must name the same job IDs.
inline constexpr std::size_t kEndpointTupleFields = 7;
inline constexpr char kEndpointSeparator = ';';
// Job IDs are GUIDs (the runbook's sample); anything else is refused, because the ID
// becomes part of a registry key path that `reg delete /f` removes.
bool is_job_id(std::string_view id);

// --- emcmd status (runbook §5, E12): a line "Status = N"; 0 success, 15 not mirrored.
inline constexpr std::string_view kStatusKey = "Status";
inline constexpr int kStatusNotMirrored = 15;

// --- `emcmd . getmirrorvolinfo V` (E10): one line per mirror,
// `V: <role> <other system> <other IP> <state>`, state 0-5 (E11). A volume with no
// mirror prints nothing or `Status = 15` (E12; which one is UNKNOWN: both read).
inline constexpr std::string_view kMirrorLineShape =
    "\"V: <role> <other system> <other IP> <state 0-5>\" or \"Status = 15\"";
inline constexpr int kMaxMirrorState = 5;

// --- Registry (runbook §5, E6): a job is the key kJobsKey\<id>; its value Endpoints is a
// REG_MULTI_SZ of tuples (one per node pair, E7). `reg query KEY /s` prints it as
// `    Endpoints    REG_MULTI_SZ    t1\0t2` (reg.exe's rendering of a multi-string).
inline constexpr std::string_view kJobsKey =
    "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs";
inline constexpr std::string_view kEndpointsValue = "Endpoints";
std::string job_key(std::string_view job_id);  // kJobsKey + "\" + id
// How `reg query` prints the hive of kJobsKey in its listing (its own spelling).
inline constexpr std::string_view kLongHiveName = "HKEY_LOCAL_MACHINE";
// reg.exe's words for a key that does not exist (no DataKeeper job was ever made).
inline constexpr std::string_view kRegKeyMissing =
    "ERROR: The system was unable to find the specified registry key or value.";
// Where `reg export` writes the job's backup on the node before it is deleted, for as
// long as it takes to copy it into the audit folder and remove it. Our choice: the SYSTEM
// account's temporary folder, which only SYSTEM and Administrators can write (Windows'
// default ACL of %SystemRoot%\System32\config\systemprofile), not %SystemRoot%\Temp,
// where any local user can create files and plant one under our name. UNKNOWN whether
// every install has the folder: where reg export cannot write there, the snapshot step
// fails before any change.
// <system_root>\System32\config\systemprofile\AppData\Local\Temp\lkrecover-<id>.reg
std::string job_backup_path(std::string_view system_root, std::string_view job_id);

// --- Install folders: %LKROOT% (runbook "Names used"), %LKBIN% = %LKROOT%\Bin (E3),
// %ExtMirrBase% (E9); all three in the node's system environment, read with cmd's
// `set NAME` (`NAME=value` lines). DataKeeper installs to one of kDataKeeperFolders (E9).
inline constexpr std::string_view kLkRootVar = "LKROOT";
inline constexpr std::string_view kLkBinVar = "LKBIN";
inline constexpr std::string_view kExtMirrBaseVar = "ExtMirrBase";
inline constexpr std::array<std::string_view, 2> kDataKeeperFolders = {
    "C:\\Program Files (x86)\\SIOS\\DataKeeper", "C:\\Program Files\\SIOS\\DataKeeper"};
std::string lifekeeper_bin(std::string_view lk_root);  // <lk_root>\Bin
std::string lifekeeper_program(std::string_view lk_bin, std::string_view name);
std::string emcmd_program(std::string_view extmirrbase);

// --- Windows' own tools, by full path so that no folder earlier on the search path can
// stand in for them: reg.exe, hostname.exe and chcp.com live in %SystemRoot%\System32
// (Microsoft's Windows command reference; %SystemRoot% is read with `set SystemRoot`).
// `set SystemRoot`, `set LK` and `set ExtMirrBase` share one line read before `chcp`
// (controller/node_setup.cpp). Assumed: the console code pages cmd accepts (the OEM and
// ANSI ones, 65001) encode ASCII as ASCII (Microsoft's "Code Page Identifiers"). Where
// that fails, nothing is guessed: a value with any byte outside ASCII is read again after
// chcp, and output that does not read as `SystemRoot=...` is refused.
inline constexpr std::string_view kSystemRootVar = "SystemRoot";
std::string windows_tool(std::string_view system_root, std::string_view file);
inline constexpr std::string_view kRegTool = "reg.exe";
inline constexpr std::string_view kHostnameTool = "hostname.exe";
inline constexpr std::string_view kChcpTool = "chcp.com";

// --- The job backup's way off the node, byte for byte. `reg export` writes UTF-16LE with
// a BOM, and cmd's `type` turns such a file into the console's code page when its output
// is redirected (as it is over SSH and WinRM), so a name outside that code page would be
// lost and the copy would never be the file. What travels instead is certutil's base64 of
// the file (ASCII, which no code page alters), checked against certutil's SHA-256 of it.
// certutil.exe lives in %SystemRoot%\System32 with the other tools; syntax from
// Microsoft's certutil reference (learn.microsoft.com/windows-server/administration/
// windows-commands/certutil): "CertUtil [Options] -hashfile InFile [HashAlgorithm]",
// "CertUtil [Options] -encode InFile OutFile" with options [-f] [-UnicodeText], and
// "-f: Force overwrite".
inline constexpr std::string_view kCertutilTool = "certutil.exe";
// `certutil -hashfile FILE SHA256` prints three lines: "SHA256 hash of [file ]FILE:", the
// digest, "CertUtil: -hashfile command completed successfully." On current Windows the
// digest is 64 lowercase hex digits (Microsoft's .NET docs, "verify the download":
// dotnet/docs docs/core/install/includes/verify-download-windows.md); older certutil
// printed 32 two-digit pairs separated by one space after "SHA256 hash of file FILE:"
// (transcripts, e.g. gist.github.com/zoffixznet/90bb0adfdae21f92a0fc07f4afc932b7). Both
// are read, in either case; anything else is refused with the raw line. The first and
// last lines are localized (a Chinese Windows prints "SHA256 的 FILE 哈希:"), so they are
// counted, not read.
inline constexpr std::string_view kHashAlgorithm = "SHA256";
inline constexpr std::size_t kSha256HexDigits = 64;
inline constexpr std::size_t kHashfileLines = 3;
// `certutil -f -encode IN OUT` writes OUT as "-----BEGIN CERTIFICATE-----", the base64
// of IN in lines of 64 characters, "-----END CERTIFICATE-----", every line ending CRLF,
// and prints "Input Length = N", "Output Length = M", "CertUtil: -encode command
// completed successfully." The "Output Length" of published transcripts counts exactly
// that layout: 1380 input bytes give 1954 and 2150 give 3014 in Microsoft's Azure Stack
// Edge docs (MicrosoftDocs/azure-docs, articles/databox-online/azure-stack-edge-gpu-
// deploy-virtual-machine-templates.md: 29 + 1840 + 29 x 2 + 27 = 1954), 272 give 432 in
// others. -f because certutil refuses an OUT that exists ("EncodeToFile returned The
// file exists. 0x80070050 (WIN32: 80 ERROR_FILE_EXISTS)", in a public measurement of
// certutil 10.0.26100 and in scripts that delete OUT first for that reason), placed
// before the verb, since an option after it counts as an argument ("-encode IN -f OUT":
// too many arguments, exit 1, same measurement). UNKNOWN whether every older certutil
// takes -f with -encode (the reference applies to Windows Server 2012 and later): where
// one refuses it, the snapshot step fails before any change.
inline constexpr std::string_view kEncodedBegin = "-----BEGIN CERTIFICATE-----";
inline constexpr std::string_view kEncodedEnd = "-----END CERTIFICATE-----";
inline constexpr std::size_t kEncodedLineChars = 64;
// Where certutil writes the base64 of a backup: beside it, "<backup>.b64".
std::string encoded_copy_path(std::string_view file);

// --- LKDRInfo files (runbook §4): %LKROOT%\subsys\filesys\resources\volume\LKDRInfo.<V>.
std::string lkdrinfo_path(std::string_view lk_root, std::string_view volume);

// --- The `if exist` probe prints one of these (transports/command.h CommandKind::if_exist).
inline constexpr std::string_view kExists = "yes";
inline constexpr std::string_view kMissing = "no";

// --- Several read-only commands in one cmd.exe line (transports/command_batch.h): each
// followed by `call echo NONCE I %^ERRORLEVEL%^` and `echo NONCE I 1>&2`, after `(call )`.
// cmd.exe expands %VAR% for the whole line before it runs any of it, and CALL expands
// the line it runs once more when it runs (dbenham, "How does the Windows Command
// Interpreter (CMD.EXE) parse scripts?", Stack Overflow question 4094699, phases 1 and 6);
// `(call )` sets ERRORLEVEL 0 (the same answer's "CALL" notes). Checked under Wine's
// cmd.exe (tests/wine) and the lab's. No LifeKeeper command's output is assumed to stay
// clear of the marker: the nonce is 128 random bits, new for every line, and a line whose
// markers are not whole and in order is refused, none of its results used.

// --- LCD exit codes (E13): 0 ok, 2 syntax, 7 no such object, 9 other system unreachable.
// A list command on an empty database exits 0 or 7 (UNKNOWN): 7 is accepted only with
// no output at all.
inline constexpr int kLcdNoSuchObject = 7;

}  // namespace lkr::tasks::assumed
