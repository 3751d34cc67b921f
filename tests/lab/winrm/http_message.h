// HTTP/1.1 requests as the lab's WinRM endpoint reads them (RFC 9112), pure: the
// request head into method, target and headers. Tolerant the way Windows' HTTP.SYS is
// for what real WinRM clients send: header lines with or without leading whitespace
// (pywinrm's encrypted multipart parts indent theirs with a tab), names in any case.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace lab::winrm {

struct HttpRequest {
  std::string method, target, version;
  std::multimap<std::string, std::string> headers;  // names lower-cased, values trimmed

  // The first value of header `name` (any case), or nullopt.
  std::optional<std::string> header(const std::string& name) const;
  bool keep_alive() const;  // HTTP/1.1 default, unless "Connection: close"
};

// Parses `head` (request line and header lines, CRLF or LF separated, without the
// empty line). nullopt when the request line is malformed.
std::optional<HttpRequest> parse_request_head(const std::string& head);

// "Name: value" lines (each may begin with spaces or tabs) into lower-cased names and
// trimmed values. A line without a colon is ignored.
std::multimap<std::string, std::string> parse_header_lines(const std::string& lines);

// Status line, Content-Length and the given headers ("Name: value\r\n" each), then body.
std::string http_response(int status, const std::string& reason, const std::string& headers,
                          const std::string& body);

}  // namespace lab::winrm
