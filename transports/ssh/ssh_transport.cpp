#include "transports/ssh/ssh_transport.h"

#include <stdexcept>

#include "transports/codepage.h"
#include "transports/ssh/channel_command.h"
#include "transports/ssh/host_key_check.h"
#include "transports/ssh/ssh_auth.h"

namespace lkr {
namespace {

using Kind = TransportError::Kind;

// The round trips ssh_connect waits for, as libssh 0.10 drives it: the TCP handshake; the
// version exchange, the server's KEXINIT arriving one round trip after our banner (libssh
// sends its own banner on connect, and its KEXINIT once the server's banner came); the
// key exchange proper (ECDH_INIT, answered by ECDH_REPLY and NEWKEYS). The login's
// (ssh_auth.cpp) and the first channel's come on top.
constexpr long long kHandshakeRoundTrips = 3;

void set_option(ssh_session s, ssh_options_e option, const void* value, const char* name) {
  if (ssh_options_set(s, option, value) != SSH_OK) {
    throw TransportError(Kind::protocol,
                         std::string("cannot set SSH option ") + name + ": " + ssh_get_error(s));
  }
}

}  // namespace

SshTransport::SshTransport(SshOptions options)
    : Transport(options.shell), options_(std::move(options)) {}

std::string SshTransport::endpoint() const {
  return options_.host + ":" + std::to_string(options_.port);
}

// Settings come from the options only: ~/.ssh/config is not read, so a run behaves
// the same on every control machine.
void SshTransport::open_session() {
  ssh::ensure_libssh_initialised();
  session_.reset(ssh_new());
  if (!session_) throw TransportError(Kind::protocol, "cannot create an SSH session");
  ssh_session s = session_.get();
  bool no = false;
  set_option(s, SSH_OPTIONS_PROCESS_CONFIG, &no, "ProcessConfig");
  // Commands are small request/reply exchanges: without TCP_NODELAY, Nagle's algorithm
  // and delayed ACKs added about 40 ms to every command (measured on the lab).
  int nodelay = 1;
  set_option(s, SSH_OPTIONS_NODELAY, &nodelay, "NoDelay");
  set_option(s, SSH_OPTIONS_HOST, options_.host.c_str(), "Host");
  set_option(s, SSH_OPTIONS_PORT, &options_.port, "Port");
  if (!options_.user.empty()) set_option(s, SSH_OPTIONS_USER, options_.user.c_str(), "User");
  long ms = static_cast<long>(options_.connect_timeout.count());
  long seconds = ms / 1000, microseconds = (ms % 1000) * 1000;
  set_option(s, SSH_OPTIONS_TIMEOUT, &seconds, "Timeout");
  set_option(s, SSH_OPTIONS_TIMEOUT_USEC, &microseconds, "Timeout");
  if (!options_.known_hosts_file.empty()) {
    // Only the run's file decides: the system-wide list must not vouch for a node.
    set_option(s, SSH_OPTIONS_KNOWNHOSTS, options_.known_hosts_file.c_str(), "KnownHosts");
    set_option(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null", "GlobalKnownHosts");
  }
}

std::string SshTransport::server_key() const {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session_.get(), &raw) != SSH_OK) return "?";
  ssh::KeyPtr key(raw);
  return std::string(ssh_key_type_to_char(ssh_key_type(key.get()))) + " " +
         ssh::sha256_fingerprint(key.get());
}

void SshTransport::drop_session() {
  spare_.reset();  // a channel is freed before its session
  session_.reset();
}

void SshTransport::connect() {
  drop_session();
  open_session();
  if (ssh_connect(session_.get()) != SSH_OK) {
    std::string why = ssh_get_error(session_.get());
    drop_session();
    throw TransportError(Kind::unreachable, "cannot connect to " + endpoint() + ": " + why +
                                                ". Check ansible_host/ansible_port and that "
                                                "the node's SSH server is running");
  }
  try {
    round_trips_ += kHandshakeRoundTrips;
    ssh::verify_host_key(session_.get(), options_, notices_);
    std::string auth = ssh::authenticate(session_.get(), options_, round_trips_);
    details_ = "auth " + auth + ", host key " + server_key();
  } catch (...) {
    drop_session();
    throw;
  }
  // The first command's channel travels while the controller prepares that command.
  spare_.open_ahead(session_.get());
}

CommandResult SshTransport::run_line(const std::string& command_line,
                                     std::chrono::milliseconds timeout) {
  if (!session_ || !ssh_is_connected(session_.get())) {
    throw TransportError(Kind::dropped, "not connected to " + endpoint() +
                                            " (the session was closed or lost): connect again");
  }
  CommandResult result;
  result.start = std::chrono::system_clock::now();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  ssh::RawOutput raw;
  try {
    raw = ssh::run_on_channel(session_.get(), spare_, command_line, deadline, timeout,
                              options_.max_output_bytes, endpoint(), round_trips_);
  } catch (const TransportError& e) {
    if (e.kind == Kind::dropped) drop_session();
    throw;
  }
  result.end = std::chrono::system_clock::now();
  result.exit_code = raw.exit_code;
  result.truncated = raw.truncated;
  result.stdout_utf8 = decode_to_utf8(raw.stdout_bytes, options_.codepage);
  result.stderr_utf8 = decode_to_utf8(raw.stderr_bytes, options_.codepage);
  if (keep_raw_output_) {
    result.stdout_bytes = std::move(raw.stdout_bytes);
    result.stderr_bytes = std::move(raw.stderr_bytes);
  }
  return result;
}

void SshTransport::set_codepage(int codepage) {
  if (!codepage_supported(codepage)) {
    throw std::invalid_argument("code page " + std::to_string(codepage) + " of " + endpoint() +
                                " cannot be decoded on this system");
  }
  options_.codepage = codepage;
}

void SshTransport::close() { drop_session(); }

}  // namespace lkr
