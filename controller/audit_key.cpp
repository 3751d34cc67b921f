#include "controller/audit_key.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "inventory/file_digest.h"

namespace lkr {
namespace {

std::string octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

bool is_key_text(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string random_key() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw AuditKeyError("audit key: OpenSSL could not draw random bytes");
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

[[noreturn]] void cannot_create(const std::filesystem::path& file) {
  throw AuditKeyError("audit key: cannot create " + file.string() + ": " + std::strerror(errno) +
                      "; set LKR_AUDIT_KEY to a file you can write");
}

// Written whole under a name of its own, then linked into place: two runs starting at
// once both end up reading the one complete key that won, never a half-written file.
void create_key(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::create_directories(file.parent_path(), ec))
    ::chmod(file.parent_path().c_str(), 0700);
  std::filesystem::path tmp = file;
  tmp += ".new-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) cannot_create(tmp);
  std::string text = random_key() + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  int linked = ok ? ::link(tmp.c_str(), file.c_str()) : -1;
  int link_errno = errno;
  ::unlink(tmp.c_str());
  errno = link_errno;
  if (!ok) throw AuditKeyError("audit key: cannot write " + tmp.string());
  if (linked != 0 && errno != EEXIST) cannot_create(file);  // EEXIST: another run's key won
}

AuditKey read_key(const std::filesystem::path& file, int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    throw AuditKeyError("audit key " + file.string() + " is not a regular file");
  if (st.st_uid != ::geteuid())
    throw AuditKeyError("audit key " + file.string() + " belongs to uid " +
                        std::to_string(st.st_uid) + ", not to this user: use your own key");
  if (st.st_mode & 077)
    throw AuditKeyError("audit key " + file.string() + " is open to others (mode " +
                        octal(st.st_mode) +
                        "): whoever reads it can forge a trail; run chmod 600 " + file.string() +
                        ", or move it aside for a new key");
  char buffer[128];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  std::string text(buffer, n > 0 ? static_cast<size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (!is_key_text(text))
    throw AuditKeyError("audit key " + file.string() +
                        " does not hold a key (64 lowercase hex digits): move it aside and "
                        "re-run to create one");
  return AuditKey{text, sha256_hex("lkrecover audit key id\n" + text).substr(0, 16), file};
}

}  // namespace

std::filesystem::path default_audit_key_path() {
  if (const char* v = std::getenv("LKR_AUDIT_KEY"); v && *v) return v;
  if (const char* v = std::getenv("XDG_CONFIG_HOME"); v && *v)
    return std::filesystem::path(v) / "lkrecover" / "audit.key";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / ".config" / "lkrecover" / "audit.key";
}

std::optional<AuditKey> load_audit_key(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::nullopt;
  if (fd < 0)
    throw AuditKeyError("audit key: cannot open " + file.string() + ": " + std::strerror(errno) +
                        (errno == ELOOP ? " (a symbolic link: give the key file itself)" : ""));
  try {
    AuditKey key = read_key(file, fd);
    ::close(fd);
    return key;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

AuditKey load_or_create_audit_key(const std::filesystem::path& file) {
  if (auto key = load_audit_key(file)) return *key;
  create_key(file);
  if (auto key = load_audit_key(file)) return *key;
  throw AuditKeyError("audit key: " + file.string() + " vanished after it was created");
}

std::string audit_mac(const AuditKey& key, const std::string& bytes) {
  return hmac_sha256_hex(key.secret, bytes);
}

namespace {

const std::string kLineMac = ",\"hmac\":\"";
const std::string kDocumentMac = ",\n  \"hmac\": \"";

// `text` ends in `closing`; the MAC member goes just before it.
std::string with_mac(const std::string& text, const std::string& member, const std::string& closing,
                     const std::string& mac) {
  return text.substr(0, text.size() - closing.size()) + member + mac + "\"" + closing;
}

std::optional<SignedText> split(const std::string& text, const std::string& member,
                                const std::string& closing) {
  const size_t tail = member.size() + 64 + 1 + closing.size();
  if (text.size() < tail + 1 || !text.ends_with("\"" + closing)) return std::nullopt;
  size_t at = text.size() - tail;
  if (text.compare(at, member.size(), member) != 0) return std::nullopt;
  std::string mac = text.substr(at + member.size(), 64);
  if (!is_key_text(mac)) return std::nullopt;
  return SignedText{text.substr(0, at) + closing, mac};
}

}  // namespace

std::string sign_line(const AuditKey& key, const std::string& line) {
  return with_mac(line, kLineMac, "}", audit_mac(key, line));
}

std::string sign_document(const AuditKey& key, const std::string& document) {
  return with_mac(document, kDocumentMac, "\n}", audit_mac(key, document));
}

std::optional<SignedText> split_signed_line(const std::string& line) {
  return split(line, kLineMac, "}");
}

std::optional<SignedText> split_signed_document(const std::string& document) {
  return split(document, kDocumentMac, "\n}");
}

}  // namespace lkr
