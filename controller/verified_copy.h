// A file copied off a node as certutil's base64 text (Action::node_sha256): decoded here,
// where the codecs are, and accepted only when the decoded bytes' SHA-256 is the digest
// certutil computed of the file on the node. So the audit folder holds the node's bytes
// exactly, or the step fails before any change.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lkr {

struct VerifiedCopy {
  std::string bytes;    // the file's bytes, when `problem` is empty
  std::string sha256;   // of `bytes`, lowercase hex (equal to the node's when accepted)
  std::string problem;  // why the copy is not the file, naming both digests when they differ
};

// `encoded_text`: the output of `type <file>.b64`; `node_sha256`: what certutil -hashfile
// printed for the file (nullopt when it was never read).
VerifiedCopy verify_copy(std::string_view encoded_text,
                         const std::optional<std::string>& node_sha256);

}  // namespace lkr
