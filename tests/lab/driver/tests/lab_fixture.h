// A running lab for a test: `lab up` into a fresh temporary folder on construction,
// `lab down` in the destructor (so a failing test still tears the lab down).
// Reused by the product's end-to-end tests: nothing here is specific to one scenario.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/lab/driver/lab_record.h"
#include "tests/lab/driver/process_runner.h"

namespace lab::testing {

struct LabOptions {
  std::string scenario;    // path of the scenario file
  std::string subnet;      // 127.N; empty: $LAB_TEST_SUBNET, else one derived from the pid
  std::string lab_binary;  // empty: $LAB_BINARY, else the build's lab (LAB_BINARY of lab_fixture)
};

// A test executable built with -DLAB_TEST_SUBNET="127.N" gets that subnet by default, so
// test executables running at the same time never share an address.
#ifdef LAB_TEST_SUBNET
#define LAB_FIXTURE_DEFAULT_SUBNET LAB_TEST_SUBNET
#else
#define LAB_FIXTURE_DEFAULT_SUBNET ""
#endif

// The outcome of one command run through the OpenSSH client.
struct SshResult {
  int rc = -1;  // ssh's exit status: the remote command's, or 255 when the connection failed
  std::string out, err;  // raw bytes as the node sent them (CRLF, code page)
  bool timed_out = false;
};

class LabFixture {
 public:
  explicit LabFixture(LabOptions options);
  explicit LabFixture(const std::string& scenario_path)
      : LabFixture(LabOptions{scenario_path, LAB_FIXTURE_DEFAULT_SUBNET, ""}) {}
  ~LabFixture();
  LabFixture(const LabFixture&) = delete;
  LabFixture& operator=(const LabFixture&) = delete;

  // Runs `command` on NODE (system name or CLUSTER/SYSTEM) as one ssh argument, which
  // the node's sshd hands to its cmd.exe emulator unchanged.
  SshResult ssh(const std::string& node, const std::string& command, int timeout_ms = 30000) const;
  nlohmann::json dump(const std::string& node) const;

  // Runs the lab binary with `args` followed by --state STATE_DIR.
  ProcessResult lab(std::vector<std::string> args) const;
  // Stops the lab now (the destructor's `lab down` then finds nothing to stop).
  ProcessResult down() const;

  const LabRecord& record() const { return record_; }
  const std::string& state_dir() const { return state_dir_; }
  const std::string& lab_binary() const { return lab_binary_; }
  std::string inventory_path() const { return state_dir_ + "/inventory.yml"; }
  // The ssh argv prefix for NODE, ready for a command to be appended.
  std::vector<std::string> ssh_argv(const std::string& node) const;

 private:
  std::string lab_binary_, state_dir_;
  LabRecord record_;
};

// A fresh folder under $TMPDIR (or /tmp), removed by remove_tree.
std::string make_temp_dir(const std::string& prefix);
void remove_tree(const std::string& path);

// Text with CRLF line ends turned into LF (for comparisons "modulo CRLF").
std::string lf(const std::string& crlf_text);

}  // namespace lab::testing
