// One keep-alive HTTP(S) connection to a WinRM endpoint through libcurl: POSTs SOAP
// envelopes and maps libcurl's failures to TransportError kinds. Basic goes with each
// request; NTLM authenticates the connection once (NEGOTIATE/CHALLENGE/AUTHENTICATE in
// "Authorization: Negotiate" headers, on empty POSTs as Windows' own clients do) and
// then seals every envelope (multipart/encrypted) when message encryption is on.
// Kerberos likewise: one SPNEGO exchange per connection (a ticket for HTTP@host, the
// server's mutual-authentication token checked), then envelopes sealed with gss_wrap_iov.
// Over https both bind the login to the TLS connection (channel_binding.h) unless
// ansible_winrm_send_cbt is false.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "transports/transport.h"
#include "transports/winrm/kerberos_auth.h"
#include "transports/winrm/ntlm_sealing.h"
#include "transports/winrm/winrm_options.h"

namespace lkr::winrm {

struct HttpReply {
  long status = 0;
  std::string body;
};

// A reply that grew past the limit post() was given: the rest was not read (a server may
// send a reply of any size, and holding it whole would hold all of it in memory) and the
// connection was dropped.
struct ReplyTooLarge : TransportError {
  ReplyTooLarge(const std::string& what) : TransportError(Kind::protocol, what) {}
};

class HttpSession {
 public:
  explicit HttpSession(const WinrmOptions& options);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // POSTs `envelope`; `timeout` bounds each HTTP exchange. Throws TransportError
  // (unreachable, host_key for TLS identity problems, timeout, dropped, protocol). A
  // 401 comes back as a reply (the caller names host and auth mode). A reply body longer
  // than `max_reply_bytes` (0: default_reply_limit()) throws ReplyTooLarge as soon as it
  // gets there.
  HttpReply post(const std::string& envelope, std::chrono::milliseconds timeout,
                 size_t max_reply_bytes = 0);
  // Twice the MaxEnvelopeSize we ask for, and room for the sealing: a server that keeps to
  // the protocol never sends more in one reply.
  size_t default_reply_limit() const;

  // "https://host:port/wsman"
  const std::string& url() const { return url_; }
  // Drops the connection (the next post opens a new one).
  void reset();
  // How many TCP connections libcurl opened so far (keep-alive: stays 1 when healthy).
  long connections_opened() const { return connections_; }
  // How many NTLM or Kerberos handshakes ran (one per connection when healthy).
  long authentications() const { return authentications_; }
  // The network round trips waited for so far: every HTTP request (the envelopes and
  // each leg of an NTLM or Kerberos handshake) and each connection's setup
  // (count_round_trips in http_session.cpp).
  long long round_trips() const { return round_trips_; }
  // Whether envelopes are sealed (NTLM or Kerberos, message encryption on for this scheme).
  bool encrypts() const;

 private:
  struct Exchange {
    long status = 0;
    std::string body, content_type, negotiate_token;  // token: from WWW-Authenticate
    // The DER of the server's TLS certificate on the connection that answered, when the
    // login is bound to it (binds_channel()).
    std::string peer_certificate = "";
  };
  // NTLM or Kerberos over https with ansible_winrm_send_cbt on.
  bool binds_channel() const;
  // RFC 5929's application data for the certificate `e` came with ("" unless
  // binds_channel()). Throws TransportError when it cannot be computed.
  std::string channel_bindings_of(const Exchange& e);
  void configure();
  void count_round_trips(long connections_opened, bool request_sent);
  Exchange perform(const std::string& body, const std::string& content_type,
                   const std::string& authorization, std::chrono::milliseconds timeout);
  HttpReply post_negotiated(const std::string& envelope, std::chrono::milliseconds timeout);
  size_t reply_limit_ = 0;  // of the post() under way
  // Run the handshake on the current connection and set sealer_; a reply when the
  // server refused it.
  std::optional<HttpReply> authenticate_ntlm(std::chrono::milliseconds timeout);
  std::optional<HttpReply> authenticate_kerberos(std::chrono::milliseconds timeout);
  [[noreturn]] void kerberos_failure(const krb::GssError& e) const;

  const WinrmOptions& options_;
  std::string url_;
  void* curl_ = nullptr;  // CURL*
  long connections_ = 0;
  long authentications_ = 0;
  long long round_trips_ = 0;
  // NTLM's or Kerberos' (an established GssContext), set once the connection is
  // authenticated.
  std::unique_ptr<SessionSealer> sealer_;
};

}  // namespace lkr::winrm
