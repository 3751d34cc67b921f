// The attack "Kerberos replays go unnoticed": gss_unwrap reports a replayed, stale,
// reordered or skipped token as GSS_S_COMPLETE plus a supplementary status bit, which
// used to be taken as success. With tickets from the lab's real MIT KDC, the client
// context must refuse each of them, as an NTLM sealer refuses a wrong sequence number.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "tests/e2e/transports/winrm_test_support.h"
#include "tests/lab/driver/kdc_setup.h"
#include "tests/lab/driver/tests/lab_fixture.h"
#include "transports/winrm/kerberos_auth.h"

using lab::testing::LabFixture;
using lkr::krb::GssContext;

namespace {

const std::string kSeed = std::string(LAB_SCENARIO_DIR) + "/seed.json";
const std::string kNode = "BENHOGAN2008";

// A client context and the node's service context, established against the lab's KDC
// (the ticket in memory, the service key from the node's keytab).
struct ContextPair {
  std::unique_ptr<GssContext> client, server;
};

ContextPair established(const LabFixture& fx) {
  lkr::WinrmOptions o = lkr::test::lab_winrm_options(fx, kNode, "kerberos", "http");
  lab::LabRealm realm;
  realm.dir = lab::realm_dir(fx.state_dir());
  ContextPair p;
  p.client = GssContext::initiator(o.user, o.password, "HTTP@" + o.host);
  p.server = GssContext::acceptor(lab::keytab_path(realm, o.host));
  std::string token = p.client->step("");
  std::string answer = p.server->step(token);
  p.client->step(answer);
  REQUIRE(p.client->established());
  REQUIRE(p.server->established());
  return p;
}

}  // namespace

TEST_CASE("replayed, skipped and reordered Kerberos replies are refused") {
  LabFixture fx(lkr::test::winrm_variant(kSeed, "kerberos", "http"));
  std::string dir = lab::testing::make_temp_dir("lkr-krb5-replay");
  setenv("KRB5_CONFIG", fx.record().krb5_config.c_str(), 1);
  setenv("KRB5CCNAME", ("FILE:" + dir + "/ccache").c_str(), 1);

  SECTION("in order, each once: read (the pair is a fair test)") {
    auto p = established(fx);
    for (const char* text : {"first", "second", "third"}) {
      auto sealed = p.server->seal(text);
      CHECK(p.client->unseal(sealed.header, sealed.data) == std::optional<std::string>(text));
    }
  }
  SECTION("a genuine reply replayed (GSS_S_DUPLICATE_TOKEN)") {
    auto p = established(fx);
    auto first = p.server->seal("sys_list: GPLAYER2008 is fresh");
    REQUIRE(p.client->unseal(first.header, first.data));
    CHECK_FALSE(p.client->unseal(first.header, first.data));
  }
  SECTION("a reply held back, the next one delivered (GSS_S_GAP_TOKEN)") {
    auto p = established(fx);
    p.server->seal("held back");
    auto second = p.server->seal("delivered");
    CHECK_FALSE(p.client->unseal(second.header, second.data));
  }
  SECTION("an earlier reply delivered after a later one (GSS_S_UNSEQ_TOKEN)") {
    auto p = established(fx);
    auto first = p.server->seal("one");
    auto second = p.server->seal("two");
    auto third = p.server->seal("three");
    REQUIRE(p.client->unseal(first.header, first.data));
    p.client->unseal(third.header, third.data);  // a gap itself: refused or not, it moves on
    CHECK_FALSE(p.client->unseal(second.header, second.data));
  }
  unsetenv("KRB5_CONFIG");
  unsetenv("KRB5CCNAME");
  lab::testing::remove_tree(dir);
}
