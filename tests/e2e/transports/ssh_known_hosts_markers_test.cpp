// The attack "@revoked entries in known_hosts are ignored": against a real sshd of the lab,
// a node whose host key the known_hosts file revokes is refused, even when the same file
// also lists that key for the host and even with accept-new (and then nothing is recorded);
// a @cert-authority line for the host is refused as not supported.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>

#include "tests/lab/driver/process_runner.h"
#include "tests/lab/driver/tests/lab_fixture.h"
#include "transports/ssh/ssh_transport.h"

using Catch::Matchers::Contains;
using lab::testing::LabFixture;
using lkr::SshOptions;
using lkr::SshTransport;
using lkr::TransportError;
using namespace std::chrono_literals;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kNode = "BENHOGAN2008";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

SshOptions options_for(const LabFixture& fx, const std::string& known_hosts) {
  const lab::LabNode& n = lab::resolve_node(fx.record(), kNode);
  SshOptions o;
  o.host = n.address;
  o.port = n.port;
  o.user = "root";
  o.key_file = fx.record().client_key;
  o.known_hosts_file = known_hosts;
  o.connect_timeout = 5s;
  return o;
}

// "ssh-ed25519 AAAA..." of the node's host key (its .pub file, comment dropped).
std::string node_public_key(const LabFixture& fx) {
  const lab::LabNode& n = lab::resolve_node(fx.record(), kNode);
  std::istringstream fields(read_file(n.node_dir + "/ssh_host_ed25519_key.pub"));
  std::string type, blob;
  fields >> type >> blob;
  return type + " " + blob;
}

std::string refusal(const SshOptions& o) {
  SshTransport t(o);
  try {
    t.connect();
  } catch (const TransportError& e) {
    CHECK(e.kind == TransportError::Kind::host_key);
    return e.what();
  }
  FAIL("connected although the known_hosts file forbids it");
  return "";
}

}  // namespace

TEST_CASE("a revoked host key is refused, even when also listed for the host") {
  LabFixture fx(kSeed);
  std::string file = fx.state_dir() + "/revoked_known_hosts";
  // The lab's own file (which accepts the node), with the node's key revoked after it.
  write_file(file, read_file(fx.record().known_hosts) + "@revoked * " + node_public_key(fx) +
                       " compromised\n");
  std::string message = refusal(options_for(fx, file));
  CHECK_THAT(message, Contains("REVOKED"));
  CHECK_THAT(message, Contains(lab::resolve_node(fx.record(), kNode).address));

  SECTION("the same file without the @revoked line connects (the test is fair)") {
    SshTransport t(options_for(fx, fx.record().known_hosts));
    CHECK_NOTHROW(t.connect());
  }
}

TEST_CASE("a revoked host key is neither accepted nor recorded with accept-new") {
  LabFixture fx(kSeed);
  std::string file = fx.state_dir() + "/accept_new_known_hosts";
  std::string revoked = "@revoked 10.0.0.0 " + node_public_key(fx) + "\n";
  write_file(file, revoked);
  SshOptions o = options_for(fx, file);
  o.accept_new_host_keys = true;
  CHECK_THAT(refusal(o), Contains("REVOKED"));
  CHECK(read_file(file) == revoked);  // nothing recorded
}

TEST_CASE("a @cert-authority line for the host is refused as not supported") {
  LabFixture fx(kSeed);
  const lab::LabNode& n = lab::resolve_node(fx.record(), kNode);
  std::string file = fx.state_dir() + "/ca_known_hosts";
  std::string ca = fx.state_dir() + "/host_ca";
  REQUIRE(lab::run_process({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ca}, 10000).rc ==
          0);
  std::istringstream fields(read_file(ca + ".pub"));
  std::string type, blob;
  fields >> type >> blob;
  std::string pattern = n.port == 22 ? n.address : "[" + n.address + "]:" + std::to_string(n.port);
  write_file(file, read_file(fx.record().known_hosts) + "@cert-authority " + pattern + " " + type +
                       " " + blob + "\n");
  std::string message = refusal(options_for(fx, file));
  CHECK_THAT(message, Contains("@cert-authority"));
  CHECK_THAT(message, Contains("not supported"));

  SECTION("a @cert-authority line for other hosts changes nothing") {
    write_file(file, read_file(fx.record().known_hosts) + "@cert-authority *.example.org " + type +
                         " " + blob + "\n");
    SshTransport t(options_for(fx, file));
    CHECK_NOTHROW(t.connect());
  }
}
