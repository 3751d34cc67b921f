// One interface over every way of reaching a node (SSH now, WinRM later).
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace lkr {

struct CommandResult {
  int exit_code = -1;
  std::string stdout_utf8;  // decoded once from the node's code page (codepage.h)
  std::string stderr_utf8;
  std::chrono::system_clock::time_point start, end;
  bool truncated = false;  // output was capped (see max_output_bytes)
  // The bytes as the node sent them, before decoding; kept only where the transport was
  // asked to (`lkrecover facts --raw`: the bundle a bug report carries).
  std::string stdout_bytes, stderr_bytes;
};

// Thrown when the node cannot be reached or the connection broke: the outcome of a
// command that was in flight is unknown.
struct TransportError : std::runtime_error {
  enum class Kind { unreachable, auth, host_key, timeout, dropped, protocol };
  Kind kind;
  TransportError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Opens the session (once per run). Throws TransportError.
  virtual void connect() = 0;
  // Runs one command line (already rendered by the quoting layer) and waits for it.
  // `timeout` bounds the whole command; on expiry the channel is closed and
  // TransportError{timeout} is thrown.
  virtual CommandResult run(const std::string& command_line, std::chrono::milliseconds timeout) = 0;
  // The node's code page used to decode output; set after detection (chcp) or from inventory.
  virtual void set_codepage(int codepage) = 0;
  virtual void close() = 0;
  // What the user must hear about this connection although it works (a host key
  // recorded on first use, TLS verification switched off); the controller shows each
  // as a warning and records it in the audit trail.
  virtual const std::vector<std::string>& notices() const {
    static const std::vector<std::string> none;
    return none;
  }
  // Also keep each output's raw bytes in CommandResult (off: they cost memory).
  void keep_raw_output(bool keep) { keep_raw_output_ = keep; }

 protected:
  bool keep_raw_output_ = false;
};

}  // namespace lkr
