// certutil.exe, the two verbs the product uses to copy a file off a node byte for byte
// (docs/record-formats.md, "Windows"): `-hashfile FILE [SHA256]` and `[-f] -encode IN
// OUT`. Options come before the verb (an option after it counts as an argument, as
// certutil counts it); - or / and any case. Failures print on stdout and exit with the
// HRESULT, as certutil does (a process exit status keeps its low byte only). Everything
// else certutil can do is refused in the lab's words, never guessed at.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "tests/lab/node/commands.h"
#include "tests/lab/node/sha256.h"
#include "tests/lab/node/text_util.h"

namespace lab {
namespace {

constexpr int kFileNotFound = static_cast<int>(0x80070002u);
constexpr int kPathNotFound = static_cast<int>(0x80070003u);
constexpr int kFileExists = static_cast<int>(0x80070050u);
constexpr size_t kBase64LineChars = 64;

struct Invocation {
  bool force = false;
  std::string verb;  // lower case, without its - or /
  std::vector<std::string> args;
};

bool is_switch(const std::string& a) { return a.size() > 1 && (a[0] == '-' || a[0] == '/'); }

Invocation parse_invocation(const std::vector<std::string>& argv) {
  Invocation inv;
  size_t i = 1;
  for (; i < argv.size() && is_switch(argv[i]); ++i) {
    std::string name = to_lower(argv[i].substr(1));
    if (name == "f") {
      inv.force = true;
    } else {
      inv.verb = name;
      ++i;
      break;
    }
  }
  for (; i < argv.size(); ++i) inv.args.push_back(argv[i]);
  return inv;
}

// certutil's two lines for a failed verb, after the API's own line when there is one.
int failed(CommandContext& c, const std::string& verb, int hresult, const std::string& code,
           const std::string& text, const std::string& api = "") {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08x", static_cast<unsigned>(hresult));
  if (!api.empty()) c.out_line(api + " returned " + text + " " + hex + " (" + code + ")");
  c.out_line("CertUtil: -" + verb + " command FAILED: " + hex + " (" + code + ")");
  c.out_line("CertUtil: " + text);
  return hresult;
}

int wrong_count(CommandContext& c, size_t most, size_t least, size_t given) {
  if (given > most) {
    c.out_line("Expected no more than " + std::to_string(most) + " args, received " +
               std::to_string(given));
    c.out_line("CertUtil: Too many arguments");
  } else {
    c.out_line("Expected at least " + std::to_string(least) + " args, received " +
               std::to_string(given));
    c.out_line("CertUtil: Missing argument");
  }
  return 1;
}

std::optional<std::string> existing_file(CommandContext& c, const std::string& windows_path) {
  auto host = host_path(c.session.node_dir, c.session.absolute(windows_path));
  if (!host || !std::filesystem::is_regular_file(*host)) return std::nullopt;
  return host;
}

// "ab 71 0a ..." as Windows 7-era certutil prints a digest, or the plain hex of today's.
std::string digest_line(const std::string& hex, const std::string& variant) {
  if (variant == "plain") return hex;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) out += (i ? " " : "") + hex.substr(i, 2);
  return out;
}

int hashfile(CommandContext& c, const Invocation& inv) {
  if (inv.args.empty() || inv.args.size() > 2) return wrong_count(c, 2, 1, inv.args.size());
  // certutil's own default is SHA1; the lab models SHA256 only.
  if (inv.args.size() < 2 || to_upper(inv.args[1]) != "SHA256") {
    c.err_line("lab-cmd: certutil -hashfile is emulated for SHA256 only");
    return 1;
  }
  auto file = existing_file(c, inv.args[0]);
  if (!file)
    return failed(c, "hashfile", kFileNotFound, "WIN32: 2 ERROR_FILE_NOT_FOUND",
                  "The system cannot find the file specified.");
  bool spaced = c.state().formats.certutil_digest != "plain";
  c.out_line("SHA256 hash of " + std::string(spaced ? "file " : "") + inv.args[0] + ":");
  c.out_line(digest_line(sha256_hex(read_file(*file)), c.state().formats.certutil_digest));
  c.out_line("CertUtil: -hashfile command completed successfully.");
  return 0;
}

std::string base64(std::string_view bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) n |= uint32_t(static_cast<unsigned char>(bytes[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// What -encode writes: the base64 in lines of 64 between the two armour lines, CRLF.
std::string encoded_file(std::string_view bytes) {
  std::string text = base64(bytes), out = "-----BEGIN CERTIFICATE-----\r\n";
  for (size_t i = 0; i < text.size(); i += kBase64LineChars)
    out += text.substr(i, kBase64LineChars) + "\r\n";
  return out + "-----END CERTIFICATE-----\r\n";
}

int encode(CommandContext& c, const Invocation& inv) {
  if (inv.args.size() != 2) return wrong_count(c, 2, 2, inv.args.size());
  auto in = existing_file(c, inv.args[0]);
  if (!in)
    return failed(c, "encode", kFileNotFound, "WIN32: 2 ERROR_FILE_NOT_FOUND",
                  "The system cannot find the file specified.", "DecodeFile");
  auto out = host_path(c.session.node_dir, c.session.absolute(inv.args[1]));
  if (!out || !std::filesystem::is_directory(std::filesystem::path(*out).parent_path()))
    return failed(c, "encode", kPathNotFound, "WIN32: 3 ERROR_PATH_NOT_FOUND",
                  "The system cannot find the path specified.", "EncodeToFile");
  if (std::filesystem::exists(*out) && !inv.force)
    return failed(c, "encode", kFileExists, "WIN32: 80 ERROR_FILE_EXISTS", "The file exists.",
                  "EncodeToFile");
  std::string bytes = read_file(*in), text = encoded_file(bytes);
  write_file_atomically(*out, text);
  c.out_line("Input Length = " + std::to_string(bytes.size()));
  c.out_line("Output Length = " + std::to_string(text.size()));
  c.out_line("CertUtil: -encode command completed successfully.");
  return 0;
}

}  // namespace

int win_certutil(CommandContext& c) {
  Invocation inv = parse_invocation(c.argv);
  if (inv.verb == "hashfile") return hashfile(c, inv);
  if (inv.verb == "encode") return encode(c, inv);
  c.err_line("lab-cmd: certutil: only [-f] -encode IN OUT and -hashfile FILE SHA256 are emulated");
  return 1;
}

}  // namespace lab
