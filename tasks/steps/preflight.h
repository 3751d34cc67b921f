// Preflight (before anything): checks, not actions. A survivor must be the node the
// inventory says, must not be R, and must know R (or be already clean of it); the
// replaced node R, when reachable, must look freshly reinstalled.
#pragma once

#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "tasks/node_facts.h"

namespace lkr::tasks::preflight {

struct Verdict {
  std::vector<std::string> refusals;  // empty = the survivor may be cleaned
  bool already_clean = false;         // nothing on this survivor refers to R any more
  bool ok() const { return refusals.empty(); }
};

Verdict check(const NodeFacts& survivor, const Host& host, const std::string& replaced);

// Names in any list that lost characters to the node's code page ('?' or \xNN where a
// character could not be shown): refused before any change, since none of them can be
// matched or passed back to LifeKeeper as it really is.
std::vector<std::string> damaged_names(const NodeFacts& f);

// Refusals unless R lists only itself and holds no resource, equivalency, comm path or
// job: a typo in the replaced name must never clean a healthy node out of its cluster.
std::vector<std::string> check_replaced_is_fresh(const NodeFacts& replaced_facts,
                                                 const std::string& replaced);

}  // namespace lkr::tasks::preflight
