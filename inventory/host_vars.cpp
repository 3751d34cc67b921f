#include "inventory/host_vars.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "inventory/edit_distance.h"
#include "inventory/host_address.h"

namespace lkr {

const std::vector<std::string>& known_variable_names() {
  static const std::vector<std::string> names = {
      "ansible_host", "ansible_port", "ansible_user", "ansible_password",
      "ansible_ssh_private_key_file", "ansible_connection", "ansible_shell_type",
      "ansible_group_priority",
      // Ansible's older spellings, still honoured by Ansible itself.
      "ansible_ssh_host", "ansible_ssh_port", "ansible_ssh_user", "ansible_ssh_pass",
      // Read to be refused when set (kOpenSshArgumentVars).
      "ansible_ssh_common_args", "ansible_ssh_extra_args", "ansible_ssh_args",
      // WinRM (read by the WinRM transport).
      "ansible_winrm_scheme", "ansible_winrm_path", "ansible_winrm_transport",
      "ansible_winrm_server_cert_validation", "ansible_winrm_ca_trust_path",
      "ansible_winrm_cert_pem", "ansible_winrm_cert_key_pem", "ansible_winrm_message_encryption",
      "ansible_winrm_kerberos_delegation", "ansible_winrm_kerberos_hostname_override",
      "ansible_winrm_kinit_cmd", "ansible_winrm_kinit_args", "ansible_winrm_kinit_mode",
      "ansible_winrm_operation_timeout_sec", "ansible_winrm_read_timeout_sec",
      "ansible_winrm_connection_timeout", "ansible_winrm_send_cbt", "ansible_winrm_service",
      "ansible_winrm_credssp_disable_tlsv1_2", "ansible_winrm_credssp_auth_mechanism",
      "ansible_winrm_credssp_minimum_version", "ansible_winrm_proxy",
      "ansible_winrm_reconnection_retries", "ansible_winrm_reconnection_backoff",
      // lkrecover's own.
      "lk_root", "lk_bin", "dk_extmirrbase", "lk_system", "lk_codepage", "lk_known_hosts",
      "lk_cluster", "lk_replaced"};
  return names;
}

namespace {

// ansible_winrm_server_cert_validation: whether the node's TLS certificate is checked.
constexpr EnumName<bool> kCertValidationNames[] = {{"validate", true}, {"ignore", false}};
// A boolean as YAML and Ansible spell it.
constexpr EnumName<bool> kBooleanNames[] = {{"true", true},   {"True", true},   {"yes", true},
                                            {"false", false}, {"False", false}, {"no", false}};
// ansible_winrm_kinit_mode (pywinrm): whether the ticket comes from the password.
constexpr EnumName<bool> kKinitModeNames[] = {{"managed", true}, {"manual", false}};

// ansible_winrm_* variables Ansible's WinRM connection knows that lkrecover cannot honour,
// each with why: refused where set, never silently ignored.
struct Unsupported {
  const char* name;
  const char* why;
};
constexpr Unsupported kUnsupportedWinrmVars[] = {
    {"ansible_winrm_kinit_cmd",
     "lkrecover runs no kinit: the ticket comes from the password in memory (GSSAPI), or "
     "from the credential cache with ansible_winrm_kinit_mode: manual"},
    {"ansible_winrm_kinit_args", "lkrecover runs no kinit (see ansible_winrm_kinit_cmd)"},
    {"ansible_winrm_credssp_disable_tlsv1_2", "CredSSP is not supported"},
    {"ansible_winrm_credssp_auth_mechanism", "CredSSP is not supported"},
    {"ansible_winrm_credssp_minimum_version", "CredSSP is not supported"},
    {"ansible_winrm_reconnection_retries",
     "a command whose connection broke is never re-sent: its outcome is unknown, and a "
     "re-run reads the node's facts again"},
    {"ansible_winrm_reconnection_backoff",
     "connections are not retried (see "
     "ansible_winrm_reconnection_retries)"},
};

// OpenSSH command-line options Ansible's ssh connection passes on: ProxyJump, ProxyCommand
// and the like change where a connection goes, and lkrecover's SSH (libssh) takes none
// of them. Refused where set on an SSH host, never dropped (a node reached some other way
// than the admin wrote, or not at all).
constexpr const char* kOpenSshArgumentVars[] = {"ansible_ssh_common_args", "ansible_ssh_extra_args",
                                                "ansible_ssh_args"};

// <lk_root>\Bin, LifeKeeper's own layout (%LKBIN%), until the node says otherwise.
std::string bin_folder_of(const std::string& lk_root) {
  return lk_root + (lk_root.ends_with("\\") ? "" : "\\") + "Bin";
}

class HostBuilder {
 public:
  HostBuilder(const GroupTree& tree, const std::string& name)
      : tree_(tree), name_(name), vars_(resolve_host_vars(tree, name)) {}

