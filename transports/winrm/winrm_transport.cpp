#include "transports/winrm/winrm_transport.h"

#include <algorithm>
#include <stdexcept>

#include "transports/codepage.h"
#include "transports/winrm/wsman_reply.h"

namespace lkr {
namespace {

using Kind = TransportError::Kind;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// A SOAP fault from the server, with its decoded text.
struct FaultError : TransportError {
  winrm::SoapFault fault;
  FaultError(const std::string& what, winrm::SoapFault f)
      : TransportError(Kind::protocol, what), fault(std::move(f)) {}
};

}  // namespace

// Settings that cannot work are reported by connect(), as a TransportError naming the
// host, so one badly configured host fails alone instead of the whole run.
std::string WinrmTransport::check_options() const {
  const WinrmOptions& o = options_;
  if (o.auth == WinrmAuth::certificate &&
      (o.scheme != WinrmScheme::https || o.cert_pem.empty() || o.cert_key_pem.empty()))
    return "WinRM certificate auth for " + o.host +
           " needs ansible_winrm_scheme: https and both ansible_winrm_cert_pem and "
           "ansible_winrm_cert_key_pem";
  if (o.auth == WinrmAuth::basic && o.scheme == WinrmScheme::http && !o.allow_unencrypted)
    return "WinRM basic auth over http to " + o.host +
           " would send the password unencrypted; use ansible_winrm_scheme: https, or allow it "
           "explicitly with ansible_winrm_message_encryption: never";
  if (o.operation_timeout_s < 1 || o.read_timeout_s <= o.operation_timeout_s)
    return "WinRM timeouts of " + o.host +
           ": ansible_winrm_read_timeout_sec must exceed ansible_winrm_operation_timeout_sec, and "
           "both must be positive";
  return "";
}

WinrmTransport::WinrmTransport(WinrmOptions options)
    : Transport(Shell::cmd), options_(std::move(options)) {
  http_ = std::make_unique<winrm::HttpSession>(options_);
  if (!options_.verify_tls)
    notices_.push_back("TLS certificate of " + http_->url() +
                       " is not verified (ansible_winrm_server_cert_validation: ignore)");
  if (channel_binding_off())
    notices_.push_back("channel binding is off for " + http_->url() +
                       " (ansible_winrm_send_cbt: false): a login relayed through a man in the "
                       "middle cannot be told from a direct one");
}

bool WinrmTransport::channel_binding_off() const {
  return options_.scheme == WinrmScheme::https && authenticates_connection(options_.auth) &&
         !options_.send_cbt;
}

// The controller never calls close(): without this, every run would leave its shells on
// the nodes until their IdleTimeout, and repeated runs would reach MaxShellsPerUser.
WinrmTransport::~WinrmTransport() { close(); }

std::string WinrmTransport::endpoint() const {
  return http_->url() + " (" + std::string(to_string(options_.auth)) + ")";
}

winrm::MessageHeader WinrmTransport::header(int operation_timeout_s) const {
  winrm::MessageHeader h;
  h.to = http_->url();
  h.message_id = winrm::new_message_id();
  h.max_envelope_size = options_.max_envelope_size;
  h.operation_timeout_s = operation_timeout_s;
  h.locale = options_.locale;
  return h;
}

// What a 401 most likely means, for the operator.
std::string WinrmTransport::refusal_text() const {
  const std::string who = "WinRM " + endpoint() + " refused the ";
  const std::string name = "user \"" + options_.user + "\"", user = name + " (HTTP 401)";
  // Windows with Extended Protection "Strict" (CbtHardeningLevel) answers a login without
  // channel binding with a plain 401, as it answers a wrong password.
  if (channel_binding_off() && !(options_.auth == WinrmAuth::ntlm && options_.password.empty()))
    return who + "login of " + user +
           ", most likely because channel binding is off (ansible_winrm_send_cbt: false) and the "
           "node requires it (Extended Protection, CbtHardeningLevel Strict): remove "
           "ansible_winrm_send_cbt or set it to true";
  // With channel binding on, a 401 may also mean that TLS was re-encrypted on the way.
  const std::string relay =
      options_.scheme == WinrmScheme::https && authenticates_connection(options_.auth)
          ? "; or something between here and the node re-encrypts TLS (a proxy or a relay: the "
            "channel binding then names its certificate, not the node's)"
          : "";
  if (options_.auth == WinrmAuth::kerberos)
    return who + "Kerberos ticket of " + user + ". Check that the node's service principal " +
           options_.kerberos_service + "/" +
           (options_.kerberos_hostname.empty() ? options_.host : options_.kerberos_hostname) +
           " and its keytab match the KDC" + relay;
  if (options_.password.empty())
    return "WinRM " + endpoint() + " asks " + name +
           " for a password (HTTP 401), and none was given: set ansible_password, or pass "
           "--ask-pass or --password-env VAR";
  return who + "credentials of " + user + ". Check ansible_user and the password" + relay;
}

std::string WinrmTransport::exchange(const std::string& envelope, milliseconds timeout,
                                     const char* what, size_t max_reply_bytes) {
  winrm::HttpReply reply = http_->post(envelope, timeout, max_reply_bytes);
  if (reply.status == 200) return reply.body;
  if (reply.status == 401) throw TransportError(Kind::auth, refusal_text());
  if (auto fault = winrm::parse_fault(reply.body))
    throw FaultError("WinRM " + endpoint() + ": " + what + " failed: " + fault->text(), *fault);
  throw TransportError(Kind::protocol, "WinRM " + endpoint() + ": " + what + " got HTTP status " +
                                           std::to_string(reply.status));
}

void WinrmTransport::create_shell() {
  milliseconds limit = std::chrono::seconds(options_.read_timeout_s);
  try {
    std::string reply = exchange(
        winrm::create_shell_request(header(options_.operation_timeout_s), options_.codepage), limit,
        "Create shell");
    shell_id_ = winrm::parse_shell_id(reply);
  } catch (const FaultError& e) {
    if (e.fault.quota_exceeded())
      throw TransportError(Kind::protocol, std::string(e.what()) +
                                               ". The node's WinRM shell quota is exhausted "
                                               "(MaxShellsPerUser): close other sessions");
    throw;
  } catch (const winrm::ReplyError& e) {
    throw TransportError(Kind::protocol, "WinRM " + endpoint() + ": " + e.what());
  }
}

void WinrmTransport::connect() {
  close();
  std::string problem = check_options();
  if (!problem.empty()) throw TransportError(Kind::auth, problem);
  create_shell();
}

std::string WinrmTransport::start_command(const std::string& command_line) {
  milliseconds limit = std::chrono::seconds(options_.read_timeout_s);
  // The whole line goes as the Command: the quoting layer rendered it for cmd.exe, and
  // WinRS hands Command + " " + Arguments to cmd.exe /c, so splitting it would only
  // have it joined again.
  auto attempt = [&] {
    return winrm::parse_command_id(exchange(
        winrm::command_request(header(options_.operation_timeout_s), shell_id_, command_line, {}),
        limit, "Command"));
  };
  try {
    return attempt();
  } catch (const FaultError& e) {
    if (!e.fault.shell_gone()) throw;
  }
  // The shell expired or the service restarted: nothing ran yet, so a new shell is safe.
  create_shell();
  return attempt();
}

void WinrmTransport::terminate_command(const std::string& command_id) {
  exchange(
      winrm::signal_terminate_request(header(options_.operation_timeout_s), shell_id_, command_id),
      std::chrono::seconds(options_.read_timeout_s), "Signal terminate");
}

// What one Receive reply may hold: a reply within the MaxEnvelopeSize we ask for (what
// Windows sends), or the base64 of what the cap still has room for in one stream, if that
// is more. Past it the reply is not read: a server may send any amount in one reply, and
// it would all be held (text, parsed document, decoded bytes) before the cap could cut it.
// Once both streams are full, protocol-sized replies are still read, their output dropped.
size_t WinrmTransport::receive_limit(size_t stdout_kept, size_t stderr_kept) const {
  auto room = [&](size_t kept) {
    return options_.max_output_bytes > kept ? options_.max_output_bytes - kept : 0;
  };
  size_t output = std::max(room(stdout_kept), room(stderr_kept));
  return std::max(http_->default_reply_limit(), (output + 2) / 3 * 4 + 4096);
}

CommandResult WinrmTransport::run_line(const std::string& command_line, milliseconds timeout) {
  if (shell_id_.empty())
    throw TransportError(Kind::dropped, "no WinRM shell on " + endpoint() +
                                            " (the session was closed or lost): connect again");
  CommandResult result;
  result.start = std::chrono::system_clock::now();
  auto deadline = Clock::now() + timeout;
  std::string stdout_bytes, stderr_bytes;
  const char* when = "while starting a command";
  bool cut_short = false;  // a Receive reply outgrew the cap: the command is stopped
  try {
    std::string command_id = start_command(command_line);
    when = "while a command was running";
    int margin_s = options_.read_timeout_s - options_.operation_timeout_s;
    for (;;) {
      auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      if (left <= milliseconds(0)) {
        terminate_command(command_id);
        throw TransportError(Kind::timeout, "command on " + endpoint() + " did not finish within " +
                                                std::to_string(timeout.count()) +
                                                " ms; it was terminated (Signal terminate)");
      }
      // The server holds a Receive at most OperationTimeout; never past our deadline.
      int op_s = static_cast<int>(
          std::clamp<long long>((left.count() + 999) / 1000, 1, options_.operation_timeout_s));
      winrm::ReceiveOutput out;
      try {
        out = winrm::parse_receive(
            exchange(winrm::receive_request(header(op_s), shell_id_, command_id),
                     std::chrono::seconds(op_s + margin_s), "Receive",
                     receive_limit(stdout_bytes.size(), stderr_bytes.size())),
            command_id);
      } catch (const FaultError& e) {
        if (e.fault.operation_timed_out()) continue;  // still running: ask again
        throw;
      } catch (const winrm::ReplyTooLarge&) {
        // More output than the cap can hold came in one reply: what was kept stays, the
        // rest is not read, and the command is stopped (on a new connection) as a timed
        // out one is. The result says truncated, so nobody acts on part of an answer.
        result.truncated = cut_short = true;
        break;
      }
      auto append = [&](std::string& to, const std::string& bytes) {
        size_t room =
            options_.max_output_bytes > to.size() ? options_.max_output_bytes - to.size() : 0;
        if (bytes.size() > room) result.truncated = true;
        to.append(bytes, 0, std::min(room, bytes.size()));
      };
      append(stdout_bytes, out.stdout_bytes);
      append(stderr_bytes, out.stderr_bytes);
      if (out.done) {
        result.exit_code = out.exit_code;
        break;
      }
    }
    if (!cut_short) {
      // Not a round trip to save: MS-WSMV 3.1.4.14 (Receive) says a final Signal MUST be
      // issued for the command after all its stream data was received, Receive alone is
      // not sufficient; it frees the command on the server, as WinRS clients do.
      terminate_command(command_id);
    } else {
      try {
        terminate_command(command_id);
      } catch (const TransportError&) {
        // Best effort: the shell's IdleTimeout ends it otherwise; the result is cut anyway.
      }
    }
  } catch (const FaultError& e) {
    if (e.fault.shell_gone()) shell_id_.clear();
    throw TransportError(e.fault.shell_gone() ? Kind::dropped : Kind::protocol, e.what());
  } catch (const winrm::ReplyError& e) {
    throw TransportError(Kind::protocol, "WinRM " + endpoint() + ": " + e.what());
  } catch (const TransportError& e) {
    if (e.kind != Kind::dropped) throw;
    shell_id_.clear();
    // As the SSH transport says it: host and auth mode, and that the outcome is unknown.
    throw TransportError(Kind::dropped, "connection to " + endpoint() + " dropped " + when + " (" +
                                            e.what() +
                                            "); the command's outcome is unknown: check the "
                                            "node before running it again");
  }
  result.end = std::chrono::system_clock::now();
  result.stdout_utf8 = decode_to_utf8(stdout_bytes, options_.codepage);
  result.stderr_utf8 = decode_to_utf8(stderr_bytes, options_.codepage);
  if (keep_raw_output_) {
    result.stdout_bytes = std::move(stdout_bytes);
    result.stderr_bytes = std::move(stderr_bytes);
  }
  return result;
}

void WinrmTransport::set_codepage(int codepage) {
  if (!codepage_supported(codepage))
    throw std::invalid_argument("code page " + std::to_string(codepage) + " of " + endpoint() +
                                " cannot be decoded on this system");
  options_.codepage = codepage;
}

void WinrmTransport::close() {
  if (!shell_id_.empty()) {
    try {
      exchange(winrm::delete_shell_request(header(options_.operation_timeout_s), shell_id_),
               std::chrono::seconds(5), "Delete shell");
    } catch (const std::exception&) {
      // Best effort: the server drops an idle shell itself (IdleTimeout).
    }
    shell_id_.clear();
  }
  http_->reset();
}

}  // namespace lkr
