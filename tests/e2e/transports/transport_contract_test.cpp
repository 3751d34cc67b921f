// What every transport promises the controller, run once over SSH and once over WinRM
// (two CTest instances of this executable, LKR_CONTRACT_TRANSPORT=ssh|winrm, each on its
// own subnet) against the same lab nodes: a Command runs, its exit code and both streams
// come back apart and decoded, its arguments reach the program as given, output past the
// cap is cut and said to be, a line the shell cannot carry is refused before it is sent,
// and a command past its deadline throws a timeout and leaves the connection usable.
// What only one transport has (host keys, TLS, NTLM sealing, WinRS shells) stays in its
// own test file.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/tests/lab_fixture.h"
#include "transports/ssh/ssh_transport.h"
#include "transports/winrm/winrm_transport.h"

using lab::testing::LabFixture;
using lkr::TransportError;
using namespace std::chrono_literals;

namespace {

const std::string kScenarios = LAB_SCENARIO_DIR;
const std::string kNode = "BENHOGAN2008";  // seed.json's surviving node

bool over_winrm() {
  const char* t = std::getenv("LKR_CONTRACT_TRANSPORT");
  return t != nullptr && std::string(t) == "winrm";
}

// A lab of `scenario` whose nodes speak this instance's transport, and a connected
// transport to `node` with `max_output` bytes kept per stream, decoding `codepage` (over
// WinRM also the shell's code page, which WinRS takes from the client at connect).
struct Connected {
  std::unique_ptr<LabFixture> fx;
  std::unique_ptr<lkr::Transport> transport;
};

Connected connect_to(const std::string& scenario, const std::string& node,
                     std::size_t max_output = 64u << 20, int codepage = 437) {
  Connected c;
  const char* subnet = std::getenv("LKR_CONTRACT_SUBNET");
  std::string path = kScenarios + "/" + scenario;
  if (over_winrm()) path = lkr::test::winrm_variant(path, "ntlm", "http");  // Windows' default
  c.fx = std::make_unique<LabFixture>(
      lab::testing::LabOptions{path, subnet ? subnet : LAB_TEST_SUBNET, ""});
  if (over_winrm()) {
    lkr::WinrmOptions o = lkr::test::lab_winrm_options(*c.fx, node, "ntlm", "http");
    o.max_output_bytes = max_output;
    o.codepage = codepage;
    o.operation_timeout_s = 1;  // the endpoint answers w:TimedOut each second: keep waiting
    c.transport = std::make_unique<lkr::WinrmTransport>(o);
  } else {
    const lab::LabNode& n = lab::resolve_node(c.fx->record(), node);
    lkr::SshOptions o;
    o.host = n.address;
    o.port = n.port;
    o.user = "root";  // the lab's sshd admits the user running the tests
    o.key_file = c.fx->record().client_key;
    o.known_hosts_file = c.fx->record().known_hosts;
    o.connect_timeout = 5s;
    o.max_output_bytes = max_output;
    o.codepage = codepage;
    c.transport = std::make_unique<lkr::SshTransport>(o);
  }
  c.transport->connect();
  return c;
}

size_t journal_size(const Connected& c, const std::string& node) {
  return c.fx->dump(node)["journal"].size();
}

struct NoAgent {  // SSH authenticates with exactly the lab's key
  NoAgent() { unsetenv("SSH_AUTH_SOCK"); }
};
const NoAgent kNoAgent;

}  // namespace

TEST_CASE("exit codes and both streams come back apart, for programs and built-ins") {
  auto c = connect_to("seed.json", kNode);
  auto host = c.transport->run(lkr::program("C:\\Windows\\System32\\hostname.exe", {}), 10s);
  CHECK(host.exit_code == 0);
  CHECK(host.stdout_utf8 == "BENHOGAN2008\r\n");
  CHECK(host.stderr_utf8.empty());
  CHECK_FALSE(host.truncated);
  CHECK(host.start <= host.end);

  auto probe = c.transport->run(
      lkr::Command{
          lkr::CommandKind::if_exist, "if exist", {lkr::Arg{"C:\\LK\\Bin\\sys_list.exe", false}}},
      10s);
  CHECK(probe.exit_code == 0);
  CHECK(probe.stdout_utf8.find("yes") != std::string::npos);

  // A program that is not there: non-zero (9009 on Windows; its low 8 bits through a
  // POSIX sshd), nothing on stdout, the reason on stderr.
  auto missing = c.transport->run(lkr::program("C:\\nowhere\\nosuch.exe", {}), 10s);
  CHECK(missing.exit_code != 0);
  CHECK(missing.stdout_utf8.empty());
  CHECK_FALSE(missing.stderr_utf8.empty());
  CHECK(c.fx->dump(kNode)["journal"].back()["rc"] == 9009);
}

