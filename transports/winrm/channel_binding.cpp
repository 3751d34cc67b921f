#include "transports/winrm/channel_binding.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <memory>

#include "transports/winrm/ntlm_crypto.h"

namespace lkr::winrm {

std::string tls_server_end_point(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &p, long(der.size())),
                                                   X509_free);
  if (!cert) throw ChannelBindingError("the server's TLS certificate cannot be read");
  int digest = NID_undef;
  if (X509_get_signature_info(cert.get(), &digest, nullptr, nullptr, nullptr) != 1 ||
      digest == NID_undef)
    throw ChannelBindingError(
        "the server's TLS certificate is signed with an algorithm that has no hash of its own (" +
        std::string(OBJ_nid2ln(X509_get_signature_nid(cert.get()))) +
        "), for which RFC 5929 defines no channel binding");
  if (digest == NID_md5 || digest == NID_sha1) digest = NID_sha256;
  const EVP_MD* md = EVP_get_digestbynid(digest);
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (md == nullptr || EVP_Digest(der.data(), der.size(), hash, &length, md, nullptr) != 1)
    throw ChannelBindingError("cannot hash the server's TLS certificate with " +
                              std::string(OBJ_nid2ln(digest)));
  return "tls-server-end-point:" + std::string(reinterpret_cast<const char*>(hash), length);
}

std::string gss_channel_bindings_bytes(const std::string& application_data) {
  // Initiator and acceptor: address type GSS_C_AF_UNSPEC (0), no address (length 0).
  return std::string(16, '\0') + ntlm::le32(static_cast<uint32_t>(application_data.size())) +
         application_data;
}

std::string ntlm_channel_bindings_hash(const std::string& application_data) {
  return ntlm::md5(gss_channel_bindings_bytes(application_data));
}

}  // namespace lkr::winrm
