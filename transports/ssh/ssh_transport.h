// lkr::Transport over SSH (libssh): one session per host for the whole run, one
// channel per command, as OpenSSH for Windows runs it through the default shell; each
// command's channel is opened while the previous command runs (spare_channel.h).
#pragma once

#include <string>
#include <vector>

#include "transports/ssh/spare_channel.h"
#include "transports/ssh/ssh_handles.h"
#include "transports/ssh/ssh_options.h"
#include "transports/transport.h"

namespace lkr {

// One thread uses an SshTransport at a time; different transports (hosts) may be used
// from different threads at once.
class SshTransport final : public Transport {
 public:
  explicit SshTransport(SshOptions options);
  ~SshTransport() override = default;
  SshTransport(const SshTransport&) = delete;
  SshTransport& operator=(const SshTransport&) = delete;

  // Connects, checks the host key, authenticates. Calling it again reconnects.
  void connect() override;
  // A line as it is, for tests and benchmarks that send lines the quoting layer would
  // never write; the product sends Commands through run().
  CommandResult run_line(const std::string& line, std::chrono::milliseconds timeout) override;
  void set_codepage(int codepage) override;
  void close() override;

  // What the operator should hear about (a new host key recorded under accept-new).
  const std::vector<std::string>& notices() const override { return notices_; }
  // "auth key file ~/.ssh/id_ed25519, host key ssh-ed25519 SHA256:..."
  std::string connection_details() const override { return details_; }
  // Since construction, over reconnections: the handshake's and each login attempt's as
  // libssh drives them (ssh_transport.cpp, ssh_auth.cpp), then per command the exec
  // request, plus the channel's open when it was not ready ahead (channel_command.h). The
  // channel's close is not one: the server's exit status, EOF and close come with the
  // exec's answer, and ours is sent without waiting.
  long long round_trips() const override { return round_trips_; }
  // "host:port", as errors name it.
  std::string endpoint() const;

 private:
  void open_session();
  void drop_session();             // the spare channel, then the session
  std::string server_key() const;  // "ssh-ed25519 SHA256:..." of the connected session

  SshOptions options_;
  ssh::SessionPtr session_;
  ssh::SpareChannel spare_;  // after session_: destroyed first
  long long round_trips_ = 0;
  std::vector<std::string> notices_;
  std::string details_;
};

}  // namespace lkr
