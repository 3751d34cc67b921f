// lkr::Transport over WinRM (WS-Management Windows Remote Shell): one keep-alive HTTP
// connection and one remote shell per host for the whole run; each command is a
// Command + Receive... + Signal terminate in that shell.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "transports/transport.h"
#include "transports/winrm/http_session.h"
#include "transports/winrm/winrm_options.h"
#include "transports/winrm/wsman_messages.h"

namespace lkr {

// One thread uses a WinrmTransport at a time. Its shell is cmd: WinRS starts every
// command as `cmd.exe /c <line>`.
class WinrmTransport final : public Transport {
 public:
  // Never throws for bad settings: connect() reports them (TransportError{auth}).
  explicit WinrmTransport(WinrmOptions options);
  ~WinrmTransport() override;  // deletes the shell, as close()
  WinrmTransport(const WinrmTransport&) = delete;
  WinrmTransport& operator=(const WinrmTransport&) = delete;

  // Checks the settings (Basic over http needs allow_unencrypted; certificate needs
  // https and both PEM files; read timeout above operation timeout), opens the
  // connection, authenticates and creates the shell. Calling it again starts over with a
  // new shell.
  void connect() override;
  // A line as it is, for tests and benchmarks that send lines the quoting layer would
  // never write; the product sends Commands through run(), which checks cmd.exe's limits.
  CommandResult run_line(const std::string& line, std::chrono::milliseconds timeout) override;
  void set_codepage(int codepage) override;
  // Deletes the shell (best effort) and drops the connection.
  void close() override;

  // "https://host:port/wsman (basic)", as errors name it.
  std::string endpoint() const;
  const std::string& shell_id() const { return shell_id_; }
  long connections_opened() const { return http_->connections_opened(); }
  long authentications() const { return http_->authentications(); }
  // Every HTTP request and connection setup (HttpSession::round_trips): connect() costs
  // the handshake's legs and Create shell; each command its Command, every Receive (one
  // when the command ends within OperationTimeout and its output fits one reply) and the
  // Signal terminate MS-WSMV requires after the last Receive.
  long long round_trips() const override { return http_->round_trips(); }
  // What the operator should hear about (TLS verification or channel binding turned off).
  const std::vector<std::string>& notices() const override { return notices_; }

 private:
  std::string check_options() const;
  // NTLM or Kerberos over https with ansible_winrm_send_cbt: false.
  bool channel_binding_off() const;
  // The message of a login refused with HTTP 401, with its likely cause.
  std::string refusal_text() const;
  winrm::MessageHeader header(int operation_timeout_s) const;
  // Posts one envelope and returns the 200 reply's body; a fault becomes a FaultError.
  // A reply longer than `max_reply_bytes` (0: the session's default) throws
  // winrm::ReplyTooLarge once that much has arrived.
  std::string exchange(const std::string& envelope, std::chrono::milliseconds timeout,
                       const char* what, size_t max_reply_bytes = 0);
  void create_shell();
  std::string start_command(const std::string& command_line);
  void terminate_command(const std::string& command_id);
  size_t receive_limit(size_t stdout_kept, size_t stderr_kept) const;

  WinrmOptions options_;
  std::unique_ptr<winrm::HttpSession> http_;
  std::string shell_id_;
  std::vector<std::string> notices_;
};

}  // namespace lkr
