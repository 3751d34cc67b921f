// lkr::Transport over SSH (libssh): one session per host for the whole run, one
// channel per command, as OpenSSH for Windows runs it through the default shell.
#pragma once

#include <string>
#include <vector>

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
  CommandResult run(const std::string& command_line, std::chrono::milliseconds timeout) override;
  void set_codepage(int codepage) override;
  void close() override;

  // What the operator should hear about (a new host key recorded under accept-new).
  const std::vector<std::string>& notices() const override { return notices_; }
  // "host:port", as errors name it.
  std::string endpoint() const;

 private:
  void open_session();

  SshOptions options_;
  ssh::SessionPtr session_;
  std::vector<std::string> notices_;
};

}  // namespace lkr
