// A cluster's re-extension checklist, from the first snapshot taken before any change,
// kept in LOG_DIR/open-checklists/ from just before the first change; once the cluster's
// recovery is verified it is closed (kept as <name>.done). A later run of the same cluster
// and replaced node (after a SIGKILL, an interrupt or a failed step, or a second run)
// merges it into its own, so its checklist still lists what the earlier run removed:
// nothing to re-create is lost, and the newest run's folder always holds all of it.
#pragma once

#include <optional>
#include <string>

#include "tasks/steps/reextension_checklist.h"

namespace lkr {

class OpenChecklist {
 public:
  OpenChecklist(const std::string& log_dir, const std::string& cluster,
                const std::string& replaced);

  struct Carried {
    tasks::reextension_checklist::Checklist checklist;
    std::string written;    // when the earlier run wrote it (UTC)
    bool finished = false;  // that run verified the cluster (the closed one)
  };
  // The checklist an earlier run left (open, else closed); nullopt when none. Throws
  // std::runtime_error naming the file when it cannot be read (never ignored).
  std::optional<Carried> load() const;
  // Writes it durably (temporary file, fsync, rename), mode 0600.
  void save(const tasks::reextension_checklist::Checklist& c) const;
  // The recovery was verified: nothing is open any more (kept closed, for re-runs).
  void close() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace lkr
