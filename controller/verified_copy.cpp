#include "controller/verified_copy.h"

#include "inventory/file_digest.h"
#include "tasks/action.h"
#include "tasks/parsers/certutil_output.h"
#include "transports/base64.h"

namespace lkr {

VerifiedCopy verify_copy(std::string_view encoded_text,
                         const std::optional<std::string>& node_sha256) {
  VerifiedCopy out;
  if (!node_sha256) {
    out.problem = "no SHA-256 was read from the node for this file: the copy cannot be checked";
    return out;
  }
  std::optional<std::string> bytes;
  try {
    bytes = base64_decode(tasks::parse_encoded_file(encoded_text));
  } catch (const OddOutput& e) {
    out.problem = e.what();
    return out;
  }
  if (!bytes) {
    out.problem = "the base64 text does not decode";  // the parser admits only the alphabet
    return out;
  }
  out.sha256 = sha256_hex(*bytes);
  if (out.sha256 != *node_sha256) {
    out.problem = "the copy differs from the file on the node: its " +
                  std::to_string(bytes->size()) + " bytes have SHA-256 " + out.sha256 +
                  ", certutil -hashfile printed " + *node_sha256 +
                  " on the node (the file changed after it was hashed, or its text was "
                  "altered on the way); nothing was saved";
    return out;
  }
  out.bytes = std::move(*bytes);
  return out;
}

}  // namespace lkr
