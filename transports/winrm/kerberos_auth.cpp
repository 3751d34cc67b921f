#include "transports/winrm/kerberos_auth.h"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include <vector>

namespace lkr::krb {
namespace {

gss_OID_desc kSpnegoOid = {6, const_cast<char*>("\x2b\x06\x01\x05\x05\x02")};
gss_OID_desc kKrb5Oid = {9, const_cast<char*>("\x2a\x86\x48\x86\xf7\x12\x01\x02\x02")};

std::string display(OM_uint32 code, int type) {
  std::string out;
  OM_uint32 context = 0, minor = 0;
  do {
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    if (GSS_ERROR(gss_display_status(&minor, code, type, GSS_C_NO_OID, &context, &text))) break;
    if (!out.empty()) out += ", ";
    out.append(static_cast<const char*>(text.value), text.length);
    gss_release_buffer(&minor, &text);
  } while (context != 0);
  return out;
}

void check(OM_uint32 major, OM_uint32 minor, const std::string& what) {
  if (GSS_ERROR(major)) throw GssError(what, major, minor);
}

gss_name_t import_name(const std::string& text, gss_OID type) {
  OM_uint32 minor = 0;
  gss_buffer_desc buffer{text.size(), const_cast<char*>(text.data())};
  gss_name_t name = GSS_C_NO_NAME;
  check(gss_import_name(&minor, &buffer, type, &name), minor, "the name \"" + text + "\"");
  return name;
}

}  // namespace

GssError::GssError(const std::string& what, uint32_t major_status, uint32_t minor_status)
    : std::runtime_error(what + ": " + status_text(major_status, minor_status)),
      major(major_status),
      minor(minor_status) {}

std::string status_text(uint32_t major, uint32_t minor) {
  std::string text = display(major, GSS_C_GSS_CODE);
  if (minor != 0) {
    std::string mech = display(minor, GSS_C_MECH_CODE);
    if (!mech.empty()) text += "; " + mech;
  }
  return text;
}

// MIT's mechglue hands out minor codes of its own (mapped per process), so the krb5 error
// behind a failure is recognised by its com_err text, which gss_display_status returns
// (the product runs in the C locale: English), and by the code when it was not mapped.
Problem classify(const GssError& e) {
  const std::string text = e.what();
  auto has = [&](const char* words) { return text.find(words) != std::string::npos; };
  auto code = static_cast<krb5_error_code>(static_cast<int32_t>(e.minor));
  if (has("Preauthentication failed") || has("Decrypt integrity check failed") ||
      has("Password incorrect") || code == KRB5KDC_ERR_PREAUTH_FAILED ||
      code == KRB5KRB_AP_ERR_BAD_INTEGRITY || code == KRB5_PREAUTH_FAILED)
    return Problem::wrong_password;
  if (has("not found in Kerberos database") || code == KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN)
    return Problem::unknown_user;
  if (has("Cannot find KDC for realm") || has("Cannot resolve network address for KDC") ||
      code == KRB5_REALM_UNKNOWN || code == KRB5_REALM_CANT_RESOLVE)
    return Problem::wrong_realm;
  if (has("Cannot contact any KDC") || code == KRB5_KDC_UNREACH) return Problem::kdc_unreachable;
  if (has("No Kerberos credentials available") || has("No credentials cache found") ||
      has("Matching credential not found") || has("in cache collection") ||
      code == KRB5_FCC_NOFILE || code == KRB5_CC_NOTFOUND || code == KRB5_CC_NOSUPP)
    return Problem::no_ticket;
  return Problem::other;
}

struct GssContext::Handles {
  gss_ctx_id_t context = GSS_C_NO_CONTEXT;
  gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
  gss_name_t target = GSS_C_NO_NAME;  // initiator: HTTP@host
  gss_name_t peer = GSS_C_NO_NAME;    // acceptor: the client
  ~Handles() {
    OM_uint32 minor = 0;
    if (context != GSS_C_NO_CONTEXT) gss_delete_sec_context(&minor, &context, GSS_C_NO_BUFFER);
    if (cred != GSS_C_NO_CREDENTIAL) gss_release_cred(&minor, &cred);
    if (target != GSS_C_NO_NAME) gss_release_name(&minor, &target);
    if (peer != GSS_C_NO_NAME) gss_release_name(&minor, &peer);
  }
};

GssContext::~GssContext() = default;

std::unique_ptr<GssContext> GssContext::initiator(const std::string& user,
                                                  const std::string& password,
                                                  const std::string& service,
                                                  const std::string& channel_bindings) {
  std::unique_ptr<GssContext> c(new GssContext());
  c->h_ = std::make_unique<Handles>();
  c->initiator_ = true;
  c->channel_bindings_ = channel_bindings;
  c->h_->target = import_name(service, GSS_C_NT_HOSTBASED_SERVICE);
  gss_OID_set_desc spnego{1, &kSpnegoOid};
  OM_uint32 minor = 0;
  gss_name_t name = user.empty() ? GSS_C_NO_NAME : import_name(user, GSS_C_NT_USER_NAME);
  OM_uint32 major;
  if (!password.empty()) {
    gss_buffer_desc secret{password.size(), const_cast<char*>(password.data())};
    major = gss_acquire_cred_with_password(&minor, name, &secret, GSS_C_INDEFINITE, &spnego,
                                           GSS_C_INITIATE, &c->h_->cred, nullptr, nullptr);
  } else {
    major = gss_acquire_cred(&minor, name, GSS_C_INDEFINITE, &spnego, GSS_C_INITIATE, &c->h_->cred,
                             nullptr, nullptr);
  }
  OM_uint32 ignored = 0;
  if (GSS_ERROR(major) && password.empty()) {
    // SPNEGO reports only that it found no mechanism; krb5 itself says why (no cache,
    // no ticket for this principal).
    gss_OID_set_desc krb5{1, &kKrb5Oid};
    gss_cred_id_t probe = GSS_C_NO_CREDENTIAL;
    OM_uint32 probe_minor = 0;
    OM_uint32 probe_major = gss_acquire_cred(&probe_minor, name, GSS_C_INDEFINITE, &krb5,
                                             GSS_C_INITIATE, &probe, nullptr, nullptr);
    if (probe != GSS_C_NO_CREDENTIAL) gss_release_cred(&ignored, &probe);
    if (GSS_ERROR(probe_major)) major = probe_major, minor = probe_minor;
  }
  if (name != GSS_C_NO_NAME) gss_release_name(&ignored, &name);
  check(major, minor,
        password.empty() ? "no Kerberos ticket usable for \"" + user + "\""
                         : "cannot get a Kerberos ticket for \"" + user + "\"");
  // SPNEGO may offer only Kerberos: never a fallback to another installed mechanism.
  gss_OID_set_desc krb5{1, &kKrb5Oid};
  check(gss_set_neg_mechs(&minor, c->h_->cred, &krb5), minor, "SPNEGO mechanism list");
  return c;
}

std::unique_ptr<GssContext> GssContext::acceptor(const std::string& keytab,
                                                 const std::string& channel_bindings) {
  std::unique_ptr<GssContext> c(new GssContext());
  c->h_ = std::make_unique<Handles>();
  c->channel_bindings_ = channel_bindings;
  OM_uint32 minor = 0;
  gss_key_value_element_desc element{"keytab", keytab.c_str()};
  gss_key_value_set_desc store{1, &element};
  check(gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
                              GSS_C_ACCEPT, keytab.empty() ? GSS_C_NO_CRED_STORE : &store,
                              &c->h_->cred, nullptr, nullptr),
        minor, "the service keys of " + (keytab.empty() ? std::string("the keytab") : keytab));
  return c;
}

