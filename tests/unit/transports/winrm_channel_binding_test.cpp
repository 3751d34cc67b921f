// Channel binding (transports/winrm/channel_binding.h): RFC 5929's tls-server-end-point
// for certificates signed with each kind of hash, made here with OpenSSL; NTLM's
// MsvAvChannelBindings inside the NTLMv2 response, read back by our acceptor; and, as an
// independent implementation, requests-ntlm and ntlm-auth (what pywinrm sends) computing
// the same MsvAvChannelBindings for the same certificate.
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "transports/winrm/channel_binding.h"
#include "transports/winrm/ntlm_auth.h"

using lkr::winrm::ChannelBindingError;
using lkr::winrm::ntlm_channel_bindings_hash;
using lkr::winrm::tls_server_end_point;

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Key new_key(const char* algorithm, const char* parameter = nullptr) {
  EVP_PKEY* key = parameter != nullptr ? EVP_PKEY_Q_keygen(nullptr, nullptr, algorithm, parameter)
                                       : EVP_PKEY_Q_keygen(nullptr, nullptr, algorithm);
  REQUIRE(key != nullptr);
  return {key, EVP_PKEY_free};
}

Key new_rsa_key() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  REQUIRE(key != nullptr);
  return {key, EVP_PKEY_free};
}

// A self-signed server certificate signed with `digest` (null: the key's own scheme).
std::string certificate_der(EVP_PKEY* key, const EVP_MD* digest) {
  std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 7);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600);
  X509_set_pubkey(x.get(), key);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.197.0.1"), -1, -1, 0);
  X509_set_issuer_name(x.get(), name);
  REQUIRE(X509_sign(x.get(), key, digest) > 0);
  int length = i2d_X509(x.get(), nullptr);
  REQUIRE(length > 0);
  std::string der(static_cast<size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509(x.get(), &out);
  return der;
}

std::string digest_of(const std::string& data, const EVP_MD* md) {
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  REQUIRE(EVP_Digest(data.data(), data.size(), hash, &length, md, nullptr) == 1);
  return std::string(reinterpret_cast<const char*>(hash), length);
}

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// Runs the pywinrm stack's own code on `der`: requests-ntlm's certificate hash, ntlm-auth's
// GssChannelBindingsStruct, MD5. Empty when the modules are missing.
std::string requests_ntlm_bindings_hash(const std::string& der) {
  std::string dir =
      std::filesystem::temp_directory_path() / ("lkr-cbt-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/cert.der", std::ios::binary) << der;
  std::ofstream(dir + "/cbt.py") << R"(import binascii, hashlib, sys
from requests_ntlm.requests_ntlm import _get_certificate_hash
from ntlm_auth.gss_channel_bindings import GssChannelBindingsStruct
der = open(sys.argv[1], "rb").read()
bindings = GssChannelBindingsStruct()
bindings[bindings.APPLICATION_DATA] = (
    b"tls-server-end-point:" + binascii.unhexlify(_get_certificate_hash(der)))
print(hashlib.md5(bindings.get_data()).hexdigest())
)";
  std::string command = "/usr/bin/python3 " + dir + "/cbt.py " + dir + "/cert.der 2>/dev/null";
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
    if (pclose(p) != 0) out.clear();
  }
  std::filesystem::remove_all(dir);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("tls-server-end-point hashes the certificate with its signature's hash (RFC 5929)") {
  const std::string prefix = "tls-server-end-point:";
  Key ec = new_key("EC", "P-256");
  Key rsa = new_rsa_key();
  struct Case {
    const char* what;
    EVP_PKEY* key;
    const EVP_MD* signed_with;
    const EVP_MD* expected;
  };
  for (const Case& c : {Case{"ecdsa-with-SHA256 (the lab's)", ec.get(), EVP_sha256(), EVP_sha256()},
                        Case{"sha384WithRSAEncryption", rsa.get(), EVP_sha384(), EVP_sha384()},
                        Case{"sha512WithRSAEncryption", rsa.get(), EVP_sha512(), EVP_sha512()},
                        // MD5 and SHA-1 signatures are bound with SHA-256 instead.
                        Case{"sha1WithRSAEncryption", rsa.get(), EVP_sha1(), EVP_sha256()}}) {
    INFO(c.what);
    std::string der = certificate_der(c.key, c.signed_with);
    std::string binding = tls_server_end_point(der);
    CHECK(binding == prefix + digest_of(der, c.expected));
  }
}