  Host build(const std::string& default_user) {
    Host h;
    h.name = name_;
    h.source = host_where();
    h.system = text_or("lk_system", "", name_);
    h.address = address();
    h.port = number("ansible_port", "ansible_ssh_port", 22, "a TCP port (1-65535)");
    h.user = text_or("ansible_user", "ansible_ssh_user", default_user);
    std::string password = text_or("ansible_password", "ansible_ssh_pass", "");
    WipeOnExit wipe_password(password);
    h.password = password;
    h.key_file = text_or("ansible_ssh_private_key_file", "", "");
    h.connection = choice("ansible_connection", kConnectionNames, Connection::ssh);
    if (h.connection == Connection::winrm)
      read_winrm(h);
    else
      refuse_openssh_arguments();
    h.shell = choice("ansible_shell_type", kShellNames, Shell::cmd);
    // Set only to override what the node's own %LKROOT%, %LKBIN%, %ExtMirrBase% say.
    h.lk_root_given = find("lk_root", "") != nullptr;
    h.lk_bin_given = find("lk_bin", "") != nullptr;
    h.dk_extmirrbase_given = find("dk_extmirrbase", "") != nullptr;
    h.lk_root = text_or("lk_root", "", h.lk_root);
    h.lk_bin = text_or("lk_bin", "", bin_folder_of(h.lk_root));
    h.dk_extmirrbase = text_or("dk_extmirrbase", "", h.dk_extmirrbase);
    if (find("lk_codepage", ""))
      h.codepage = number("lk_codepage", "", 0, "a Windows code page number such as 437 or 65001");
    h.known_hosts = text_or("lk_known_hosts", "", "");
    return h;
  }

 private:
  // ansible_winrm_*: scheme from the port when not given (Ansible: http on 5985), port
  // from the scheme when not given.
  void read_winrm(Host& h) const {
    WinrmSettings& w = h.winrm;
    bool port_given = find("ansible_port", "ansible_ssh_port") != nullptr;
    w.auth = choice("ansible_winrm_transport", kWinrmAuthNames, w.auth);
    w.scheme = choice("ansible_winrm_scheme", kWinrmSchemeNames,
                      port_given && h.port == 5985 ? WinrmScheme::http : WinrmScheme::https);
    if (!port_given) h.port = w.scheme == WinrmScheme::https ? 5986 : 5985;
    w.path = text_or("ansible_winrm_path", "", w.path);
    w.validate_certificate =
        choice("ansible_winrm_server_cert_validation", kCertValidationNames, true);
    w.ca_trust_path = text_or("ansible_winrm_ca_trust_path", "", "");
    w.cert_pem = text_or("ansible_winrm_cert_pem", "", "");
    w.cert_key_pem = text_or("ansible_winrm_cert_key_pem", "", "");
    w.message_encryption =
        choice("ansible_winrm_message_encryption", kMessageEncryptionNames, w.message_encryption);
    w.operation_timeout_s = number("ansible_winrm_operation_timeout_sec", "", w.operation_timeout_s,
                                   "a number of seconds (1-65535)");
    w.read_timeout_s = number("ansible_winrm_read_timeout_sec", "", w.read_timeout_s,
                              "a number of seconds (1-65535)");
    if (w.read_timeout_s <= w.operation_timeout_s) {
      const VarDef* v = find("ansible_winrm_read_timeout_sec", "");
      if (!v) v = find("ansible_winrm_operation_timeout_sec", "");
      fail(v ? v->where() : host_where(),
           "ansible_winrm_read_timeout_sec (" + std::to_string(w.read_timeout_s) +
               ") must exceed ansible_winrm_operation_timeout_sec (" +
               std::to_string(w.operation_timeout_s) + "); raise the read timeout");
    }
    read_winrm_extras(w);
    if (w.auth == WinrmAuth::certificate && (w.cert_pem.empty() || w.cert_key_pem.empty()))
      fail(host_where(),
           "ansible_winrm_transport: certificate needs ansible_winrm_cert_pem and "
           "ansible_winrm_cert_key_pem");
  }

  // The rest of Ansible's ansible_winrm_* variables: honoured, refused where the value
  // asks for what lkrecover does not do, or refused outright (kUnsupportedWinrmVars).
  void read_winrm_extras(WinrmSettings& w) const {
    w.connect_timeout_s =
        number("ansible_winrm_connection_timeout", "", 0, "a number of seconds (1-65535)");
    w.kerberos_service = text_or("ansible_winrm_service", "", w.kerberos_service);
    w.kerberos_hostname = text_or("ansible_winrm_kerberos_hostname_override", "", "");
    w.kerberos_from_password = choice("ansible_winrm_kinit_mode", kKinitModeNames, true);
    w.proxy = text_or("ansible_winrm_proxy", "", "");
    if (choice("ansible_winrm_kerberos_delegation", kBooleanNames, false))
      fail(find("ansible_winrm_kerberos_delegation", "")->where(),
           "ansible_winrm_kerberos_delegation: true is not supported (lkrecover never "
           "forwards a ticket to the node); set it to false or remove it");
    // Channel binding ties the login to the TLS connection; over http there is none, so
    // the value is read there too but changes nothing (as in pywinrm).
    w.send_cbt = choice("ansible_winrm_send_cbt", kBooleanNames, true);
    for (const Unsupported& u : kUnsupportedWinrmVars)
      if (const VarDef* v = find(u.name, ""))
        fail(v->where(), std::string(u.name) + " is not supported: " + u.why + "; remove it");
    // A WinRM setting nobody knows (a typo, a newer Ansible's) would be ignored: refused.
    const auto& known = known_variable_names();
    for (const auto& [name, def] : vars_)
      if (name.rfind("ansible_winrm_", 0) == 0 &&
          std::find(known.begin(), known.end(), name) == known.end())
        fail(def.where(), "unknown WinRM setting \"" + name + "\" (did you mean \"" +
                              nearest_name(name, known) + "\"?); fix or remove it");
  }

