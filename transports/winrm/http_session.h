// One keep-alive HTTP(S) connection to a WinRM endpoint through libcurl: POSTs SOAP
// envelopes, authenticates (Basic) with each request on the same connection, and maps
// libcurl's failures to TransportError kinds.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "transports/winrm/winrm_options.h"

namespace lkr::winrm {

struct HttpReply {
  long status = 0;
  std::string body;
};

class HttpSession {
 public:
  explicit HttpSession(const WinrmOptions& options);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // POSTs `envelope`; `timeout` bounds the whole exchange. Throws TransportError
  // (unreachable, host_key for TLS identity problems, timeout, dropped, protocol).
  HttpReply post(const std::string& envelope, std::chrono::milliseconds timeout);

  // "https://host:port/wsman"
  const std::string& url() const { return url_; }
  // Drops the connection (the next post opens a new one).
  void reset();
  // How many TCP connections libcurl opened so far (keep-alive: stays 1 when healthy).
  long connections_opened() const { return connections_; }

 private:
  void configure();

  const WinrmOptions& options_;
  std::string url_;
  void* curl_ = nullptr;  // CURL*
  long connections_ = 0;
};

}  // namespace lkr::winrm
