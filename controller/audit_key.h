// The key that makes the audit trail tamper-evident against someone who can write the
// run folder: every events.jsonl line and run.json carry an HMAC-SHA256 under a secret
// kept outside it. HMAC rather than an Ed25519 signature: the one who verifies is the
// team that ran the tool, on the controller that holds the key, and a symmetric key needs
// no key management beyond one private file; whoever can read the key can forge, so it
// lives in the user's configuration folder, mode 0600, and is refused otherwise.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace lkr {

struct AuditKey {
  std::string secret;          // 64 hex digits: 256 random bits
  std::string id;              // 16 hex digits naming the key, not revealing it
  std::filesystem::path file;  // where it was read
};

struct AuditKeyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// $LKR_AUDIT_KEY, else $XDG_CONFIG_HOME/lkrecover/audit.key, else
// ~/.config/lkrecover/audit.key.
std::filesystem::path default_audit_key_path();

// The key at `file`, created (256 random bits, folder 0700, file 0600) when missing.
// Throws AuditKeyError when the file is not a regular file of this user's, is readable
// or writable by others, or does not hold a key: each message says what to do.
AuditKey load_or_create_audit_key(const std::filesystem::path& file);

// The key at `file`, or nullopt when there is none; the same refusals otherwise.
std::optional<AuditKey> load_audit_key(const std::filesystem::path& file);

// The MAC of `bytes` under `key`: lowercase hex.
std::string audit_mac(const AuditKey& key, const std::string& bytes);

// A JSON object's text with its MAC as the last member: `{...,"hmac":"<mac>"}` for one
// line of events.jsonl, `...,\n  "hmac": "<mac>"\n}` for run.json (2-space indent). The MAC
// covers the text without it, byte for byte, so checking needs no JSON re-encoding.
std::string sign_line(const AuditKey& key, const std::string& line);
std::string sign_document(const AuditKey& key, const std::string& document);

// What was signed and the MAC it carries; nullopt when the text ends in no MAC member.
struct SignedText {
  std::string body, mac;
};
std::optional<SignedText> split_signed_line(const std::string& line);
std::optional<SignedText> split_signed_document(const std::string& document);

}  // namespace lkr
