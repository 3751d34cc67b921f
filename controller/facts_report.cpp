#include "controller/facts_report.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "controller/node_setup.h"
#include "controller/snapshot_path.h"
#include "tasks/node_facts.h"
#include "tasks/parsers/text_lines.h"
#include "transports/cmd_quoting.h"

namespace lkr {
namespace {

using nlohmann::json;

// The 1-based number of the first line of `text` equal to `line`, or 0.
std::size_t line_number(const std::string& text, const std::string& line) {
  std::size_t n = 0;
  for (const std::string& l : tasks::split_lines(text)) {
    ++n;
    if (l == line) return n;
  }
  return 0;
}

std::string verdict_text(const tasks::FactsVerdict& v) {
  if (v.problem.empty()) return "recognised";
  std::size_t n = v.raw_line.empty() ? 0 : line_number(v.result.stdout_utf8, v.raw_line);
  return "not recognised: " + (n ? "line " + std::to_string(n) + ", " : std::string()) + v.problem;
}

json to_json(const tasks::NodeFacts& f) {
  json j;
  j["local_system"] = f.local_system;
  j["lifekeeper_answers"] = f.lifekeeper_answers;
  if (!f.lifekeeper_answers) j["lifekeeper_problem"] = f.lifekeeper_problem;
  j["systems"] = f.systems;
  j["equivalencies"] = json::array();
  for (const auto& e : f.equivalencies)
    j["equivalencies"].push_back({{"system", e.system},
                                  {"tag", e.tag},
                                  {"othersystem", e.other_system},
                                  {"othertag", e.other_tag},
                                  {"type", e.type},
                                  {"priority", e.priority},
                                  {"otherpriority", e.other_priority}});
  j["comm_paths"] = json::array();
  for (const auto& p : f.comm_paths)
    j["comm_paths"].push_back({{"system", p.system},
                               {"othersystem", p.other_system},
                               {"localaddr", p.local_address},
                               {"remoteaddr", p.remote_address},
                               {"device", p.device},
                               {"state", p.state},
                               {"priority", p.priority}});
  j["resources"] = json::array();
  for (const auto& r : f.resources)
    j["resources"].push_back({{"app", r.app},
                              {"type", r.type},
                              {"tag", r.tag},
                              {"id", r.id},
                              {"switchback", r.switchback},
                              {"info", r.info},
                              {"state", r.state},
                              {"more", r.more}});
  auto endpoints = [](const std::vector<tasks::MirrorEndpoint>& eps) {
    json a = json::array();
    for (const auto& e : eps)
      a.push_back(e.source + ";" + e.source_volume + ";" + e.source_ip + ";" + e.target + ";" +
                  e.target_volume + ";" + e.target_ip + ";" + e.mode);
    return a;
  };
  j["registry_jobs"] = json::array();
  for (const auto& job : f.registry_jobs)
    j["registry_jobs"].push_back(
        {{"id", job.id}, {"name", job.name}, {"endpoints", endpoints(job.endpoints)}});
  j["volumes"] = json::array();
  for (const auto& v : f.volumes) {
    json vol{{"volume", v.volume}, {"lkdrinfo_present", v.lkdrinfo_present}};
    vol["jobs"] = json::array();
    for (const auto& job : v.jobs) vol["jobs"].push_back(job.id);
    vol["mirrors"] = json::array();
    for (const auto& m : v.mirrors)
      vol["mirrors"].push_back({{"role", m.role},
                                {"othersystem", m.other_system},
                                {"otherip", m.other_ip},
                                {"state", m.state}});
    j["volumes"].push_back(vol);
  }
  j["notes"] = f.notes;
  return j;
}

// Replaces every occurrence of `secret` in `text` by ********.
std::string masked(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 8))
    text.replace(at, secret.size(), "********");
  return text;
}

// Writes the bundle's files: NN-<what>.{command,stdout,stderr,exit}, mode 0600.
class RawBundle {
 public:
  RawBundle(const std::string& raw_dir, const std::string& cluster, const NodeSession& node)
      : secret_(node.host().password) {
    if (raw_dir.empty()) return;
    dir_ = std::filesystem::path(raw_dir) / snapshot_path_component(cluster) /
           snapshot_path_component(node.name());
    std::filesystem::create_directories(dir_);
  }
  void save(const std::string& what, const Command& c, const CommandResult& r) {
    if (dir_.empty()) return;
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%02zu-", ++count_);
    std::string base = prefix + snapshot_path_component(what);
    write(base + ".command", masked(display(c), secret_) + "\n");
    write(base + ".stdout", masked(r.stdout_bytes, secret_));
    write(base + ".stderr", masked(r.stderr_bytes, secret_));
    write(base + ".exit", std::to_string(r.exit_code) + "\n");
  }

 private:
  void write(const std::string& name, const std::string& bytes) {
    std::filesystem::path p = dir_ / name;
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
    ::chmod(p.c_str(), 0600);
  }
  std::filesystem::path dir_;
  SecretText secret_;
  std::size_t count_ = 0;
};

}  // namespace

json facts_report(NodeSession& node, const std::string& cluster, const std::string& raw_dir) {
  json out{{"cluster", cluster}, {"host", node.name()}, {"commands", json::array()}};
  RawBundle bundle(raw_dir, cluster, node);
  if (!raw_dir.empty()) node.keep_raw_output();
  std::size_t odd = 0;
  try {
    node.connect();
    settle_node(node, "facts");
    out["install"] = {{"lk_root", node.host().lk_root},
                      {"lk_bin", node.host().lk_bin},
                      {"extmirrbase", node.host().dk_extmirrbase}};
    ReadFn base = node.reader();
    tasks::NodeFacts f = tasks::gather_facts(
        node.host(),
        [&](const std::string&, const Command& c) {
          CommandResult r = base("facts", c);
          return r;
        },
        [&](const tasks::FactsVerdict& v) {
          if (!v.problem.empty()) ++odd;
          json entry{{"what", v.what}, {"verdict", verdict_text(v)}};
          if (!v.command.program.empty()) {
            entry["command"] = display(v.command);
            entry["exit_code"] = v.result.exit_code;
            bundle.save(v.what, v.command, v.result);
          }
          if (!v.raw_line.empty()) entry["line"] = v.raw_line;
          out["commands"].push_back(entry);
        },
        [&](const std::string&, const std::vector<Command>& cs) {
          return node.read_batch("facts", cs);  // one command per line with --raw
        });
    out["facts"] = to_json(f);
  } catch (const std::exception& e) {
    out["error"] = e.what();
    ++odd;
  }
  out["recognised"] = odd == 0;
  return out;
}

}  // namespace lkr
