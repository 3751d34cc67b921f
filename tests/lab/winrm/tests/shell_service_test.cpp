// The lab endpoint's shell service without the network: envelopes in, envelopes out,
// with a stand-in for lab-cmd (a POSIX shell script that runs $SSH_ORIGINAL_COMMAND),
// so Create/Command/Receive/Signal/Delete and their faults are checked in isolation.
#include "tests/lab/winrm/shell_service.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "transports/winrm/wsman_messages.h"
#include "transports/winrm/wsman_reply.h"

namespace w = lkr::winrm;
using lab::winrm::ShellService;
using lab::winrm::SoapReply;

namespace {

struct FakeLabCmd {
  std::string dir =
      std::filesystem::temp_directory_path() / ("lkr-shell-service-" + std::to_string(getpid()));
  std::string path = dir + "/lab-cmd";
  FakeLabCmd() {
    std::filesystem::create_directories(dir);
    // Called as `lab-cmd --node DIR`, like the real one; writes the node dir to stderr
    // when asked, so the test sees what it was given.
    std::ofstream(path) << "#!/bin/sh\n[ \"$1\" = --node ] || exit 99\n"
                           "NODE=\"$2\"; export NODE\neval \"$SSH_ORIGINAL_COMMAND\"\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  }
  ~FakeLabCmd() { std::filesystem::remove_all(dir); }
};

w::MessageHeader header(int operation_timeout_s = 5) {
  w::MessageHeader h;
  h.to = "http://127.0.0.1:5985/wsman";
  h.message_id = w::new_message_id();
  h.operation_timeout_s = operation_timeout_s;
  return h;
}

std::string create(ShellService& s) {
  SoapReply r = s.handle(w::create_shell_request(header(), 437));
  REQUIRE(r.status == 200);
  return w::parse_shell_id(r.body);
}

std::string start(ShellService& s, const std::string& shell, const std::string& command,
                  const std::vector<std::string>& args = {}) {
  SoapReply r = s.handle(w::command_request(header(), shell, command, args));
  REQUIRE(r.status == 200);
  return w::parse_command_id(r.body);
}

// Receives until Done; counts the Receives.
w::ReceiveOutput receive_all(ShellService& s, const std::string& shell, const std::string& id,
                             int& receives) {
  w::ReceiveOutput all;
  for (receives = 1; receives < 1000; ++receives) {
    SoapReply r = s.handle(w::receive_request(header(), shell, id));
    REQUIRE(r.status == 200);
    w::ReceiveOutput o = w::parse_receive(r.body, id);
    all.stdout_bytes += o.stdout_bytes;
    all.stderr_bytes += o.stderr_bytes;
    if (o.done) {
      all.done = true;
      all.exit_code = o.exit_code;
      break;
    }
  }
  return all;
}

}  // namespace

TEST_CASE("a command's output, stderr and exit code come back; Arguments are joined by spaces") {
  FakeLabCmd lab_cmd;
  ShellService s(lab_cmd.path, "/node dir", "http://x/wsman");
  std::string shell = create(s);
  std::string id = start(s, shell, "printf", {"'%s|%s'", "\"$NODE\"", "a; echo err >&2; exit 7"});
  int receives = 0;
  w::ReceiveOutput o = receive_all(s, shell, id, receives);
  CHECK(o.stdout_bytes == "/node dir|a");
  CHECK(o.stderr_bytes == "err\n");
  CHECK(o.exit_code == 7);
  CHECK(receives == 1);  // a short command is one Receive
}

TEST_CASE("long output spans several Receives, each within the endpoint's limit") {
  FakeLabCmd lab_cmd;
  ShellService s(lab_cmd.path, "/n", "http://x/wsman");
  std::string shell = create(s);
  std::string id = start(s, shell, "head -c 200000 /dev/zero | tr '\\0' x");
  int receives = 0;
  w::ReceiveOutput o = receive_all(s, shell, id, receives);
  CHECK(o.stdout_bytes == std::string(200000, 'x'));
  CHECK(receives == (200000 + ShellService::kMaxReceiveBytes - 1) / ShellService::kMaxReceiveBytes);
  CHECK(o.exit_code == 0);
}

TEST_CASE("a silent running command gets w:TimedOut; Signal terminate ends it") {
  FakeLabCmd lab_cmd;
  ShellService s(lab_cmd.path, "/n", "http://x/wsman");
  std::string shell = create(s);
  std::string id = start(s, shell, "sleep 30");
  auto t0 = std::chrono::steady_clock::now();
  SoapReply r = s.handle(w::receive_request(header(1), shell, id));
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(900));
  CHECK(r.status == 500);
  auto fault = w::parse_fault(r.body);
  REQUIRE(fault);
  CHECK(fault->operation_timed_out());
  SoapReply sig = s.handle(w::signal_terminate_request(header(), shell, id));
  CHECK(sig.status == 200);
  // The command is gone: another Receive names it unknown.
  SoapReply after = s.handle(w::receive_request(header(1), shell, id));
  CHECK(after.status == 500);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
}