std::string GssContext::step(const std::string& token) {
  OM_uint32 minor = 0, major;
  gss_buffer_desc in{token.size(), const_cast<char*>(token.data())};
  gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
  // Addresses GSS_C_AF_UNSPEC and empty, as channel_binding.h describes.
  gss_channel_bindings_struct bindings{};
  bindings.application_data = {channel_bindings_.size(), channel_bindings_.data()};
  gss_channel_bindings_t cb = channel_bindings_.empty() ? GSS_C_NO_CHANNEL_BINDINGS : &bindings;
  OM_uint32 ret_flags = 0;
  if (initiator_) {
    OM_uint32 flags = GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG |
                      GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    major = gss_init_sec_context(&minor, h_->cred, &h_->context, h_->target, &kSpnegoOid, flags,
                                 GSS_C_INDEFINITE, cb, token.empty() ? GSS_C_NO_BUFFER : &in,
                                 nullptr, &out, nullptr, nullptr);
  } else {
    major = gss_accept_sec_context(&minor, &h_->context, h_->cred, &in, cb, &h_->peer, nullptr,
                                   &out, &ret_flags, nullptr, nullptr);
  }
  std::string reply(static_cast<const char*>(out.value), out.length);
  OM_uint32 ignored = 0;
  gss_release_buffer(&ignored, &out);
  check(major, minor,
        initiator_ ? "Kerberos authentication to the service" : "accepting the client's token");
  established_ = major == GSS_S_COMPLETE;
  channel_bound_ = established_ && (ret_flags & GSS_C_CHANNEL_BOUND_FLAG) != 0;
  return reply;
}

