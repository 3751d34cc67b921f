// Sample outputs for the tasks tests: the runbook's own samples copied verbatim, and
// lines built from the public record (the E-numbers of RUNBOOK.md's "Evidence") where the
// runbook shows none. LF line ends; tests add CRLF with crlf().
#pragma once

#include <string>

namespace lkr::tasks::test {

// RUNBOOK §1, `eqv_list` as the knowledge-base page shows it (spaces).
inline const std::string kEqvListSample =
    "BENHOGAN2008 LK1-BENHOGAN2K8 GPLAYER2008 LK1-BENHOGAN2K8 SHARED 1 10\n"
    "BENHOGAN2008 Vol.E GPLAYER2008 Vol.E SHARED 1 10\n";

// RUNBOOK §5, `emcmd . getjobinfoforvol E`.
inline const std::string kJobInfoSample =
    "ID = e829700c-27b0-447f-b852-1a3135da31a7\n"
    "Name = E Vol\n"
    "Description =\n"
    "MirrorEndPoints = BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A\n";

// RUNBOOK §6, `sys_list`.
inline const std::string kSysListSample = "BENHOGAN2008\nGPLAYER2008\n";

// net_list's seed path in the other_first layout: E1 (2nd field local/remote), E3
// (device TCPIP:1500), E5 (other system, state, priority). Spaces stand for separators.
inline const std::string kNetListSample = "GPLAYER2008 10.200.8.25/10.200.8.26 TCPIP:1500 DEAD 1\n";

// ins_list's seed lines: app restyp tag id switchback info state (E2: state 7th; E8: info
// 6th, a volume's id `E:`), then LCDI's further fields. `|` stands for separators (info
// and reason hold spaces).
inline const std::string kInsListSample =
    "comm|ip|LK1-BENHOGAN2K8|10.200.8.100|INTELLIGENT|10.200.8.100 255.255.255.0|ISP|restore "
    "action has succeeded|AUTORES_ISP\n"
    "filesys|volume|Vol.E|E:|INTELLIGENT|E: DataKeeper|ISP|restore action has "
    "succeeded|AUTORES_ISP\n";

// E10's line, verbatim, and the seed's mirror toward the lost node (broken, E11).
inline const std::string kMirrorInfoE10 = "E: 1 LEX2 172.17.103.134 1\n";
inline const std::string kMirrorInfoSample = "E: 1 GPLAYER2008 10.200.8.26 3\n";

inline const std::string kJobId = "e829700c-27b0-447f-b852-1a3135da31a7";
inline const std::string kJobsKeyLong =
    "HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\ExtMirr\\Parameters\\Jobs";

// `reg query <Jobs key> /s` as reg.exe lays it out, for jobs given as (id, name, tuples
// joined by "\0").
inline std::string reg_jobs(const std::string& id, const std::string& name,
                            const std::string& endpoints) {
  return "\n" + kJobsKeyLong + "\n\n" + kJobsKeyLong + "\\" + id + "\n    Name    REG_SZ    " +
         name + "\n    Description    REG_SZ    \n    Endpoints    REG_MULTI_SZ    " + endpoints +
         "\n\n";
}
inline const std::string kRegJobsSample =
    reg_jobs(kJobId, "E Vol", "BENHOGAN2008;E;10.200.8.25;GPLAYER2008;E;10.200.8.26;A");

// LF -> CRLF, as cmd.exe on the node writes it.
inline std::string crlf(const std::string& lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// Replaces every `from` (a space or '|' in the samples) with `to`.
inline std::string separated(const std::string& text, char from, char to) {
  std::string out = text;
  for (char& c : out)
    if (c == from) c = to;
  return out;
}
// The space-separated layout turned into the -f<TAB> layout.
inline std::string tabbed(const std::string& spaced) { return separated(spaced, ' ', '\t'); }
// ... and into the tools' default Ctrl-A layout (E1, E2).
inline std::string ctrl_a(const std::string& spaced) { return separated(spaced, ' ', '\x01'); }

}  // namespace lkr::tasks::test