  // An empty value (a group's way to clear an `all`-wide setting for these hosts) is none.
  void refuse_openssh_arguments() const {
    for (const char* name : kOpenSshArgumentVars)
      if (const VarDef* v = find(name, ""); v && !v->text().empty())
        fail(v->where(),
             std::string(name) + " \"" + v->text() +
                 "\" is not supported: lkrecover connects with libssh, which takes no OpenSSH "
                 "options (ProxyJump, ProxyCommand, -o ...); reach the node directly with "
                 "ansible_host/ansible_port (a tunnel you open yourself, `ssh -L`, works), "
                 "and set " +
                 name + " to \"\" for this host or its cluster's group");
  }

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw InventoryError(where + ": host \"" + name_ + "\": " + what);
  }

  std::string host_where() const {
    const HostDecl& h = tree_.hosts.at(name_);
    return location(h.file, h.line);
  }

  const VarDef* find(const std::string& name, const std::string& alias) const {
    auto it = vars_.find(name);
    if (it == vars_.end() && !alias.empty()) it = vars_.find(alias);
    return it == vars_.end() ? nullptr : &it->second;
  }

  std::string text_or(const std::string& name, const std::string& alias,
                      const std::string& fallback) const {
    const VarDef* v = find(name, alias);
    return v ? v->text() : fallback;
  }

  std::string address() const {
    if (const VarDef* v = find("ansible_host", "ansible_ssh_host")) {
      if (!is_usable_address(v->text()))
        fail(v->where(), "ansible_host \"" + v->text() +
                             "\" is not an IP address or DNS name; fix ansible_host");
      return v->text();
    }
    if (!is_usable_address(name_))
      fail(host_where(),
           "no address: the host name is not an IP address or DNS name; set ansible_host");
    return name_;
  }

  int number(const std::string& name, const std::string& alias, int fallback,
             const std::string& expected) const {
    const VarDef* v = find(name, alias);
    if (!v) return fallback;
    std::string text = v->text();
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535)
      fail(v->where(), name + " \"" + text + "\" is not " + expected + "; fix " + name);
    return value;
  }

  // The value `name` names in `names`, or `fallback` when the variable is not set.
  template <class E, std::size_t N>
  E choice(const std::string& name, const EnumName<E> (&names)[N], E fallback) const {
    const VarDef* v = find(name, "");
    if (!v) return fallback;
    for (const EnumName<E>& n : names)
      if (v->text() == n.text) return n.value;
    std::string list;
    for (const EnumName<E>& n : names) list += (list.empty() ? "" : ", ") + std::string(n.text);
    fail(v->where(), name + " \"" + v->text() + "\" is not supported (use one of: " + list + ")");
  }

  const GroupTree& tree_;
  std::string name_;
  VarMap vars_;
};

bool has_reserved_prefix(const std::string& name) {
  return name.rfind("ansible_", 0) == 0 || name.rfind("lk_", 0) == 0 || name.rfind("dk_", 0) == 0;
}

// By file and line: one warning per definition.
using LineWarnings = std::map<std::pair<std::string, int>, std::string>;

void warn_unknown(const VarMap& vars, LineWarnings& out) {
  const auto& known = known_variable_names();
  for (const auto& [name, def] : vars) {
    if (!has_reserved_prefix(name)) continue;
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    out.emplace(std::pair(def.file, def.line), def.where() + ": unknown variable \"" + name +
                                                   "\" is ignored (did you mean \"" +
                                                   nearest_name(name, known) + "\"?)");
  }
}

}  // namespace

Host make_host(const GroupTree& tree, const std::string& name, const std::string& default_user) {
  return HostBuilder(tree, name).build(default_user);
}

std::vector<std::string> unknown_variable_warnings(const GroupTree& tree,
                                                   const std::set<std::string>& groups,
                                                   const std::set<std::string>& hosts) {
  LineWarnings by_line;
  for (const auto& g : groups) {
    warn_unknown(tree.groups.at(g).vars, by_line);
    warn_unknown(tree.groups.at(g).vars_files, by_line);
    warn_unknown(tree.groups.at(g).playbook_vars_files, by_line);
  }
  for (const auto& h : hosts) {
    warn_unknown(tree.hosts.at(h).vars, by_line);
    warn_unknown(tree.hosts.at(h).vars_files, by_line);
    warn_unknown(tree.hosts.at(h).playbook_vars_files, by_line);
  }
  std::vector<std::string> out;
  for (auto& [line, text] : by_line) out.push_back(std::move(text));
  return out;
}

}  // namespace lkr
