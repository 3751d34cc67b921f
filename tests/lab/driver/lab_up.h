// `lab up`: from a scenario to running nodes, a lab.json and an inventory.
#pragma once

#include <string>

#include "tests/lab/driver/lab_record.h"

namespace lab {

struct UpOptions {
  std::string scenario_path;
  std::string state_dir = "./lab-state";
  std::string inventory_path;  // empty: STATE/inventory.yml
  std::string subnet;          // empty: the scenario's addresses
  std::string lab_cmd_path;    // empty: lab-cmd next to this executable, or $LAB_CMD
  // The network round trip to every node, in ms (the delay proxy, above 0); -1: the
  // scenario's "rtt_ms".
  int rtt_ms = -1;
};

// Throws ScenarioError for a bad scenario, std::runtime_error otherwise; whatever it
// started before failing is stopped again.
LabRecord lab_up(const UpOptions& options);

}  // namespace lab
