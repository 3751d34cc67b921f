// The WS-Management shell service of a lab node: answers Create, Command, Receive,
// Signal and Delete envelopes as Windows does (MS-WSMV 3.1.4), running each command
// through the node's cmd.exe emulator. Thread-safe: one instance serves every connection.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "tests/lab/winrm/command_process.h"

namespace lab::winrm {

// Thrown by ShellService::handle for a Receive whose command met the lab's "drop" fault
// (LAB.md: the connection is dropped in the middle): the endpoint closes the client's
// connection there without a reply, as when a Windows host drops off the network.
struct DropConnection : std::runtime_error {
  DropConnection() : std::runtime_error("connection dropped (lab fault)") {}
};

struct SoapReply {
  int status = 200;  // 500 for a fault, as Windows sends them
  std::string body;
};

class ShellService {
 public:
  ShellService(std::string lab_cmd, std::string node_dir, std::string endpoint_url);
  SoapReply handle(const std::string& envelope);

  static constexpr size_t kMaxShells = 30;  // Windows' default MaxShellsPerUser
  // Output bytes per Receive: small enough that long outputs span several Receives,
  // as they do from Windows under its MaxEnvelopeSize.
  static constexpr size_t kMaxReceiveBytes = 32 * 1024;

 private:
  struct Shell {
    int codepage = 0;  // WINRS_CODEPAGE; 0 when the client sent none (the node's own)
    std::map<std::string, std::shared_ptr<CommandProcess>> commands;
  };

  std::string lab_cmd_, node_dir_, url_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Shell>> shells_;
};

// A SOAP fault envelope as Windows words it (code, subcode, WSManFault code, text).
std::string fault_envelope(const std::string& relates_to, const std::string& subcode,
                           const std::string& wsman_code, const std::string& text);

}  // namespace lab::winrm
