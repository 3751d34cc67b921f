// Peak memory of one transport meeting a flood of output (bench/flood_memory): connects
// to one lab node over SSH or WinRM, runs a command whose output the lab floods, and
// prints whether the result was cut and this process's peak RSS (getrusage ru_maxrss),
// before and after. One process per transport, so each peak is its own.
//   flood_bench --transport ssh --address A --port P --user U --key K --known-hosts F
//               [--cap BYTES] [--command hostname]
//   flood_bench --transport winrm --address A --port P --user U --password-file F [--cap BYTES]
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "transports/ssh/ssh_transport.h"
#include "transports/winrm/winrm_transport.h"

namespace {

double peak_rss_mib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> a{
      {"--cap", std::to_string(1 << 20)}, {"--command", "hostname"}, {"--transport", "ssh"}};
  for (int i = 1; i + 1 < argc; i += 2) a[argv[i]] = argv[i + 1];
  size_t cap = std::stoull(a["--cap"]);
  try {
    std::unique_ptr<lkr::Transport> t;
    if (a["--transport"] == "ssh") {
      lkr::SshOptions o;
      o.host = a["--address"];
      o.port = std::stoi(a["--port"]);
      o.user = a["--user"];
      o.key_file = a["--key"];
      o.known_hosts_file = a["--known-hosts"];
      o.max_output_bytes = cap;
      t = std::make_unique<lkr::SshTransport>(o);
    } else {
      lkr::WinrmOptions o;
      o.host = a["--address"];
      o.port = std::stoi(a["--port"]);
      o.scheme = lkr::WinrmScheme::http;
      o.auth = lkr::WinrmAuth::ntlm;
      o.user = a["--user"];
      std::string password;
      std::ifstream(a["--password-file"]) >> password;
      o.password = password;
      o.codepage = 437;
      o.max_output_bytes = cap;
      t = std::make_unique<lkr::WinrmTransport>(o);
    }
    t->connect();
    double before = peak_rss_mib();
    auto start = std::chrono::steady_clock::now();
    // --command: a program name, run as the product runs a Command.
    auto r = t->run(lkr::program(a["--command"], {}), std::chrono::seconds(3600));
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << a["--transport"] << ": cap " << cap << " bytes, kept " << r.stdout_utf8.size()
              << ", truncated " << (r.truncated ? "yes" : "no") << ", peak RSS " << before
              << " MiB before the command, " << peak_rss_mib() << " MiB after, " << seconds
              << " s\n";
  } catch (const std::exception& e) {
    std::cerr << "flood_bench: " << e.what() << "\n";
    return 1;
  }
}
