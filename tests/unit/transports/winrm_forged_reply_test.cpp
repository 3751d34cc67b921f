// The attack "WinRM accepts plaintext replies while message encryption is on": a fake WinRM
// endpoint on loopback completes the NTLM handshake, then answers the sealed requests as an
// attacker on the path would: in plain SOAP (a success, a fault, a 401), sealed but
// tampered, replayed or out of sequence. Every such reply must be refused, naming host and
// auth mode; only an honest sealed reply is taken.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "tests/unit/transports/loopback_http_server.h"
#include "transports/base64.h"
#include "transports/transport.h"
#include "transports/winrm/encrypted_message.h"
#include "transports/winrm/http_session.h"
#include "transports/winrm/ntlm_auth.h"
#include "transports/winrm/ntlm_sealing.h"

using Catch::Matchers::Contains;
using lkr::TransportError;
using namespace std::chrono_literals;

namespace {

const std::string kUser = "Administrator";
const std::string kPassword = "Fake-endpoint-pw1";
const std::string kSoap =
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>"
    "<rsp:Shell xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\">"
    "<rsp:ShellId>FORGED</rsp:ShellId></rsp:Shell></s:Body></s:Envelope>";
const std::string kSoapType = "application/soap+xml;charset=UTF-8";
const std::string kFault =
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><s:Fault>"
    "<s:Reason><s:Text>forged fault</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>";

enum class Mode {
  honest,
  plain_ok,
  plain_fault,
  plain_401,
  tampered,
  bad_signature,
  replayed,
  skipped_sequence
};

// The fake endpoint: a real NTLM acceptor (it knows the password, as a relay in the middle
// would have the keys of the honest server), then answers as `mode` says.
class FakeWinrm {
 public:
  explicit FakeWinrm(Mode mode)
      : mode_(mode), server_([this](const lkr::test::HttpRequest& r, int fd) {
          return lkr::test::LoopbackHttpServer::send_all(fd, answer(r));
        }) {}
  int port() const { return server_.port(); }
  int sealed_requests() const { return sealed_requests_; }

 private:
  std::string answer(const lkr::test::HttpRequest& r) {
    if (r.connection != connection_) {  // NTLM authenticates a connection
      connection_ = r.connection;
      acceptor_.emplace(kUser, kPassword, "FAKE");
      sealer_.reset();
    }
    if (r.authorization.rfind("Negotiate ", 0) == 0) {
      auto token = lkr::base64_decode(r.authorization.substr(10)).value_or("");
      if (lkr::ntlm::message_type(token) == 1)
        return http(401, "", "",
                    "WWW-Authenticate: Negotiate " +
                        lkr::base64_encode(acceptor_->challenge(token)) + "\r\n");
      if (!acceptor_->accept(token)) return http(401, "", "");
      sealer_.emplace(acceptor_->keys(), lkr::ntlm::NtlmSealing::Side::server);
      return http(200, "", "");
    }
    ++sealed_requests_;
    std::string why;
    // Reading the request keeps the fake's sequence numbers in step with the client's.
    if (!sealer_ || !lkr::winrm::decrypt_body(*sealer_, r.body, why)) return http(400, "", "");
    auto& sealer = *sealer_;
    switch (mode_) {
      case Mode::plain_ok:
        return http(200, kSoapType, kSoap);
      case Mode::plain_fault:
        return http(500, kSoapType, kFault);
      case Mode::plain_401:
        return http(401, kSoapType, "");
      case Mode::honest:
        return sealed(lkr::winrm::encrypt_body(sealer, kSoap));
      case Mode::tampered: {
        std::string body = lkr::winrm::encrypt_body(sealer, kSoap);
        body[body.size() - std::string("--Encrypted Boundary--\r\n").size() - 5] ^= 0x20;
        return sealed(body);
      }
      case Mode::bad_signature: {
        std::string body = lkr::winrm::encrypt_body(sealer, kSoap);
        size_t octets = body.find("application/octet-stream\r\n") + 26;
        body[octets + 4 + 6] ^= 0x01;  // inside the 16-byte signature's checksum
        return sealed(body);
      }
      case Mode::replayed:
        // The first sealed answer, genuine, sent again for every later request.
        if (first_.empty()) first_ = lkr::winrm::encrypt_body(sealer, kSoap);
        return sealed(first_);
      case Mode::skipped_sequence:
        lkr::winrm::encrypt_body(sealer, kSoap);  // one held back: the next skips a number
        return sealed(lkr::winrm::encrypt_body(sealer, kSoap));
    }
    return http(500, "", "");
  }

