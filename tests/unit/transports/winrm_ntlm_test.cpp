// NTLMv2 and WinRM message encryption (transports/winrm/ntlm_*, encrypted_message):
// the primitives against published vectors (RFC 1320 for MD4, MS-NLMP 4.2.4 for
// NTLMv2 and sealing), then our client against our acceptor, which the lab serves.
#include <catch2/catch.hpp>
#include <string>

#include "transports/unicode_text.h"
#include "transports/winrm/encrypted_message.h"
#include "transports/winrm/ntlm_auth.h"
#include "transports/winrm/ntlm_crypto.h"
#include "transports/winrm/ntlm_sealing.h"

using namespace lkr::ntlm;

namespace {

std::string hex(const std::string& bytes) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

std::string unhex(const std::string& h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  return out;
}

// MS-NLMP 4.2.4: User "User", domain "Domain", password "Password", server "Server".
const std::string kServerChallenge = unhex("0123456789abcdef");
const std::string kClientChallenge(8, '\xaa');
const std::string kRandomSessionKey(16, '\x55');
const std::string kTime(8, '\0');
std::string spec_target_info() {
  auto pair = [](int id, const std::string& text) {
    std::string v = lkr::utf16le_from_utf8(text);
    return std::string{static_cast<char>(id), 0, static_cast<char>(v.size()), 0} + v;
  };
  return pair(2, "Domain") + pair(1, "Server") + std::string(4, '\0');
}

}  // namespace

