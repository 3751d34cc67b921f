// A fake node for the tasks tests: a ReadFn that answers the runbook's read-only
// commands from canned outputs (in the -f<TAB> layout gather_facts asks for), and
// records every command it was asked to run.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/action.h"
#include "tests/unit/tasks/runbook_samples.h"

namespace lkr::tasks::test {

struct FakeNode {
  std::string hostname = "BENHOGAN2008";
  std::string sys_list, eqv_list, net_list, ins_list, reg_jobs;  // stdout, LF; served as CRLF
  std::map<std::string, std::string> job_info, mirror_info;      // by volume
  std::set<std::string> lkdrinfo;                                // volumes whose file exists
  int sys_list_exit = 0;
  int empty_list_exit = 0;  // what an empty listing exits with (E13: 0 or 7)
  mutable std::vector<Command> asked;

  CommandResult answer(const Command& c) const {
    asked.push_back(c);
    if (c.kind == CommandKind::if_exist) {
      const std::string& path = c.args.at(0).text;
      std::string prefix = "C:\\LK\\subsys\\filesys\\resources\\volume\\LKDRInfo.";
      bool present = path.rfind(prefix, 0) == 0 && lkdrinfo.count(path.substr(prefix.size()));
      return ok(present ? "yes\n" : "no\n");
    }
    if (c.program == "C:\\Windows\\System32\\hostname.exe") return ok(hostname + "\n");
    auto is = [&](const char* exe) { return c.program == std::string("C:\\LK\\Bin\\") + exe; };
    bool tab_flag = c.args.size() == 1 && c.args[0].text == "-f\t";
    if (is("sys_list.exe") && c.args.empty()) {
      if (sys_list_exit != 0)
        return fail(sys_list_exit,
                    "'sys_list' is not recognized as an "
                    "internal or external command");
      return ok(sys_list);
    }
    if (is("eqv_list.exe") && tab_flag) return listing(eqv_list);
    if (is("net_list.exe") && tab_flag) return listing(net_list);
    if (is("ins_list.exe") && tab_flag) return listing(ins_list);
    if (c.program == "C:\\Windows\\System32\\reg.exe" && c.args.size() == 3 &&
        c.args[0].text == "query" && c.args[2].text == "/s") {
      if (reg_jobs.empty())
        return fail(1, "ERROR: The system was unable to find the specified registry key or value.");
      return ok(reg_jobs);
    }
    if (c.program == "C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe" && c.args.size() == 3 &&
        c.args[0].text == ".") {
      if (c.args[1].text == "getmirrorvolinfo") {
        auto it = mirror_info.find(c.args[2].text);
        if (it == mirror_info.end()) return with_code(15, "Status = 15\n");  // E12
        return ok(it->second);
      }
      if (c.args[1].text == "getjobinfoforvol") {
        auto it = job_info.find(c.args[2].text);
        return ok(it == job_info.end() ? "" : it->second);
      }
    }
    return fail(9009, "unexpected command " + c.program);
  }

  ReadFn reader() const {
    return [this](const std::string&, const Command& c) { return answer(c); };
  }

 private:
  CommandResult listing(const std::string& out) const {
    return out.empty() ? with_code(empty_list_exit, "") : ok(out);
  }
  static CommandResult with_code(int code, const std::string& out) {
    CommandResult r;
    r.exit_code = code;
    r.stdout_utf8 = crlf(out);
    return r;
  }
  static CommandResult ok(const std::string& out) { return with_code(0, out); }
  static CommandResult fail(int code, const std::string& err) {
    CommandResult r;
    r.exit_code = code;
    r.stderr_utf8 = err + "\r\n";
    return r;
  }
};

// The seed cluster of RUNBOOK.md/LAB.md: survivor BENHOGAN2008 before any cleaning,
// replaced node GPLAYER2008; outputs from the samples in the -f<TAB> layout.
inline FakeNode seed_survivor() {
  FakeNode n;
  n.sys_list = kSysListSample;
  n.eqv_list = tabbed(kEqvListSample);
  n.net_list = tabbed(kNetListSample);
  n.ins_list = separated(kInsListSample, '|', '\t');
  n.reg_jobs = kRegJobsSample;
  n.job_info["E"] = kJobInfoSample;
  n.mirror_info["E"] = kMirrorInfoSample;
  n.lkdrinfo = {"E"};
  return n;
}

// The same survivor once every step has run: nothing of GPLAYER2008 left.
inline FakeNode clean_survivor() {
  FakeNode n = seed_survivor();
  n.sys_list = "BENHOGAN2008\n";
  n.eqv_list = "";
  n.net_list = "";
  n.reg_jobs = "";
  n.job_info.clear();
  n.mirror_info.clear();
  n.lkdrinfo.clear();
  return n;
}

// The reinstalled GPLAYER2008 (LAB.md: only itself, nothing else).
inline FakeNode fresh_replaced() {
  FakeNode n;
  n.hostname = "GPLAYER2008";
  n.sys_list = "GPLAYER2008\n";
  return n;
}

inline Host host_named(const std::string& system) {
  Host h;
  h.name = system;
  h.system = system;
  return h;
}

}  // namespace lkr::tasks::test
