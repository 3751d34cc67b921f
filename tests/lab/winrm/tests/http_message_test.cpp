// The endpoint's HTTP request head parsing: what real WinRM clients send.
#include "tests/lab/winrm/http_message.h"

#include <catch2/catch.hpp>

using namespace lab::winrm;

TEST_CASE("header lines are read with and without a leading tab, names in any case") {
  auto r = parse_request_head(
      "POST /wsman HTTP/1.1\r\nHost: 127.160.0.1:5986\r\n\tContent-Type: "
      "application/soap+xml;charset=UTF-8\r\n  CONTENT-LENGTH:  42 \r\nAuthorization: Basic "
      "dTpw\r\n");
  REQUIRE(r);
  CHECK(r->method == "POST");
  CHECK(r->target == "/wsman");
  CHECK(r->header("content-type") ==
        std::optional<std::string>("application/soap+xml;charset=UTF-8"));
  CHECK(r->header("Content-Length") == std::optional<std::string>("42"));
  CHECK(r->header("authorization") == std::optional<std::string>("Basic dTpw"));
  CHECK_FALSE(r->header("x-missing"));
  CHECK(r->keep_alive());
}

TEST_CASE("multipart part headers indented with a tab (pywinrm's encrypted messages)") {
  auto h = parse_header_lines(
      "\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
      "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=1234\r\n");
  REQUIRE(h.size() == 2);
  CHECK(h.find("content-type")->second == "application/HTTP-SPNEGO-session-encrypted");
  CHECK(h.find("originalcontent")->second == "type=application/soap+xml;charset=UTF-8;Length=1234");
}

TEST_CASE("keep-alive follows HTTP/1.1 and Connection") {
  CHECK_FALSE(parse_request_head("POST /wsman HTTP/1.1\r\nConnection: close")->keep_alive());
  CHECK_FALSE(parse_request_head("POST /wsman HTTP/1.0")->keep_alive());
  CHECK(parse_request_head("POST /wsman HTTP/1.0\nConnection: Keep-Alive")->keep_alive());
}

TEST_CASE("a malformed request line is refused") {
  CHECK_FALSE(parse_request_head(""));
  CHECK_FALSE(parse_request_head("POST /wsman"));
  CHECK_FALSE(parse_request_head("POST /wsman SPDY/3"));
  CHECK_FALSE(parse_request_head("POST /wsman HTTP/1.1 extra"));
}

TEST_CASE("responses carry Content-Length and the given headers") {
  std::string r =
      http_response(401, "Unauthorized", "WWW-Authenticate: Basic realm=\"WSMAN\"\r\n", "");
  CHECK(r.rfind("HTTP/1.1 401 Unauthorized\r\n", 0) == 0);
  CHECK(r.find("Content-Length: 0\r\n") != std::string::npos);
  CHECK(r.find("WWW-Authenticate: Basic realm=\"WSMAN\"\r\n\r\n") != std::string::npos);
}
