// The WS-Management Windows Remote Shell (WinRS) requests, as XML text: Create shell,
// Command, Receive, Signal terminate, Delete (MS-WSMV 3.1.4). Pure: no I/O.
#pragma once

#include <string>
#include <vector>

namespace lkr::winrm {

// What every request's SOAP header carries.
struct MessageHeader {
  std::string to;          // the endpoint URL, "https://host:5986/wsman"
  std::string message_id;  // "uuid:..." (new_message_id())
  int max_envelope_size = 153600;
  int operation_timeout_s = 20;  // w:OperationTimeout: how long the server may hold a Receive
  std::string locale = "en-US";
};

// "uuid:" + a random RFC 4122 version 4 UUID.
std::string new_message_id();

// WINRS_NOPROFILE TRUE (no user profile loaded), WINRS_CODEPAGE `codepage`.
std::string create_shell_request(const MessageHeader& h, int codepage);

// One rsp:Arguments element per argument. WinRS joins Command and Arguments with
// spaces before cmd.exe sees the line.
std::string command_request(const MessageHeader& h, const std::string& shell_id,
                            const std::string& command, const std::vector<std::string>& arguments);

std::string receive_request(const MessageHeader& h, const std::string& shell_id,
                            const std::string& command_id);

std::string signal_terminate_request(const MessageHeader& h, const std::string& shell_id,
                                     const std::string& command_id);

std::string delete_shell_request(const MessageHeader& h, const std::string& shell_id);

// Namespace and URI constants, shared with the lab's endpoint.
inline constexpr const char* kNsSoap = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr const char* kNsAddressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
inline constexpr const char* kNsWsman = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
inline constexpr const char* kNsMsWsman = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd";
inline constexpr const char* kNsShell = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
inline constexpr const char* kNsTransfer = "http://schemas.xmlsoap.org/ws/2004/09/transfer";
inline constexpr const char* kNsWsmanFault = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";
inline constexpr const char* kResourceCmd =
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";
inline constexpr const char* kActionCreate =
    "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create";
inline constexpr const char* kActionDelete =
    "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete";
inline constexpr const char* kActionCommand =
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command";
inline constexpr const char* kActionReceive =
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive";
inline constexpr const char* kActionSignal =
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal";
inline constexpr const char* kSignalTerminate =
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate";
inline constexpr const char* kStateDone =
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done";
inline constexpr const char* kStateRunning =
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running";
inline constexpr const char* kAnonymous =
    "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";

}  // namespace lkr::winrm
