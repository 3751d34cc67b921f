#include "tests/lab/winrm/http_message.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace lab::winrm {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::optional<std::string> HttpRequest::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

bool HttpRequest::keep_alive() const {
  auto c = header("connection");
  if (c && lower(*c) == "close") return false;
  if (version == "HTTP/1.0") return c && lower(*c) == "keep-alive";
  return true;
}

std::multimap<std::string, std::string> parse_header_lines(const std::string& lines) {
  std::multimap<std::string, std::string> out;
  std::istringstream in(lines);
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) continue;
    out.emplace(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return out;
}

std::optional<HttpRequest> parse_request_head(const std::string& head) {
  size_t eol = head.find('\n');
  std::string first = trim(head.substr(0, eol));
  HttpRequest r;
  std::istringstream words(first);
  std::string extra;
  if (!(words >> r.method >> r.target >> r.version) || (words >> extra)) return std::nullopt;
  if (r.version.rfind("HTTP/1.", 0) != 0) return std::nullopt;
  if (eol != std::string::npos) r.headers = parse_header_lines(head.substr(eol + 1));
  return r;
}

std::string http_response(int status, const std::string& reason, const std::string& headers,
                          const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nServer: Microsoft-HTTPAPI/2.0\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n" + headers + "\r\n" + body;
}

}  // namespace lab::winrm
