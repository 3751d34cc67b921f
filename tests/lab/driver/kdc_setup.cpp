#include "tests/lab/driver/kdc_setup.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include "tests/lab/driver/process_runner.h"

namespace fs = std::filesystem;

namespace lab {
namespace {

// One word of kadmin's request language (its ss parser splits on blanks and takes
// "..." as one word, "" inside being a quote): the state folder may hold spaces.
std::string kadmin_word(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

const char* const kKdc = "/usr/sbin/krb5kdc";
const char* const kKdbUtil = "/usr/sbin/kdb5_util";
const char* const kKadminLocal = "/usr/sbin/kadmin.local";

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string random_secret() {
  static const char kChars[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  std::ifstream random("/dev/urandom", std::ios::binary);
  std::string s;
  for (int i = 0; i < 32; ++i)
    s += kChars[static_cast<unsigned char>(random.get()) % (sizeof kChars - 1)];
  return s;
}

// Runs an MIT tool with the realm's configuration in its environment.
void run_tool(const LabRealm& r, std::vector<std::string> args, const std::string& input,
              const std::string& what) {
  std::vector<std::string> argv{"/usr/bin/env", "KRB5_CONFIG=" + r.krb5_conf,
                                "KRB5_KDC_PROFILE=" + r.kdc_conf};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = run_process(argv, 30000, input);
  if (result.rc != 0)
    throw std::runtime_error("the lab's KDC: " + args.front() + " could not " + what + ": " +
                             result.err + result.out);
}

std::string endpoint(const LabRealm& r) { return r.address + ":" + std::to_string(r.port); }

std::string krb5_conf_text(const LabRealm& r, const std::vector<std::string>& addresses) {
  // No DNS and no reverse lookups: a service is named by the address the client dials
  // (HTTP@127.x.y.z), as the service principals are.
  std::string text = "[libdefaults]\n default_realm = " + r.name +
                     "\n dns_lookup_kdc = false\n dns_lookup_realm = false\n rdns = false\n"
                     " dns_canonicalize_hostname = false\n udp_preference_limit = 1\n"
                     " kdc_timeout = 3000\n max_retries = 1\n"
                     "\n[realms]\n " +
                     r.name + " = {\n  kdc = " + endpoint(r) + "\n }\n\n[domain_realm]\n";
  for (const auto& a : addresses) text += " " + a + " = " + r.name + "\n";
  return text;
}

std::string kdc_conf_text(const LabRealm& r) {
  // Pre-authentication required, as Active Directory does: a wrong password is then a
  // KDC error ("Preauthentication failed"), not a reply the client cannot decrypt.
  return "[kdcdefaults]\n kdc_listen = " + endpoint(r) + "\n kdc_tcp_listen = " + endpoint(r) +
         "\n\n[realms]\n " + r.name + " = {\n  database_name = " + r.dir +
         "/principal\n  key_stash_file = " + r.dir + "/stash\n  acl_file = " + r.dir +
         "/kadm5.acl\n  max_life = 10h\n  default_principal_flags = +preauth\n"
         "  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal\n"
         " }\n\n[logging]\n kdc = FILE:" +
         r.dir + "/kdc.log\n";
}

}  // namespace

std::string realm_dir(const std::string& state_dir) { return state_dir + "/krb5"; }

std::string keytab_path(const LabRealm& realm, const std::string& address) {
  return realm.dir + "/HTTP_" + address + ".keytab";
}

std::string krb5kdc_problem() {
  for (const char* tool : {kKdc, kKdbUtil, kKadminLocal})
    if (access(tool, X_OK) != 0)
      return std::string(tool) +
             " is missing: install krb5-kdc and krb5-admin-server (scripts/deps) for "
             "\"winrm_auth\": \"kerberos\"";
  return "";
}

LabRealm create_realm(const std::string& state_dir, const std::string& name,
                      const std::string& kdc_address, int kdc_port, const std::string& user,
                      const std::string& password,
                      const std::vector<std::string>& service_addresses) {
  std::string problem = krb5kdc_problem();
  if (!problem.empty()) throw std::runtime_error(problem);
  LabRealm r{name, realm_dir(state_dir), "", "", kdc_address, kdc_port};
  r.krb5_conf = r.dir + "/krb5.conf";
  r.kdc_conf = r.dir + "/kdc.conf";
  fs::create_directories(r.dir);
  fs::permissions(r.dir, fs::perms::owner_all);
  std::set<std::string> addresses(service_addresses.begin(), service_addresses.end());
  std::vector<std::string> unique(addresses.begin(), addresses.end());
  write_file(r.krb5_conf, krb5_conf_text(r, unique));
  write_file(r.kdc_conf, kdc_conf_text(r));
  write_file(r.dir + "/kadm5.acl", "");
  // The master key protects nothing beyond this folder (the stash file holds it); it is
  // random and goes on stdin.
  std::string master = random_secret();
  run_tool(r, {kKdbUtil, "-r", name, "create", "-s"}, master + "\n" + master + "\n",
           "create the realm's database");
  run_tool(r, {kKadminLocal, "-r", name, "-q", "addprinc " + kadmin_word(user)},
           password + "\n" + password + "\n", "create the principal of " + user);
  // Each service principal once, however many nodes share its address (a second ktadd
  // would change the key and void the first keytab).
  std::string script;
  for (const auto& a : unique)
    script += "addprinc -randkey " + kadmin_word("HTTP/" + a) + "\nktadd -k " +
              kadmin_word(keytab_path(r, a)) + " " + kadmin_word("HTTP/" + a) + "\n";
  if (!script.empty())
    run_tool(r, {kKadminLocal, "-r", name}, script, "create the HTTP service principals");
  for (const auto& a : unique)
    if (!fs::exists(keytab_path(r, a)))
      throw std::runtime_error("the lab's KDC: kadmin.local wrote no keytab for HTTP/" + a);
  return r;
}

std::vector<std::string> krb5kdc_argv(const LabRealm& r) {
  return {"/usr/bin/env",
          "KRB5_CONFIG=" + r.krb5_conf,
          "KRB5_KDC_PROFILE=" + r.kdc_conf,
          kKdc,
          "-n",
          "-r",
          r.name,
          "-P",
          r.dir + "/krb5kdc.pid"};
}

}  // namespace lab