TEST_CASE("MD4 and RC4 give the published test vectors") {
  CHECK(hex(md4("")) == "31d6cfe0d16ae931b73c59d7e0c089c0");  // RFC 1320 A.5
  CHECK(hex(md4("abc")) == "a448017aaf21d8525fc10ae87aa6729d");
  CHECK(hex(md4(
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890")) ==
        "e33b4ddc9c38f2199c3e7b164fcc0536");
  CHECK(hex(Rc4("Key").apply("Plaintext")) == "bbf316e8d940af0ad3");  // the classic RC4 vector
  Rc4 stream("Key");  // one continuing stream equals one call over the concatenation
  std::string first = stream.apply("Plain");
  CHECK(hex(first + stream.apply("text")) == "bbf316e8d940af0ad3");
}

TEST_CASE("NTLMv2 responses and keys match MS-NLMP 4.2.4") {
  std::string key = nt_owf_v2("Password", "User", "Domain");
  CHECK(hex(key) == "0c868a403bfd7a93a3001ef22ef02e3f");  // 4.2.4.1.1
  V2Response r =
      ntlmv2_response(key, kServerChallenge, kClientChallenge, kTime, spec_target_info());
  CHECK(hex(r.nt_proof) == "68cd0ab851e51c96aabc927bebef6a1c");          // 4.2.4.2.2
  CHECK(hex(r.session_base_key) == "8de40ccadbc14a82f15cb0ad0de95ca3");  // 4.2.4.1.2
  // 4.2.4.2.3: the exported key travels RC4-encrypted under the key exchange key.
  CHECK(hex(Rc4(r.session_base_key).apply(kRandomSessionKey)) ==
        "c5dad2544fc9799094ce1ce90bc9d03e");
  // The LMv2 response (4.2.4.2.1) is the same HMAC over both challenges.
  CHECK(hex(hmac_md5(key, kServerChallenge + kClientChallenge)) ==
        "86c35097ac9cec102554764a57cccc19");
}

TEST_CASE("sealing matches MS-NLMP 4.2.4.4 and unseals on the other side") {
  NtlmSessionKeys keys{kRequiredFlags, kRandomSessionKey};
  NtlmSealing client(keys, NtlmSealing::Side::client);
  auto sealed = client.seal(lkr::utf16le_from_utf8("Plaintext"));
  CHECK(hex(sealed.data) == "54e50165bf1936dc996020c1811b0f06fb5f");
  CHECK(hex(sealed.header) == "010000007fb38ec5c55d497600000000");

  NtlmSealing server(keys, NtlmSealing::Side::server);
  CHECK(server.unseal(sealed.header, sealed.data) == lkr::utf16le_from_utf8("Plaintext"));
  // Sequence numbers advance per direction; a replay of message 0 no longer verifies.
  auto second = client.seal("second");
  CHECK(server.unseal(sealed.header, sealed.data) == std::nullopt);
  NtlmSealing fresh(keys, NtlmSealing::Side::server);
  fresh.unseal(sealed.header, sealed.data);
  CHECK(fresh.unseal(second.header, second.data) == "second");
  auto reply = fresh.seal("reply");
  CHECK(client.unseal(reply.header, reply.data) == "reply");
}

TEST_CASE("our NTLM client authenticates to our acceptor and both derive the same keys") {
  NtlmClient client("root", "s3cret pass");
  NtlmAcceptor acceptor("ROOT", "s3cret pass", "LABNODE");
  std::string negotiate = client.negotiate();
  CHECK(message_type(negotiate) == 1);
  std::string challenge = acceptor.challenge(negotiate);
  CHECK(message_type(challenge) == 2);
  std::string authenticate = client.authenticate(challenge);
  CHECK(message_type(authenticate) == 3);
  REQUIRE(acceptor.accept(authenticate));
  CHECK(acceptor.keys().exported_session_key == client.keys().exported_session_key);
  CHECK(acceptor.keys().exported_session_key.size() == 16);
  CHECK(acceptor.accept(authenticate) == false);  // one AUTHENTICATE per CHALLENGE

  SECTION("a flipped MIC byte is refused") {
    NtlmClient c("root", "s3cret pass");
    NtlmAcceptor a("root", "s3cret pass", "LABNODE");
    std::string chal = a.challenge(c.negotiate());
    std::string auth = c.authenticate(chal);
    auth[80] = static_cast<char>(auth[80] ^ 1);
    CHECK_FALSE(a.accept(auth));
  }
}

TEST_CASE("the NTLM acceptor refuses a wrong password, another user and garbage") {
  auto attempt = [](const std::string& user, const std::string& password) {
    NtlmClient c(user, password);
    NtlmAcceptor a("root", "right", "LABNODE");
    return a.accept(c.authenticate(a.challenge(c.negotiate())));
  };
  CHECK(attempt("root", "right"));
  CHECK(attempt("LAB\\root", "right"));  // any domain: a local account
  CHECK_FALSE(attempt("root", "wrong"));
  CHECK_FALSE(attempt("admin", "right"));
  NtlmAcceptor a("root", "right", "LABNODE");
  NtlmClient c("root", "right");
  a.challenge(c.negotiate());
  CHECK_FALSE(a.accept("NTLMSSP"));
  CHECK_FALSE(a.accept(std::string("NTLMSSP\0\3\0\0\0", 12) + std::string(80, '\xff')));
  CHECK_THROWS_AS(a.challenge("not ntlm"), NtlmError);
}

TEST_CASE("the client refuses a server that offers no sealing") {
  NtlmClient c("root", "pw");
  NtlmAcceptor a("root", "pw", "LABNODE");
  std::string challenge = a.challenge(c.negotiate());
  // Clear SEAL (0x20) in the challenge's flags at offset 20.
  challenge[20] = static_cast<char>(challenge[20] & ~0x20);
  CHECK_THROWS_AS(c.authenticate(challenge), NtlmError);
}

TEST_CASE("encrypted WinRM bodies round-trip and are read with or without tabs") {
  NtlmSessionKeys keys{kRequiredFlags, kRandomSessionKey};
  NtlmSealing client(keys, NtlmSealing::Side::client), server(keys, NtlmSealing::Side::server);
  std::string envelope = "<s:Envelope>caf\xc3\xa9 --Encrypted Boundary inside</s:Envelope>";
  std::string body = lkr::winrm::encrypt_body(client, envelope);
  CHECK(body.rfind(
            "--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
            "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" +
                std::to_string(envelope.size()) +
                "\r\n--Encrypted Boundary\r\n"
                "\tContent-Type: application/octet-stream\r\n\x10\0\0\0",
            0) == 0);
  CHECK(body.size() >= 24);
  CHECK(body.substr(body.size() - 24) == "--Encrypted Boundary--\r\n");
  CHECK(body.find("caf") == std::string::npos);  // sealed, not in the clear
  std::string why;
  CHECK(lkr::winrm::decrypt_body(server, body, why) == envelope);

  std::string untabbed = lkr::winrm::encrypt_body(client, "second");
  for (size_t p; (p = untabbed.find("\r\n\t")) != std::string::npos;) untabbed.erase(p + 2, 1);
  CHECK(lkr::winrm::decrypt_body(server, untabbed, why) == "second");

  std::string tampered = lkr::winrm::encrypt_body(client, "third");
  tampered[tampered.size() - 30] ^= 1;
  CHECK(lkr::winrm::decrypt_body(server, tampered, why) == std::nullopt);
  CHECK(why.find("signature") != std::string::npos);
  CHECK(lkr::winrm::decrypt_body(server, "<s:Envelope/>", why) == std::nullopt);
  CHECK(lkr::winrm::is_encrypted_content_type(lkr::winrm::kEncryptedContentType));
  CHECK_FALSE(lkr::winrm::is_encrypted_content_type("application/soap+xml;charset=UTF-8"));
}
