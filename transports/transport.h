// One interface over every way of reaching a node (SSH, WinRM). As in Ansible, the shell
// belongs to the connection: a transport receives Commands and renders them for its shell.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "transports/command.h"
#include "transports/shell.h"

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
  // Renders `command` for this connection's shell (command_line.h) and runs it, waiting
  // for it. Throws std::invalid_argument, before anything is sent, for a Command the
  // shell cannot carry (a line past its limits, a character no line may hold).
  // `timeout` bounds the whole command; on expiry the channel is closed and
  // TransportError{timeout} is thrown.
  CommandResult run(const Command& command, std::chrono::milliseconds timeout);
  // Runs `commands` (read-only ones) in one line with per-command markers
  // (command_batch.h) and returns one result per command, in order. Throws as run()
  // does, std::invalid_argument also when they do not fit one line (batch_fits), and
  // BatchOutputError when the output does not carry its markers whole.
  std::vector<CommandResult> run_batch(const std::vector<Command>& commands,
                                       std::chrono::milliseconds timeout);
  // Throws std::invalid_argument as run() would for a Command this connection's shell
  // cannot carry, without sending anything: checked before a command is announced.
  void check_renderable(const Command& command) const;
  // The shell every line of this connection is rendered for.
  Shell shell() const { return shell_; }
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
  // How the connection was made, once connected: the auth method that was accepted and,
  // where the transport checks one, the server's key ("ssh-ed25519 SHA256:..."). Shown
  // with -vvv; never holds a secret. "" when the transport says nothing more.
  virtual std::string connection_details() const { return {}; }
  // The network round trips this connection has waited for so far (SSH: the
  // handshake's, each exec request, and a channel open where it had to be waited for;
  // WinRM: each HTTP request, and a connection's setup). docs/audit-files.md "Round trips". The
  // difference across a run() is what that line cost: the audit trail records it per invocation,
  // and bench/ compares it with the runbook's minimum.
  virtual long long round_trips() const { return 0; }
  // Also keep each output's raw bytes in CommandResult (off: they cost memory).
  void keep_raw_output(bool keep) { keep_raw_output_ = keep; }

 protected:
  explicit Transport(Shell shell) : shell_(shell) {}
  // Runs one line, already rendered for shell(), as run() describes.
  virtual CommandResult run_line(const std::string& line, std::chrono::milliseconds timeout) = 0;

  bool keep_raw_output_ = false;

 private:
  Shell shell_;
};

}  // namespace lkr
