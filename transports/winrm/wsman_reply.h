// The replies to WinRS requests, parsed: shell and command ids, Receive output, and
// SOAP faults turned into text. Pure: no I/O. Elements are matched by local name (the
// prefixes differ between servers); namespaces are those of wsman_messages.h.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace lkr::winrm {

// A reply that is not XML or lacks what the request's reply must hold.
struct ReplyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SoapFault {
  std::string code;        // s:Code/s:Value, "s:Receiver"
  std::string subcode;     // s:Code/s:Subcode/s:Value, "w:TimedOut"
  std::string reason;      // s:Reason/s:Text
  std::string wsman_code;  // f:WSManFault Code="2150858793" (empty when absent)
  std::string message;     // f:WSManFault/f:Message text (may be the more useful one)

  // "REASON (MESSAGE) [SUBCODE, WSManFault CODE]": one line, what the operator reads.
  std::string text() const;
  // The server held the Receive for OperationTimeout without output: ask again.
  bool operation_timed_out() const;
  // The shell is unknown to the server (expired, deleted, service restarted): a new
  // shell is needed.
  bool shell_gone() const;
  // A WS-Management quota (shells per user, memory, ...) was reached.
  bool quota_exceeded() const;
};

// nullopt when `xml` is not a SOAP envelope holding a Fault.
std::optional<SoapFault> parse_fault(const std::string& xml);

// From a Create reply: the ShellId selector of x:ResourceCreated, or rsp:Shell/rsp:ShellId.
std::string parse_shell_id(const std::string& xml);

// From a Command reply: rsp:CommandResponse/rsp:CommandId.
std::string parse_command_id(const std::string& xml);

struct ReceiveOutput {
  std::string stdout_bytes, stderr_bytes;  // decoded from base64, in arrival order
  bool done = false;                       // CommandState Done
  int exit_code = -1;                      // set when done
};

// From a Receive reply; only streams of `command_id` are kept.
ReceiveOutput parse_receive(const std::string& xml, const std::string& command_id);

// The RelatesTo header (the request's MessageID), empty when absent.
std::string parse_relates_to(const std::string& xml);

}  // namespace lkr::winrm
