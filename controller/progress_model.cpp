#include "controller/progress_model.h"

namespace lkr {

const InFlightCommand* ClusterProgress::slowest() const {
  const InFlightCommand* oldest = nullptr;
  for (const auto& [host, command] : in_flight)
    if (oldest == nullptr || command.since < oldest->since) oldest = &command;
  return oldest;
}

ClusterProgress& ProgressModel::get(const std::string& cluster, ProgressClock::time_point now) {
  for (auto& c : clusters_)
    if (c.name == cluster) return c;
  ClusterProgress& added = clusters_.emplace_back();
  added.name = cluster;
  added.started = now;
  return added;
}

void ProgressModel::cluster_started(const std::string& cluster, ProgressClock::time_point now) {
  get(cluster, now);
}

void ProgressModel::phase(const std::string& cluster, const std::string& phase, int hosts,
                          ProgressClock::time_point now) {
  ClusterProgress& c = get(cluster, now);
  c.phase = phase;
  c.hosts_total = hosts;
  c.hosts_done.clear();
}

void ProgressModel::host_done(const std::string& cluster, const std::string& host) {
  for (auto& c : clusters_)
    if (c.name == cluster) c.hosts_done.insert(host);
}

void ProgressModel::command_started(const std::string& cluster, const std::string& host,
                                    const std::string& command, ProgressClock::time_point now) {
  get(cluster, now).in_flight[host] = InFlightCommand{host, command, now};
}

void ProgressModel::command_ended(const std::string& cluster, const std::string& host) {
  for (auto& c : clusters_)
    if (c.name == cluster) c.in_flight.erase(host);
}

std::chrono::milliseconds ProgressModel::cluster_finished(const std::string& cluster,
                                                          ProgressClock::time_point now) {
  ClusterProgress& c = get(cluster, now);
  c.finished = true;
  c.in_flight.clear();
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - c.started);
}

const ClusterProgress* ProgressModel::find(const std::string& cluster) const {
  for (const auto& c : clusters_)
    if (c.name == cluster) return &c;
  return nullptr;
}

std::vector<const ClusterProgress*> ProgressModel::running() const {
  std::vector<const ClusterProgress*> out;
  for (const auto& c : clusters_)
    if (!c.finished) out.push_back(&c);
  return out;
}

}  // namespace lkr
