// RUNBOOK.md's sample outputs, copied verbatim (LF line ends; tests add CRLF with crlf()),
// and helpers shared by the tasks tests.
#pragma once

#include <string>

namespace lkr::tasks::test {

// RUNBOOK §1, `eqv_list` (default white-space layout).
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

// RUNBOOK §7, the ASSUMED net_list example line.
inline const std::string kNetListSample =
    "BENHOGAN2008 GPLAYER2008 10.200.8.25 10.200.8.26 DEAD 1 TCP\n";

// RUNBOOK "Additional", the ASSUMED ins_list example line.
inline const std::string kInsListSample = "filesys volume Vol.E E IS-ISP\n";

inline const std::string kJobId = "e829700c-27b0-447f-b852-1a3135da31a7";

// LF -> CRLF, as cmd.exe on the node writes it.
inline std::string crlf(const std::string& lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// The runbook's space-separated layout turned into the -f<TAB> layout.
inline std::string tabbed(const std::string& spaced) {
  std::string out = spaced;
  for (char& c : out)
    if (c == ' ') c = '\t';
  return out;
}

}  // namespace lkr::tasks::test
