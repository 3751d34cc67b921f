#include "tests/lab/node/faults.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "tests/lab/node/text_util.h"

namespace lab {

bool fault_matches(const Fault& f, const std::string& command, const std::string& raw_line) {
  if (f.times == 0) return false;
  if (f.command != "*") {
    std::string wanted = to_lower(f.command);
    if (wanted.size() > 4 && wanted.compare(wanted.size() - 4, 4, ".exe") == 0)
      wanted.resize(wanted.size() - 4);
    if (wanted != to_lower(command)) return false;
  }
  return f.match.empty() || raw_line.find(f.match) != std::string::npos;
}

std::optional<Fault> take_fault(const std::string& node_dir, const NodeState& snapshot,
                                const std::string& command, const std::string& raw_line) {
  auto matching = [&](const Fault& f) { return fault_matches(f, command, raw_line); };
  if (std::none_of(snapshot.faults.begin(), snapshot.faults.end(), matching)) return std::nullopt;
  NodeLock lock(node_dir);
  NodeState s = load_node(node_dir);
  auto it = std::find_if(s.faults.begin(), s.faults.end(), matching);
  if (it == s.faults.end()) return std::nullopt;  // consumed meanwhile by another command
  // While it has matches to skip, this one is let through unharmed; a later one fires.
  if (it->skip > 0) {
    --it->skip;
    save_node(node_dir, s);
    return std::nullopt;
  }
  Fault fired = *it;
  if (it->times > 0 && --it->times == 0) s.faults.erase(it);
  save_node(node_dir, s);
  return fired;
}

std::string garbage_bytes(const std::string& seed) {
  uint64_t x = 1469598103934665603ULL;  // FNV-1a of the seed, then xorshift64
  for (unsigned char ch : seed) x = (x ^ ch) * 1099511628211ULL;
  std::string out;
  for (int i = 0; i < 96; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out += static_cast<char>(x & 0xFF);
  }
  // Always present, whatever the random part holds: a Shift_JIS lead byte followed by a
  // bare LF, a lone UTF-8 continuation byte, a truncated UTF-8 sequence, a NUL.
  out.insert(10, "\x81\n");
  out.insert(30, "\x80\xE3\x81");
  out.insert(50, std::string(1, '\0'));
  return out;
}

std::string flood_bytes(long long bytes, long long line_bytes) {
  if (line_bytes <= 2) line_bytes = 1 << 20;
  std::string out;
  out.reserve(static_cast<size_t>(std::max(0LL, bytes)));
  while (static_cast<long long>(out.size()) < bytes) {
    long long n = std::min(line_bytes, bytes - static_cast<long long>(out.size()));
    if (n <= 2) {
      out.append(static_cast<size_t>(n), '\n');
      break;
    }
    out.append(static_cast<size_t>(n - 2), 'F');
    out += "\r\n";
  }
  return out;
}

void tamper_with_file(const std::string& host_file) {
  std::string content = read_file(host_file);
  if (content.empty()) return;
  content[content.size() / 2] ^= 0x01;
  write_file_atomically(host_file, content);
}

std::string corrupted_in_flight(std::string bytes) {
  for (size_t i = bytes.size() / 2; i < bytes.size(); ++i) {
    char folded = static_cast<char>(bytes[i] | 0x20);
    if (folded < 'a' || folded > 'z') continue;
    bytes[i] = static_cast<char>(bytes[i] ^ 0x20);  // ASCII: the same letter, other case
    break;
  }
  return bytes;
}

void append_journal(const std::string& node_dir, const JournalEntry& e) {
  nlohmann::json j = {{"start", e.start},
                      {"end", e.end},
                      {"command_line", e.command_line},
                      {"argv", e.argv},
                      {"rc", e.rc}};
  if (!e.fault.empty()) j["fault"] = e.fault;
  // Invalid UTF-8 in the line (it came from the client) is replaced, never a failure.
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  NodeLock lock(node_dir);
  std::string path = node_dir + "/journal.jsonl";
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot append to " + path);
  ssize_t n = ::write(fd, line.data(), line.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size())) throw std::runtime_error("cannot append to " + path);
}

}  // namespace lab
