// The transport factory: the connection decides the transport and the shell its Commands
// are rendered for. SSH renders for the inventory's ansible_shell_type (OpenSSH's
// DefaultShell); WinRM always for cmd, since WinRS starts every line with cmd.exe.
// Building a transport does not connect, so no node is needed.
#include "controller/transport_factory.h"

#include <catch2/catch.hpp>

using namespace lkr;

namespace {

Host host_with(Connection connection, Shell shell) {
  Host h;
  h.name = h.system = h.address = "N1";
  h.connection = connection;
  h.shell = shell;
  return h;
}

}  // namespace

TEST_CASE("an SSH connection renders for the shell the inventory names") {
  CliOptions options;
  TransportFactory make = host_transport_factory(options, std::nullopt);
  CHECK(make(host_with(Connection::ssh, Shell::cmd))->shell() == Shell::cmd);
  CHECK(make(host_with(Connection::ssh, Shell::powershell))->shell() == Shell::powershell);
}

TEST_CASE("a WinRM connection renders for cmd, whatever ansible_shell_type says") {
  CliOptions options;
  TransportFactory make = host_transport_factory(options, std::nullopt);
  CHECK(make(host_with(Connection::winrm, Shell::cmd))->shell() == Shell::cmd);
  CHECK(make(host_with(Connection::winrm, Shell::powershell))->shell() == Shell::cmd);
}

TEST_CASE("the SSH-only factory renders for the inventory's shell too") {
  CliOptions options;
  TransportFactory make = ssh_transport_factory(options, std::nullopt);
  CHECK(make(host_with(Connection::ssh, Shell::powershell))->shell() == Shell::powershell);
}

TEST_CASE("ansible_winrm_send_cbt reaches the WinRM transport, which says when it is off") {
  CliOptions options;
  TransportFactory make = host_transport_factory(options, std::nullopt);
  auto notices_of = [&](WinrmAuth auth, WinrmScheme scheme, bool send_cbt) {
    Host h = host_with(Connection::winrm, Shell::cmd);
    h.winrm.auth = auth;
    h.winrm.scheme = scheme;
    h.winrm.send_cbt = send_cbt;
    return make(h)->notices();
  };
  auto off = notices_of(WinrmAuth::ntlm, WinrmScheme::https, false);
  REQUIRE(off.size() == 1);
  CHECK(off[0].find("channel binding is off") != std::string::npos);
  CHECK(off[0].find("ansible_winrm_send_cbt: false") != std::string::npos);
  CHECK(notices_of(WinrmAuth::kerberos, WinrmScheme::https, false).size() == 1);
  // On (the default), over http (no TLS to bind to), or an auth that binds nothing: silent.
  CHECK(notices_of(WinrmAuth::ntlm, WinrmScheme::https, true).empty());
  CHECK(notices_of(WinrmAuth::ntlm, WinrmScheme::http, false).empty());
  CHECK(notices_of(WinrmAuth::basic, WinrmScheme::https, false).empty());
}
