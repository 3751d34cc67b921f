// The multipart/encrypted framing of WinRM message encryption for Kerberos (MS-WSMV
// 2.2.9.1.2): le32(header length) + wrap token header + sealed data (+ cipher padding),
// as pykerberos' authGSSClientWrapIov lays out gss_wrap_iov's HEADER, DATA, PADDING.
// The sealer here is a stand-in that isolates the framing (a real GSSAPI context needs a
// KDC: the end-to-end Kerberos tests run this framing against gss_wrap_iov and pywinrm).
#include <catch2/catch.hpp>
#include <string>

#include "transports/winrm/encrypted_message.h"

namespace {

// Sealing as gss_wrap_iov shapes it: a fixed-size header that commits to the message,
// the data transformed in place, then `padding` bytes.
class ShapedSealer final : public lkr::winrm::SessionSealer {
 public:
  explicit ShapedSealer(size_t padding) : padding_(padding) {}
  Sealed seal(const std::string& message) override {
    std::string data = message;
    for (char& c : data) c = static_cast<char>(c ^ 0x5A);
    std::string header(60, 'H');
    header.replace(0, 8, std::to_string(message.size() + 10000000));  // 8 digits
    return {header, data + std::string(padding_, 'P')};
  }
  std::optional<std::string> unseal(const std::string& header, const std::string& data) override {
    last_header = header;
    last_data = data;
    if (header.size() != 60 || data.size() < padding_) return std::nullopt;
    std::string plain = data.substr(0, data.size() - padding_);
    for (char& c : plain) c = static_cast<char>(c ^ 0x5A);
    if (header.substr(0, 8) != std::to_string(plain.size() + 10000000)) return std::nullopt;
    return plain;
  }
  std::string last_header, last_data;

 private:
  size_t padding_;
};

}  // namespace

TEST_CASE("Kerberos-sealed bodies: header length first, then header, then data and padding") {
  for (size_t padding : {0u, 1u, 8u, 16u}) {
    INFO("padding " << padding);
    ShapedSealer sealer(padding);
    std::string envelope = "<s:Envelope>caf\xc3\xa9 --Encrypted Boundary--\r\n</s:Envelope>";
    std::string body = lkr::winrm::encrypt_body(sealer, envelope, lkr::winrm::kKerberosProtocol);
    std::string part = "\tContent-Type: application/octet-stream\r\n";
    CHECK(body.find("\tContent-Type: application/HTTP-Kerberos-session-encrypted\r\n") !=
          std::string::npos);
    CHECK(body.find("Length=" + std::to_string(envelope.size()) + "\r\n") != std::string::npos);
    size_t at = body.find(part);
    REQUIRE(at != std::string::npos);
    at += part.size();
    CHECK(body.substr(at, 4) == std::string("\x3c\0\0\0", 4));  // 60, little-endian
    std::string why;
    CHECK(lkr::winrm::decrypt_body(sealer, body, why) == envelope);
    // The sealer got exactly the header and the data with its padding.
    CHECK(sealer.last_header.size() == 60);
    CHECK(sealer.last_data.size() == envelope.size() + padding);
  }
}

TEST_CASE("Kerberos-sealed bodies that lie about their length are refused") {
  ShapedSealer sealer(0);
  std::string body =
      lkr::winrm::encrypt_body(sealer, "twelve bytes", lkr::winrm::kKerberosProtocol);
  std::string why;
  std::string longer = body;
  longer.replace(longer.find("Length=12"), 9, "Length=11");
  CHECK(lkr::winrm::decrypt_body(sealer, longer, why) == std::nullopt);
  std::string shorter = body;
  shorter.replace(shorter.find("Length=12"), 9, "Length=99");
  CHECK(lkr::winrm::decrypt_body(sealer, shorter, why) == std::nullopt);
  CHECK(why.find("truncated") != std::string::npos);
  std::string no_header = body;
  no_header.replace(no_header.find(std::string("\x3c\0\0\0", 4)), 4, std::string(4, '\0'));
  CHECK(lkr::winrm::decrypt_body(sealer, no_header, why) == std::nullopt);
}

TEST_CASE("the protocol of an encrypted body: SPNEGO under Negotiate, Kerberos under Kerberos") {
  using lkr::winrm::encrypted_content_type;
  using lkr::winrm::encrypted_protocol_of;
  using lkr::winrm::is_encrypted_content_type;
  std::string kerberos = encrypted_content_type(lkr::winrm::kKerberosProtocol);
  CHECK(kerberos ==
        "multipart/encrypted;protocol=\"application/HTTP-Kerberos-session-encrypted\";"
        "boundary=\"Encrypted Boundary\"");
  CHECK(is_encrypted_content_type(kerberos));
  CHECK(encrypted_protocol_of(kerberos) == lkr::winrm::kKerberosProtocol);
  CHECK(encrypted_content_type(lkr::winrm::kSpnegoProtocol) == lkr::winrm::kEncryptedContentType);
  CHECK(encrypted_protocol_of(lkr::winrm::kEncryptedContentType) == lkr::winrm::kSpnegoProtocol);
  CHECK_FALSE(is_encrypted_content_type(
      "multipart/encrypted;protocol=\"application/HTTP-CredSSP-session-encrypted\""));
}