std::string GssContext::peer_name() const {
  if (h_->peer == GSS_C_NO_NAME) return "";
  OM_uint32 minor = 0;
  gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
  if (GSS_ERROR(gss_display_name(&minor, h_->peer, &text, nullptr))) return "";
  std::string name(static_cast<const char*>(text.value), text.length);
  gss_release_buffer(&minor, &text);
  return name;
}

winrm::SessionSealer::Sealed GssContext::seal(const std::string& message) {
  std::string data = message;  // encrypted in place
  gss_iov_buffer_desc iov[3];
  iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
  iov[0].buffer = GSS_C_EMPTY_BUFFER;
  iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
  iov[1].buffer = {data.size(), data.data()};
  iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING | GSS_IOV_BUFFER_FLAG_ALLOCATE;
  iov[2].buffer = GSS_C_EMPTY_BUFFER;
  OM_uint32 minor = 0;
  int confidential = 0;
  OM_uint32 major = gss_wrap_iov(&minor, h_->context, 1, GSS_C_QOP_DEFAULT, &confidential, iov, 3);
  Sealed out;
  if (!GSS_ERROR(major)) {
    out.header.assign(static_cast<const char*>(iov[0].buffer.value), iov[0].buffer.length);
    out.data = data;
    out.data.append(static_cast<const char*>(iov[2].buffer.value), iov[2].buffer.length);
  }
  OM_uint32 ignored = 0;
  gss_release_iov_buffer(&ignored, iov, 3);
  check(major, minor, "sealing a message");
  if (!confidential) throw GssError("sealing a message: no confidentiality", GSS_S_FAILURE, 0);
  return out;
}

std::optional<std::string> GssContext::unseal(const std::string& header, const std::string& data) {
  std::string head = header, plain = data;  // decrypted in place
  gss_iov_buffer_desc iov[2];
  iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
  iov[0].buffer = {head.size(), head.data()};
  iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
  iov[1].buffer = {plain.size(), plain.data()};
  OM_uint32 minor = 0;
  int confidential = 0;
  gss_qop_t qop = 0;
  OM_uint32 major = gss_unwrap_iov(&minor, h_->context, &confidential, &qop, iov, 2);
  // Replays and reordering come back as supplementary bits of a "successful" unwrap: the
  // token is genuine but a copy (DUPLICATE), too old to check (OLD), out of order (UNSEQ)
  // or past a lost one (GAP). A connection's replies come one per request, in order, so
  // any of them means someone on the path replays or holds back the server's answers.
  if (major != GSS_S_COMPLETE || !confidential) return std::nullopt;
  // Cipher padding (none with AES) trails the data and is not part of the message.
  plain.resize(iov[1].buffer.length);
  return plain;
}

}  // namespace lkr::krb
