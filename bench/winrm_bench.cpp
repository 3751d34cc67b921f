// Per-command time of our WinRM transport against one lab node (bench/run-winrm-bench):
// one connect (NTLM or Kerberos handshake, shell), then N commands; prints the median and the
// connections and handshakes the run needed.
//   winrm_bench --address A --port P --user U --password-file F [--auth ntlm] [--count N]
//               [--command hostname]
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "transports/winrm/winrm_transport.h"

int main(int argc, char** argv) {
  std::map<std::string, std::string> a{
      {"--auth", "ntlm"}, {"--count", "200"}, {"--command", "hostname"}};
  for (int i = 1; i + 1 < argc; i += 2) a[argv[i]] = argv[i + 1];
  lkr::WinrmOptions o;
  o.host = a["--address"];
  o.port = std::stoi(a["--port"]);
  o.scheme = lkr::WinrmScheme::http;
  o.user = a["--user"];
  for (const auto& auth : lkr::kWinrmAuthNames)
    if (auth.text == a["--auth"]) o.auth = auth.value;
  std::string password;
  std::ifstream(a["--password-file"]) >> password;
  o.password = password;
  o.codepage = 437;
  int count = std::stoi(a["--count"]);
  try {
    lkr::WinrmTransport t(o);
    auto start = std::chrono::steady_clock::now();
    t.connect();
    double connect_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::vector<double> ms;
    for (int i = 0; i < count; ++i) {
      auto s = std::chrono::steady_clock::now();
      auto r = t.run_line(a["--command"], std::chrono::seconds(30));
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
      if (r.exit_code != 0) throw std::runtime_error("command failed: " + r.stderr_utf8);
    }
    std::sort(ms.begin(), ms.end());
    std::cout << "ours (lkr::WinrmTransport, " << to_string(o.auth)
              << ", message encryption): " << count << " x " << a["--command"] << ", median "
              << ms[ms.size() / 2] << " ms/command"
              << " (connect + shell " << connect_ms << " ms; " << t.connections_opened()
              << " connection, " << t.authentications() << " " << to_string(o.auth)
              << " handshake)\n";
  } catch (const std::exception& e) {
    std::cerr << "winrm_bench: " << e.what() << "\n";
    return 1;
  }
}
