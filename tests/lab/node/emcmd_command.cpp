// DataKeeper's emcmd (RUNBOOK step 5): `emcmd <server> <command> [params]`, where the
// server "." is the local machine. Exit code = the Status value.
#include <algorithm>

#include "tests/lab/node/commands.h"
#include "tests/lab/node/text_util.h"

namespace lab {
namespace {

constexpr int kStatusNoMirror = 15;  // runbook: "Status = 15" where the volume has no mirror
// ASSUMED: deletejob fails the way a Win32 RPC to a lost node does (RPC server unavailable).
constexpr int kStatusUnreachable = 1722;
constexpr int kStatusNoSuchJob = 2;

bool names_local_server(const CommandContext& c, const std::string& server) {
  return server == "." || iequals(server, c.state().system) ||
         iequals(server, c.session.env("COMPUTERNAME").value_or("")) || server == c.state().address;
}

// Whether a job's endpoint tuples name volume `v` on the local system.
bool job_names_local_volume(const RegistryJob& j, const std::string& system, const std::string& v) {
  for (const auto& tuple : j.endpoints) {
    auto f = split_any(tuple, ";");
    if (f.size() < 7) continue;
    if ((iequals(f[0], system) && iequals(f[1], v)) || (iequals(f[3], system) && iequals(f[4], v)))
      return true;
  }
  return false;
}

int status(CommandContext& c, int value) {
  c.out_line(c.msg(Msg::emcmd_status, {std::to_string(value)}));
  return value;
}

int get_job_info_for_vol(CommandContext& c, const std::string& volume) {
  bool first = true;
  for (const auto& j : c.state().registry_jobs) {
    if (!job_names_local_volume(j, c.state().system, volume)) continue;
    if (!first) c.out_line("");
    first = false;
    c.out_line("ID = " + j.id);
    c.out_line("Name = " + j.name);
    c.out_line("Description =" + (j.description.empty() ? "" : " " + j.description));
    // How several tuples print is UNKNOWN (runbook step 5): the cluster's jobinfo_endpoints.
    if (c.state().formats.jobinfo_endpoints == "one_line") {
      c.out_line("MirrorEndPoints = " + join(j.endpoints, ";"));
    } else {
      for (const auto& tuple : j.endpoints) c.out_line("MirrorEndPoints = " + tuple);
    }
  }
  return 0;
}

// DataKeeper deletes a job on every node of the job; the lost node never answers.
int delete_job(CommandContext& c, const std::string& id) {
  for (const auto& j : c.state().registry_jobs) {
    if (!iequals(j.id, id)) continue;
    for (const auto& tuple : j.endpoints) {
      auto f = split_any(tuple, ";");
      if (f.size() < 7) continue;
      bool local_is_source = iequals(f[0], c.state().system);
      std::string other = local_is_source ? f[3] : f[0];
      std::string other_ip = local_is_source ? f[5] : f[2];
      c.err_line(c.msg(Msg::emcmd_unreachable, {id, other, other_ip}));
      return status(c, kStatusUnreachable);
    }
    c.err_line(c.msg(Msg::emcmd_unreachable, {id, "?", "?"}));
    return status(c, kStatusUnreachable);
  }
  c.err_line(c.msg(Msg::emcmd_job_not_found, {id}));
  return status(c, kStatusNoSuchJob);
}

int delete_local_mirror_only(CommandContext& c, const std::string& volume) {
  bool removed = false;
  c.modify_state([&](NodeState& s) {
    auto it = std::find_if(s.mirrors.begin(), s.mirrors.end(),
                           [&](const Mirror& m) { return iequals(m.volume, volume); });
    if (it == s.mirrors.end()) return;
    s.mirrors.erase(it);
    removed = true;
  });
  return status(c, removed ? 0 : kStatusNoMirror);
}

int clear_switchover(CommandContext& c, const std::string& volume) {
  bool known = false;
  c.modify_state([&](NodeState& s) {
    known = std::any_of(s.dk_volumes.begin(), s.dk_volumes.end(),
                        [&](const std::string& v) { return iequals(v, volume); });
    for (auto& m : s.mirrors)
      if (iequals(m.volume, volume)) m.switchover = false;
  });
  return status(c, known ? 0 : kStatusNoMirror);
}

// One line per mirror, "V: <role> <other system> <other IP> <state>" (E10, states E11):
// on the source role 1 and a line per target; on a target role 2 (UNKNOWN in the record)
// and one line naming the source. No mirror: the cluster's mirror_info_none, "Status = 15"
// (E12) or nothing.
int get_mirror_vol_info(CommandContext& c, const std::string& volume) {
  size_t lines = 0;
  for (const auto& m : c.state().mirrors) {
    if (!iequals(m.volume, volume)) continue;
    auto line = [&](const char* role, const std::string& system, const std::string& ip, int state) {
      c.out_line(m.volume + ": " + role + " " + system + " " + ip + " " + std::to_string(state));
      ++lines;
    };
    if (m.role == "source") {
      for (size_t i = 0; i < m.targets.size(); ++i)
        line("1", i < m.target_systems.size() ? m.target_systems[i] : "?", m.targets[i],
             i < m.target_states.size() ? m.target_states[i] : m.state);
    } else {
      line("2", m.source_system, m.source, m.state);
    }
  }
  if (lines == 0 && c.state().formats.mirror_info_none == "status15")
    return status(c, kStatusNoMirror);
  return 0;
}

}  // namespace

int dk_emcmd(CommandContext& c) {
  const auto& a = c.argv;
  if (a.size() != 4) {
    c.err_line(c.msg(Msg::emcmd_usage));
    return 1;
  }
  if (!names_local_server(c, a[1])) {
    c.err_line(c.msg(Msg::emcmd_server_unreachable, {a[1]}));
    return status(c, kStatusUnreachable);
  }
  std::string command = to_lower(a[2]);
  if (command == "getjobinfoforvol") return get_job_info_for_vol(c, a[3]);
  if (command == "deletejob") return delete_job(c, a[3]);
  if (command == "deletelocalmirroronly") return delete_local_mirror_only(c, a[3]);
  if (command == "clearswitchover") return clear_switchover(c, a[3]);
  if (command == "getmirrorvolinfo") return get_mirror_vol_info(c, a[3]);
  c.err_line(c.msg(Msg::emcmd_usage));
  return 1;
}

}  // namespace lab
