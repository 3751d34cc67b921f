// `lkrecover facts`: the product's counterpart of Ansible's setup module. Runs every
// read-only discovery command on a host, judges each output ("recognised", or "not
// recognised: line N, expected ..." with the raw line), and returns the parsed facts as
// JSON. With a raw folder it also saves every output byte for byte, the bundle an admin
// sends with a bug report: how the first real cluster tells us where the record was wrong.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "controller/node_session.h"

namespace lkr {

// Never throws for what the node says; a host that cannot be reached or set up is
// reported in the JSON ("error"). `raw_dir` empty: no bundle.
nlohmann::json facts_report(NodeSession& node, const std::string& cluster,
                            const std::string& raw_dir);

}  // namespace lkr
