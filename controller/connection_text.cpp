#include "controller/connection_text.h"

namespace lkr {

std::string connection_text(const Host& host, const Transport& transport) {
  std::string text;
  if (host.connection == Connection::winrm) {
    const WinrmSettings& w = host.winrm;
    text = "winrm " + std::string(to_string(w.scheme)) + "://" + host.address + ":" +
           std::to_string(host.port) + w.path + ", user " + host.user + ", auth " +
           std::string(to_string(w.auth)) + ", message encryption " +
           std::string(to_string(w.message_encryption));
    if (w.scheme == WinrmScheme::https && !w.validate_certificate)
      text += ", server certificate NOT verified";
  } else {
    text = "ssh " + (host.user.empty() ? "" : host.user + "@") + host.address + ":" +
           std::to_string(host.port);
  }
  std::string details = transport.connection_details();
  return details.empty() ? text : text + ", " + details;
}

}  // namespace lkr