  static std::string http(int status, const std::string& type, const std::string& body,
                          const std::string& headers = "") {
    return lkr::test::LoopbackHttpServer::response(status, type, body, headers);
  }
  static std::string sealed(const std::string& body) {
    return http(200, lkr::winrm::kEncryptedContentType, body);
  }

  Mode mode_;
  int connection_ = 0;
  std::optional<lkr::ntlm::NtlmAcceptor> acceptor_;
  std::optional<lkr::ntlm::NtlmSealing> sealer_;
  std::atomic<int> sealed_requests_{0};
  std::string first_;
  lkr::test::LoopbackHttpServer server_;  // last: its thread stops before the state goes
};

lkr::WinrmOptions ntlm_over_http(int port) {
  lkr::WinrmOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.scheme = lkr::WinrmScheme::http;
  o.auth = lkr::WinrmAuth::ntlm;
  o.message_encryption = lkr::MessageEncryption::automatic;
  o.user = kUser;
  o.password = kPassword;
  return o;
}

// The refusal of the first post, as the transport reports it.
std::string refusal(Mode mode, int posts = 1) {
  FakeWinrm fake(mode);
  auto options = ntlm_over_http(fake.port());
  lkr::winrm::HttpSession session(options);
  try {
    for (int i = 0; i < posts; ++i) {
      auto reply = session.post(kSoap, 5s);
      INFO("HTTP " << reply.status << ": " << reply.body);
      CHECK(reply.body == kSoap);  // only ever the honest answer
    }
  } catch (const TransportError& e) {
    std::string text = e.what();
    CHECK_THAT(text, Contains("127.0.0.1"));
    CHECK_THAT(text, Contains("(ntlm"));
    CHECK(text.find(kPassword) == std::string::npos);
    CHECK(text.find("FORGED") == std::string::npos);  // nothing of the forged body is shown
    return text;
  }
  FAIL("the forged reply was taken");
  return "";
}

}  // namespace

TEST_CASE("an honest sealed reply is read (the fake endpoint is a fair test)") {
  FakeWinrm fake(Mode::honest);
  auto options = ntlm_over_http(fake.port());
  lkr::winrm::HttpSession session(options);
  for (int i = 0; i < 3; ++i) {
    auto reply = session.post(kSoap, 5s);
    CHECK(reply.status == 200);
    CHECK(reply.body == kSoap);
  }
  CHECK(fake.sealed_requests() == 3);
  CHECK(session.authentications() == 1);
}

TEST_CASE("a plain SOAP reply to a sealed request is refused, whatever its status") {
  SECTION("HTTP 200") {
    CHECK_THAT(refusal(Mode::plain_ok), Contains("is not encrypted, refused"));
  }
  SECTION("a SOAP fault, HTTP 500") {
    CHECK_THAT(refusal(Mode::plain_fault), Contains("HTTP 500"));
  }
  SECTION("HTTP 401") { CHECK_THAT(refusal(Mode::plain_401), Contains("HTTP 401")); }
}

TEST_CASE("a sealed reply that does not verify is refused") {
  SECTION("tampered sealed bytes") {
    CHECK_THAT(refusal(Mode::tampered), Contains("cannot be read"));
  }
  SECTION("a wrong signature") {
    CHECK_THAT(refusal(Mode::bad_signature), Contains("cannot be read"));
  }
  SECTION("a genuine reply replayed") {
    CHECK_THAT(refusal(Mode::replayed, 2), Contains("cannot be read"));
  }
  SECTION("a sequence number skipped") {
    CHECK_THAT(refusal(Mode::skipped_sequence), Contains("cannot be read"));
  }
}
