#include "tests/lab/node/lk_records.h"

#include <vector>

#include "tests/lab/node/text_util.h"

namespace lab {
namespace {

bool is_volume(const Resource& r) { return r.app == "filesys" && r.type == "volume"; }
bool is_ip(const Resource& r) { return r.app == "comm" && r.type == "ip"; }

// ASSUMED info texts (E8 shows only that info is the 6th field): what a volume or an IP
// resource plausibly carries, with spaces, so a reader cannot split on blanks.
std::string info_of(const Resource& r, const RecordFormats& f) {
  if (is_volume(r)) return printed_resource_id(r, f) + " NTFS SIOS DataKeeper Volume";
  if (is_ip(r)) return r.id + " 255.255.255.0 Local Area Connection";
  return r.id;
}

// ASSUMED reason texts of the extended record, one per state of E8.
std::string reason_of(const std::string& state) {
  if (state == "ISP") return "in service, protected";
  if (state == "ISU") return "in service, unprotected";
  if (state == "OSF") return "out of service, failed";
  return "out of service, unimpaired";
}

}  // namespace

std::string eqv_record(const Equivalency& e, const std::string& sep) {
  return join({e.sys, e.tag, e.othersys, e.othertag, e.type, std::to_string(e.priority),
               std::to_string(e.otherpriority)},
              sep);
}

std::string net_record(const CommPath& p, const RecordFormats& f, const std::string& sep) {
  std::string addresses = p.localaddr + "/" + p.remoteaddr;  // E1, E5: local/remote
  std::string priority = std::to_string(p.priority);
  if (f.net_list_layout == "local_first")
    return join({p.system, p.othersystem, addresses, p.device, p.state, priority}, sep);
  if (f.net_list_layout == "status")  // E5's short status display: no device
    return join({p.othersystem, p.type, addresses, p.state, priority}, sep);
  return join({p.othersystem, addresses, p.device, p.state, priority}, sep);
}

std::string printed_resource_id(const Resource& r, const RecordFormats& f) {
  if (is_volume(r) && f.volume_id == "colon" && r.id.size() == 1) return r.id + ":";
  return r.id;
}

std::string ins_record(const Resource& r, const RecordFormats& f, const std::string& sep) {
  std::vector<std::string> fields = {r.app,         r.type, r.tag, printed_resource_id(r, f),
                                     "INTELLIGENT",  // switchback (LCDI)
                                     info_of(r, f), r.state};
  if (f.ins_list_fields == "extended") {
    // ASSUMED extra fields: reason, initialisation, quick and deep check intervals (s).
    for (const char* more : {"AUTORES_ISP", "120", "300"}) fields.push_back(more);
    fields.insert(fields.begin() + 7, reason_of(r.state));
  }
  return join(fields, sep);
}

}  // namespace lab