TEST_CASE("arguments reach the node's program exactly as given") {
  auto c = connect_to("seed.json", kNode);
  const std::vector<std::string> args = {"-t", "Vol E & \"data\" 50% %LKROOT% ^ (x) !y! <a> a\\\\",
                                         "", "tab\there"};
  c.transport->run(lkr::program("C:\\LK\\Bin\\ins_list.exe", args), 10s);
  nlohmann::json argv = c.fx->dump(kNode)["journal"].back()["argv"];
  REQUIRE(argv.size() == args.size() + 1);
  for (size_t i = 0; i < args.size(); ++i) CHECK(argv[i + 1] == args[i]);
}

TEST_CASE("output is decoded from the node's code page into UTF-8") {
  auto c = connect_to("multi-cluster.json", "C01NODE1", 64u << 20, 932);  // a 932 node
  auto chcp = c.transport->run(lkr::program("C:\\Windows\\System32\\chcp.com", {}), 10s);
  CHECK(chcp.exit_code == 0);
  // Shift_JIS on the wire, the same words in UTF-8 here.
  CHECK(chcp.stdout_utf8.find("現在のコード ページ") != std::string::npos);
}

TEST_CASE("output past the cap is cut, marked truncated, and the exit code kept") {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + " of the big file\r\n";
  auto c = connect_to("seed.json", kNode, 100000);
  const lab::LabNode& n = lab::resolve_node(c.fx->record(), kNode);
  std::ofstream(n.node_dir + "/C/big.txt", std::ios::binary) << big;
  auto cut = c.transport->run(lkr::builtin("type", {"C:\\big.txt"}), 60s);
  CHECK(cut.truncated);
  CHECK(cut.stdout_utf8 == big.substr(0, 100000));
  CHECK(cut.exit_code == 0);
  // Under the cap: whole, and not marked.
  auto small = c.transport->run(lkr::program("C:\\Windows\\System32\\hostname.exe", {}), 10s);
  CHECK_FALSE(small.truncated);
}

TEST_CASE("a line the shell cannot carry is refused before anything is sent") {
  auto c = connect_to("seed.json", kNode);
  size_t before = journal_size(c, kNode);
  CHECK_THROWS_AS(c.transport->run(lkr::program("C:\\LK\\Bin\\ins_list.exe", {"a\nb"}), 10s),
                  std::invalid_argument);
  CHECK_THROWS_AS(c.transport->run(lkr::builtin("echo", {std::string(9000, 'x')}), 10s),
                  std::invalid_argument);
  CHECK(journal_size(c, kNode) == before);
  // The connection is untouched by a refusal.
  CHECK(c.transport->run(lkr::program("C:\\Windows\\System32\\hostname.exe", {}), 10s).exit_code ==
        0);
}

TEST_CASE("a command past its deadline throws a timeout; the connection goes on") {
  auto c = connect_to("seed.json", kNode);
  REQUIRE(c.fx->lab({"fault", kNode, "--command", "hostname", "--hang", "--times", "1"}).rc == 0);
  auto started = std::chrono::steady_clock::now();
  try {
    c.transport->run(lkr::program("C:\\Windows\\System32\\hostname.exe", {}), 1500ms);
    FAIL("a hung command returned");
  } catch (const TransportError& e) {
    CHECK(e.kind == TransportError::Kind::timeout);
  }
  auto waited = std::chrono::steady_clock::now() - started;
  CHECK(waited >= 1500ms);
  CHECK(waited < 10s);
  auto next = c.transport->run(lkr::program("C:\\Windows\\System32\\hostname.exe", {}), 10s);
  CHECK(next.exit_code == 0);
  CHECK(next.stdout_utf8 == "BENHOGAN2008\r\n");
}
