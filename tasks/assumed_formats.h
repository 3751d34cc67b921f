// Every format and location RUNBOOK.md marks ASSUMED, and every choice this project made
// where the runbook is silent, in one place: correct them here against a real
// installation. Each entry cites the runbook section it stands in for.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lkr::tasks::assumed {

// --- Field separator of eqv_list / net_list / ins_list (RUNBOOK §1 "-fC ... ASSUMED: as
// in LifeKeeper for Linux"). TAB, because tags, job names and system names may hold
// spaces and any printable character; a Shift_JIS trail byte (0x40-0xFC) never equals 0x09.
inline constexpr char kFieldSeparator = '\t';
// The flag as one argument, "-f" immediately followed by the separator (synopsis "[-fC]").
std::string field_separator_flag();

// --- eqv_list fields (RUNBOOK §1, given by the source): system, tag, other system,
// other tag, type, priority, other priority.
inline constexpr std::size_t kEqvListFields = 7;
inline constexpr std::string_view kEqvListShape =
    "7 fields: system tag othersystem othertag type priority otherpriority";

// --- net_list fields (RUNBOOK §7, ASSUMED as in LifeKeeper for Linux):
// system othersystem localaddr remoteaddr state priority type.
inline constexpr std::size_t kNetListFields = 7;
inline constexpr std::string_view kNetListShape =
    "7 fields: system othersystem localaddr remoteaddr state priority type";

// --- ins_list fields (RUNBOOK "Additional", ASSUMED): appname restype tag id state.
inline constexpr std::size_t kInsListFields = 5;
inline constexpr std::string_view kInsListShape = "5 fields: appname restype tag id state";
// A DataKeeper-mirrored volume is a resource of app "filesys", type "volume", whose id
// is the drive letter (RUNBOOK "Additional" example `filesys volume Vol.E E IS-ISP`).
inline constexpr std::string_view kVolumeApp = "filesys";
inline constexpr std::string_view kVolumeType = "volume";
// A resource is in service where its state says ISP ("ISP", "IS-ISP"); our choice.
bool in_service(std::string_view resource_state);

// --- getjobinfoforvol (RUNBOOK §5): "Key = value" lines; with several jobs on one
// volume, blocks separated by an empty line (ASSUMED). A new "ID =" line also starts a
// new block. MirrorEndPoints is a ';'-joined list of 7-field tuples
// source;volume;sourceIP;target;volume;targetIP;type (ASSUMED beyond one tuple).
inline constexpr std::size_t kEndpointTupleFields = 7;
inline constexpr char kEndpointSeparator = ';';
// Job IDs are GUIDs (the runbook's sample); anything else is refused, because the ID
// becomes part of a registry key path that `reg delete /f` removes.
bool is_job_id(std::string_view id);

// --- emcmd status (RUNBOOK §5): a line "Status = N"; 0 is success.
inline constexpr std::string_view kStatusKey = "Status";

// --- `emcmd . getmirrorvolinfo V` (ASSUMED; the runbook does not show it): one line per
// target, "V: <sourceIP> <targetIP> <state>"; no line when the volume has no mirror.
inline constexpr std::string_view kMirrorLineShape = "\"V: <sourceIP> <targetIP> <state>\"";

// --- Registry (RUNBOOK §5): the DataKeeper job keys.
inline constexpr std::string_view kJobsKey =
    "HKLM\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs";
std::string job_key(std::string_view job_id);  // kJobsKey + "\" + id
// How `reg query` prints the hive of kJobsKey in its listing (its own spelling).
inline constexpr std::string_view kLongHiveName = "HKEY_LOCAL_MACHINE";
// Where `reg export` writes the job's backup on the node before it is deleted (our
// choice: a folder every Windows has, a name that says who wrote it).
std::string job_backup_path(std::string_view job_id);  // C:\Windows\Temp\lkrecover-<id>.reg

// --- Program locations (RUNBOOK "Names used"): LifeKeeper's commands in
// %LKROOT%\Bin\<name>.exe, emcmd in %ExtMirrBase%\emcmd.exe; reg on the PATH.
std::string lifekeeper_program(std::string_view lk_root, std::string_view name);
std::string emcmd_program(std::string_view extmirrbase);
inline constexpr std::string_view kRegProgram = "reg";

// --- LKDRInfo files (RUNBOOK §4): %LKROOT%\subsys\filesys\resources\volume\LKDRInfo.<V>.
std::string lkdrinfo_path(std::string_view lk_root, std::string_view volume);
// Only drive letters are looked at: the volume becomes part of a path given to `del`.
bool is_drive_letter(std::string_view volume);

// --- The `if exist` probe prints one of these (transports/command.h CommandKind::if_exist).
inline constexpr std::string_view kExists = "yes";
inline constexpr std::string_view kMissing = "no";

}  // namespace lkr::tasks::assumed
