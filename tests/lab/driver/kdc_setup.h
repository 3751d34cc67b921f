// Kerberos for the lab's WinRM nodes (scenario "winrm_auth": "kerberos"): a realm of its
// own in STATE/krb5 (MIT krb5: kdb5_util, kadmin.local, krb5kdc from Debian's krb5-kdc and
// krb5-admin-server), a KDC on a loopback address of the lab, the lab user's principal
// with the lab's WinRM password, and an HTTP/<address> service principal per Kerberos
// node with its keytab. Nothing touches the system's /etc/krb5.conf or /var/lib/krb5kdc:
// every tool gets KRB5_CONFIG and KRB5_KDC_PROFILE pointing into STATE/krb5. Secrets (the
// master key, the user's password) reach the tools on stdin, never on a command line.
#pragma once

#include <string>
#include <vector>

namespace lab {

struct LabRealm {
  std::string name;       // "LAB.TEST"
  std::string dir;        // STATE/krb5
  std::string krb5_conf;  // what clients use (KRB5_CONFIG): default_realm, the KDC
  std::string kdc_conf;   // what krb5kdc uses (KRB5_KDC_PROFILE)
  std::string address;    // where the KDC listens (UDP and TCP)
  int port = 0;
};

// STATE/krb5 ("krb5" is what `lab up` removes from an old state folder).
std::string realm_dir(const std::string& state_dir);

// The keytab of the service principal HTTP/<address>.
std::string keytab_path(const LabRealm& realm, const std::string& address);

// Writes the configuration, creates the database and the principals: `user` with
// `password`, and HTTP/<address> (with its keytab) for each of `service_addresses`.
// Throws std::runtime_error naming the tool that failed and what it said.
LabRealm create_realm(const std::string& state_dir, const std::string& name,
                      const std::string& kdc_address, int kdc_port, const std::string& user,
                      const std::string& password,
                      const std::vector<std::string>& service_addresses);

// krb5kdc in the foreground (-n), its environment given through env(1), which execs it in
// place (the pid spawn_detached returns is the KDC's).
std::vector<std::string> krb5kdc_argv(const LabRealm& realm);

// Debian's krb5kdc, or the reason it cannot be used ("install krb5-kdc with scripts/deps").
std::string krb5kdc_problem();

}  // namespace lab