TEST_CASE("the drop fault: its Receive gets no reply (DropConnection); the shell goes on") {
  FakeLabCmd lab_cmd;
  ShellService s(lab_cmd.path, "/n", "http://x/wsman");
  std::string shell = create(s);
  // What lab-cmd's "drop" does under the endpoint (FdTerminal::drop_connection): half of
  // the output, "drop" on the pipe named by $LAB_WINRM_DROP_FD, exit.
  std::string id = start(s, shell, "printf half; echo drop >&$LAB_WINRM_DROP_FD; exit 255");
  CHECK_THROWS_AS(s.handle(w::receive_request(header(), shell, id)), lab::winrm::DropConnection);
  // The command is gone, the shell is not.
  SoapReply again = s.handle(w::receive_request(header(1), shell, id));
  CHECK(again.status == 500);
  int receives = 0;
  w::ReceiveOutput next = receive_all(s, shell, start(s, shell, "printf ok"), receives);
  CHECK(next.stdout_bytes == "ok");
  CHECK(next.exit_code == 0);
}

TEST_CASE("a deleted shell is not found; replies relate to their request") {
  FakeLabCmd lab_cmd;
  ShellService s(lab_cmd.path, "/n", "http://x/wsman");
  std::string shell = create(s);
  w::MessageHeader h = header();
  SoapReply del = s.handle(w::delete_shell_request(h, shell));
  CHECK(del.status == 200);
  CHECK(w::parse_relates_to(del.body) == h.message_id);
  SoapReply cmd = s.handle(w::command_request(header(), shell, "true", {}));
  CHECK(cmd.status == 500);
  auto fault = w::parse_fault(cmd.body);
  REQUIRE(fault);
  CHECK(fault->shell_gone());
  CHECK(fault->text().find(shell) != std::string::npos);
}

TEST_CASE("the shell quota is enforced with Windows' words") {
  FakeLabCmd lab_cmd;
  ShellService s(lab_cmd.path, "/n", "http://x/wsman");
  for (size_t i = 0; i < ShellService::kMaxShells; ++i) create(s);
  SoapReply r = s.handle(w::create_shell_request(header(), 437));
  CHECK(r.status == 500);
  auto fault = w::parse_fault(r.body);
  REQUIRE(fault);
  CHECK(fault->quota_exceeded());
  CHECK(fault->text().find("concurrent shells") != std::string::npos);
}

TEST_CASE("a body that is not XML is a schema fault, not a crash") {
  FakeLabCmd lab_cmd;
  ShellService s(lab_cmd.path, "/n", "http://x/wsman");
  SoapReply r = s.handle("<not xml");
  CHECK(r.status == 500);
  REQUIRE(w::parse_fault(r.body));
}
