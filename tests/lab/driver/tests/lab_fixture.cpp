#include "tests/lab/driver/tests/lab_fixture.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace lab::testing {
namespace {

std::string from_env_or(const char* name, const std::string& given, const char* fallback) {
  if (!given.empty()) return given;
  const char* v = getenv(name);
  return v && *v ? v : fallback;
}

#ifndef LAB_BINARY
#define LAB_BINARY "lab"
#endif
// 127.100 .. 127.199: away from the subnets the build gives its own test executables.
std::string subnet_from_pid() { return "127." + std::to_string(100 + getpid() % 100); }

}  // namespace

std::string make_temp_dir(const std::string& prefix) {
  std::string base = from_env_or("TMPDIR", "", "/tmp");
  std::string pattern = base + "/" + prefix + "-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed in " + base);
  return pattern;
}

void remove_tree(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

std::string lf(const std::string& crlf_text) {
  std::string out;
  for (size_t i = 0; i < crlf_text.size(); ++i)
    if (!(crlf_text[i] == '\r' && i + 1 < crlf_text.size() && crlf_text[i + 1] == '\n'))
      out += crlf_text[i];
  return out;
}

LabFixture::LabFixture(LabOptions o)
    : lab_binary_(from_env_or("LAB_BINARY", o.lab_binary, LAB_BINARY)),
      state_dir_(make_temp_dir("lab-test")) {
  std::string subnet = from_env_or("LAB_TEST_SUBNET", o.subnet, subnet_from_pid().c_str());
  auto up = lab({"up", o.scenario, "--subnet", subnet});
  if (up.rc != 0) {
    down();  // the constructor throws: no destructor will run
    remove_tree(state_dir_);
    throw std::runtime_error("lab up " + o.scenario + " failed (rc " + std::to_string(up.rc) +
                             "): " + up.err);
  }
  record_ = load_lab_record(state_dir_);
}

LabFixture::~LabFixture() {
  // A lab left running would hold its addresses for the next test: say so loudly.
  auto r = down();
  if (r.rc != 0)
    std::fprintf(stderr, "lab down --state %s failed (rc %d): %s%s\n", state_dir_.c_str(), r.rc,
                 r.out.c_str(), r.err.c_str());
  if (!getenv("LAB_KEEP_STATE")) remove_tree(state_dir_);
}

ProcessResult LabFixture::lab(std::vector<std::string> args) const {
  args.insert(args.begin(), lab_binary_);
  args.push_back("--state");
  args.push_back(state_dir_);
  return run_process(args, 120000);
}

ProcessResult LabFixture::down() const { return lab({"down"}); }

std::vector<std::string> LabFixture::ssh_argv(const std::string& node) const {
  const LabNode& n = resolve_node(record_, node);
  passwd* pw = getpwuid(geteuid());
  return {"ssh",
          "-F",
          "/dev/null",
          "-i",
          record_.client_key,
          "-o",
          "UserKnownHostsFile=" + record_.known_hosts,
          "-o",
          "BatchMode=yes",
          "-o",
          "StrictHostKeyChecking=yes",
          "-o",
          "LogLevel=ERROR",
          "-p",
          std::to_string(n.port),
          "-l",
          pw ? pw->pw_name : "root",
          n.address};
}

SshResult LabFixture::ssh(const std::string& node, const std::string& command,
                          int timeout_ms) const {
  auto argv = ssh_argv(node);
  argv.push_back(command);
  ProcessResult r = run_process(argv, timeout_ms);
  return {r.rc, r.out, r.err, r.timed_out};
}

nlohmann::json LabFixture::dump(const std::string& node) const {
  auto r = lab({"dump", node});
  if (r.rc != 0) throw std::runtime_error("lab dump " + node + " failed: " + r.err);
  return nlohmann::json::parse(r.out);
}

}  // namespace lab::testing
