// What each cluster of a run is doing now, for the live status lines: its phase, how many
// of the phase's hosts are done, and the commands in flight. Pure state: no terminal, no
// clock of its own (every event carries `now`) and no lock (the console holds one), so it
// is tested with hand-made times.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace lkr {

using ProgressClock = std::chrono::steady_clock;

struct InFlightCommand {
  std::string host, command;
  ProgressClock::time_point since = {};
};

struct ClusterProgress {
  std::string name;
  ProgressClock::time_point started = {};
  std::string phase;    // "" until its first phase starts
  int hosts_total = 0;  // the hosts taking part in the phase
  std::set<std::string> hosts_done = {};
  std::map<std::string, InFlightCommand> in_flight = {};  // by host
  bool finished = false;

  int hosts_done_count() const { return static_cast<int>(hosts_done.size()); }
  // The command that has been running longest (the slowest host's), or nullptr.
  const InFlightCommand* slowest() const;
};

class ProgressModel {
 public:
  // A cluster unknown to the model is added (started `now`) by its first event, so that
  // the order of cluster_started() calls is the order of the lines.
  void cluster_started(const std::string& cluster, ProgressClock::time_point now);
  // A new phase: nobody done yet, `hosts` taking part.
  void phase(const std::string& cluster, const std::string& phase, int hosts,
             ProgressClock::time_point now);
  void host_done(const std::string& cluster, const std::string& host);
  void command_started(const std::string& cluster, const std::string& host,
                       const std::string& command, ProgressClock::time_point now);
  void command_ended(const std::string& cluster, const std::string& host);
  // The cluster is over (its line collapses); returns how long it ran.
  std::chrono::milliseconds cluster_finished(const std::string& cluster,
                                             ProgressClock::time_point now);

  const ClusterProgress* find(const std::string& cluster) const;
  // The clusters not finished, in the order they started.
  std::vector<const ClusterProgress*> running() const;

 private:
  ClusterProgress& get(const std::string& cluster, ProgressClock::time_point now);
  std::deque<ClusterProgress> clusters_;  // deque: pointers handed out stay valid
};

}  // namespace lkr
