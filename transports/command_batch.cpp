#include "transports/command_batch.h"

#include <sys/random.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <system_error>

#include "transports/cmd_quoting.h"
#include "transports/powershell_quoting.h"
#include "transports/transport.h"
#include "transports/utf8_sequence.h"

namespace lkr {
namespace {

std::string cmd_batch_line(const std::vector<Command>& commands, const std::string& nonce) {
  std::string line;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    std::string n = std::to_string(i);
    if (i > 0) line += " & ";
    line += "(call ) & (" + render_cmd_command(commands[i]) + ") & call echo " + nonce + " " + n +
            " %^ERRORLEVEL%^ & echo " + nonce + " " + n + " 1>&2";
  }
  return line;
}

std::size_t powershell_process_chars(const std::string& line) {
  return kPowershellProcessPrefixMaxChars + line.size() + 1;
}

std::string unchecked_line(const std::vector<Command>& commands, Shell shell,
                           const std::string& nonce) {
  if (commands.empty()) throw std::invalid_argument("a batch needs at least one command");
  if (shell == Shell::cmd) return cmd_batch_line(commands, nonce);
  return encode_powershell_line(powershell_batch_script(commands, nonce));
}

bool line_fits(const std::string& line, Shell shell) {
  if (shell == Shell::cmd) return fits_cmd_limits(utf16_length(line));
  return powershell_process_chars(line) <= kCreateProcessMaxChars;
}

std::string excerpt(const std::string& text, std::size_t at) { return text.substr(at, 200); }

// The last 200 bytes of the longer stream: the cap applies per stream, so that is the
// one it cut.
std::string capped_end(const CommandResult& whole) {
  const std::string& cut =
      whole.stdout_utf8.size() >= whole.stderr_utf8.size() ? whole.stdout_utf8 : whole.stderr_utf8;
  return cut.substr(cut.size() > 200 ? cut.size() - 200 : 0);
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Reads `NONCE I[ CODE]` at `text[at]` up to its line end; returns where the next output
// starts and, with `code`, the exit code the marker carries.
std::size_t read_marker(const std::string& text, std::size_t at, const std::string& nonce,
                        std::size_t index, int* code, const char* stream) {
  std::string expected = nonce + " " + std::to_string(index);
  auto odd = [&](const std::string& why) -> BatchOutputError {
    return BatchOutputError(
        std::string("the batch's marker ") + std::to_string(index) + " on " + stream + " " + why,
        excerpt(text, at));
  };
  if (text.compare(at, expected.size(), expected) != 0) throw odd("is out of order");
  std::size_t p = at + expected.size();
  if (code) {
    if (p >= text.size() || text[p] != ' ') throw odd("carries no exit code");
    ++p;
    std::size_t start = p;
    if (p < text.size() && text[p] == '-') ++p;
    while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) ++p;
    std::string digits = text.substr(start, p - start);
    if (digits.empty() || digits == "-" || digits.size() > 11)
      throw odd("carries no exit code (cmd did not expand %ERRORLEVEL% when it ran)");
    long long value = std::stoll(digits);
    if (value < INT_MIN || value > INT_MAX) throw odd("carries an exit code out of range");
    *code = static_cast<int>(value);
  }
  while (p < text.size() && is_blank(text[p])) ++p;
  if (p < text.size() && text[p] == '\r') ++p;
  if (p < text.size() && text[p] == '\n') return p + 1;
  if (p == text.size()) return p;
  throw odd("is followed by unexpected text");
}

// One stream's parts, in order; `codes` gets the exit codes where the stream carries them.
std::vector<std::string> split_stream(const std::string& text, std::size_t count,
                                      const std::string& nonce, std::vector<int>* codes,
                                      const char* stream) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t at = text.find(nonce, pos);
    if (at == std::string::npos)
      throw BatchOutputError("the batch's marker " + std::to_string(i) + " on " + stream +
                                 " is missing: the line did not run to its end",
                             excerpt(text, pos));
    parts.push_back(text.substr(pos, at - pos));
    int code = 0;
    pos = read_marker(text, at, nonce, i, codes ? &code : nullptr, stream);
    if (codes) codes->push_back(code);
  }
  for (std::size_t p = pos; p < text.size(); ++p)
    if (!std::isspace(static_cast<unsigned char>(text[p])))
      throw BatchOutputError(std::string("text follows the batch's last marker on ") + stream,
                             excerpt(text, pos));
  return parts;
}

}  // namespace

// 128 bits from the kernel's generator (getrandom(2)): one system call. Not
// std::random_device, which probes the CPU (cpuid) each time it is made: a trap to the
// hypervisor on a virtual machine, 3.6% of the controller's CPU at 300 hosts
// (bench/profile_scale).
std::string new_batch_nonce() {
  unsigned char bytes[16];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "getrandom");
    got += static_cast<std::size_t>(n);
  }
  std::string nonce = "LKR";
  for (unsigned char b : bytes) {
    char buf[3];
    std::snprintf(buf, sizeof buf, "%02x", b);
    nonce += buf;
  }
  return nonce;
}

std::string render_batch_line(const std::vector<Command>& commands, Shell shell,
                              const std::string& nonce) {
  std::string line = unchecked_line(commands, shell, nonce);
  if (!line_fits(line, shell))
    throw std::invalid_argument("a batch of " + std::to_string(commands.size()) +
                                " commands does not fit in one command line");
  return line;
}

bool batch_fits(const std::vector<Command>& commands, Shell shell) {
  return line_fits(unchecked_line(commands, shell, new_batch_nonce()), shell);
}

std::vector<CommandResult> split_batch_output(const CommandResult& whole, std::size_t count,
                                              const std::string& nonce) {
  // A capped stream lost its end (the transport keeps the head): the text it dropped may
  // have followed any marker it kept, so no part is known to be whole.
  if (whole.truncated) {
    BatchOutputError e("the batch's output was capped: its parts cannot be told apart",
                       capped_end(whole));
    e.capped = true;
    throw e;
  }
  std::vector<int> codes;
  auto out = split_stream(whole.stdout_utf8, count, nonce, &codes, "stdout");
  auto err = split_stream(whole.stderr_utf8, count, nonce, nullptr, "stderr");
  std::vector<CommandResult> results(count);
  for (std::size_t i = 0; i < count; ++i) {
    results[i].exit_code = codes[i];
    results[i].stdout_utf8 = std::move(out[i]);
    results[i].stderr_utf8 = std::move(err[i]);
    results[i].start = whole.start;
    results[i].end = whole.end;
  }
  return results;
}

}  // namespace lkr