TEST_CASE("a certificate RFC 5929 has no hash for, or no certificate at all, is refused") {
  Key ed = new_key("ED25519");
  std::string der = certificate_der(ed.get(), nullptr);
  CHECK_THROWS_AS(tls_server_end_point(der), ChannelBindingError);
  CHECK_THROWS_WITH(tls_server_end_point(der), Catch::Matchers::Contains("RFC 5929"));
  CHECK_THROWS_AS(tls_server_end_point("not a certificate"), ChannelBindingError);
  CHECK_THROWS_AS(tls_server_end_point(""), ChannelBindingError);
}

TEST_CASE("MsvAvChannelBindings is MD5 of the gss_channel_bindings_struct, little-endian") {
  const std::string data = "tls-server-end-point:" + std::string(32, '\x5a');
  // Initiator: type 0, length 0; acceptor: type 0, length 0; application data 53 bytes.
  std::string packed = std::string(16, '\0') + std::string("\x35\x00\x00\x00", 4) + data;
  CHECK(lkr::winrm::gss_channel_bindings_bytes(data) == packed);
  CHECK(ntlm_channel_bindings_hash(data) == digest_of(packed, EVP_md5()));
}

TEST_CASE("the NTLM client binds the channel inside the proof the acceptor checks") {
  const std::string data = "tls-server-end-point:" + std::string(32, '\x5a');
  lkr::ntlm::NtlmAcceptor acceptor("root", "pa55 word", "LABNODE");
  lkr::ntlm::NtlmClient client("root", "pa55 word");
  std::string challenge = acceptor.challenge(client.negotiate());
  std::string authenticate = client.authenticate(challenge, data);
  REQUIRE(acceptor.accept(authenticate));
  CHECK(acceptor.client_channel_bindings() == ntlm_channel_bindings_hash(data));

  SECTION("without bindings the message carries none") {
    lkr::ntlm::NtlmAcceptor plain("root", "pa55 word", "LABNODE");
    lkr::ntlm::NtlmClient c("root", "pa55 word");
    REQUIRE(plain.accept(c.authenticate(plain.challenge(c.negotiate()))));
    CHECK(plain.client_channel_bindings().empty());
  }
  SECTION("a relay that rewrites the bindings breaks the NTLMv2 proof") {
    lkr::ntlm::NtlmAcceptor other("root", "pa55 word", "LABNODE");
    lkr::ntlm::NtlmClient c("root", "pa55 word");
    std::string msg = c.authenticate(other.challenge(c.negotiate()), data);
    size_t at = msg.find(ntlm_channel_bindings_hash(data));
    REQUIRE(at != std::string::npos);
    msg.replace(at, 16, ntlm_channel_bindings_hash("tls-server-end-point:relay"));
    CHECK_FALSE(other.accept(msg));
  }
}

TEST_CASE("requests-ntlm and ntlm-auth (pywinrm's NTLM) compute the same MsvAvChannelBindings") {
  Key ec = new_key("EC", "P-256");
  Key rsa = new_rsa_key();
  for (const std::string& der :
       {certificate_der(ec.get(), EVP_sha256()), certificate_der(rsa.get(), EVP_sha384()),
        certificate_der(rsa.get(), EVP_sha1())}) {
    std::string theirs = requests_ntlm_bindings_hash(der);
    if (theirs.empty()) {
      const char* ci = std::getenv("CI");
      if (ci != nullptr && std::string(ci) == "true")
        FAIL("python3-requests-ntlm is missing (CI=true): install it with scripts/deps");
      WARN("SKIPPED: python3-requests-ntlm is not installed (scripts/deps installs it)");
      return;
    }
    CHECK(hex(ntlm_channel_bindings_hash(tls_server_end_point(der))) == theirs);
  }
}
