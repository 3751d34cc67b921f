#include <catch2/catch.hpp>

#include "inventory/file_digest.h"
#include "inventory/inventory.h"
#include "tests/unit/inventory/inventory_file.h"

using lkr::test::InventoryFile;

namespace {

const lkr::Cluster& cluster(const lkr::Inventory& inv, const std::string& name) {
  for (const auto& c : inv.clusters)
    if (c.name == name) return c;
  FAIL("no cluster " << name);
  throw;
}

const lkr::Host& host(const lkr::Cluster& c, const std::string& name) {
  for (const auto& h : c.hosts)
    if (h.name == name) return h;
  FAIL("no host " << name);
  throw;
}

// The README's example.
const char* kReadmeInventory = R"(all:
  vars:
    ansible_user: Administrator
    lk_known_hosts: ~/.ssh/known_hosts
  children:
    sql-prod:
      vars:
        lk_cluster: true
        lk_replaced: GPLAYER2008
      hosts:
        BENHOGAN2008:
          ansible_host: 10.200.8.25
          ansible_ssh_private_key_file: ~/.ssh/id_ed25519
        GPLAYER2008:              # the reinstalled node: checked to be fresh, never changed
          ansible_host: 10.200.8.26
)";

}  // namespace

TEST_CASE("the README's inventory loads with defaults filled in") {
  InventoryFile file(kReadmeInventory);
  auto inv = lkr::load_inventory(file.path());
  REQUIRE(inv.clusters.size() == 1);
  const auto& c = inv.clusters[0];
  CHECK(c.name == "sql-prod");
  CHECK(c.replaced == "GPLAYER2008");
  CHECK(c.replaced_in_inventory);
  CHECK(c.source == file.at("sql-prod:"));
  CHECK(c.replaced_source == file.at("lk_replaced:"));
  REQUIRE(c.hosts.size() == 2);
  const auto& b = host(c, "BENHOGAN2008");
  CHECK(b.system == "BENHOGAN2008");
  CHECK(b.address == "10.200.8.25");
  CHECK(b.port == 22);
  CHECK(b.user == "Administrator");
  CHECK(b.key_file == "~/.ssh/id_ed25519");
  CHECK(b.known_hosts == "~/.ssh/known_hosts");
  CHECK(b.connection == lkr::Connection::ssh);
  CHECK(b.shell == lkr::Shell::cmd);
  CHECK(b.lk_root == "C:\\LK");
  CHECK(b.dk_extmirrbase == "C:\\Program Files\\SIOS\\DataKeeper");
  CHECK_FALSE(b.codepage.has_value());
  CHECK(b.source == file.at("BENHOGAN2008:"));
  CHECK(inv.warnings.empty());
}

TEST_CASE("the inventory's sha256 is that of the file's bytes") {
  InventoryFile file(kReadmeInventory);
  auto inv = lkr::load_inventory(file.path());
  // Known vector (FIPS 180-2): SHA-256("abc").
  CHECK(lkr::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(inv.sha256 == lkr::sha256_hex(kReadmeInventory));
  CHECK(inv.path == file.path());
}

TEST_CASE("precedence: host over child group over parent group over all") {
  InventoryFile file(R"(all:
  vars: {lk_root: 'D:\all', dk_extmirrbase: 'D:\all', lk_known_hosts: all, ansible_port: 2201}
  children:
    site:
      vars: {lk_root: 'D:\site', dk_extmirrbase: 'D:\site', lk_known_hosts: site}
      children:
        sql-prod:
          vars: {lk_cluster: true, lk_replaced: NODE2, lk_root: 'D:\cluster'}
          hosts:
            NODE1: {ansible_host: 10.0.0.1, lk_root: 'D:\host'}
            NODE2: {ansible_host: 10.0.0.2}
)");
  auto inv = lkr::load_inventory(file.path());
  const auto& c = cluster(inv, "sql-prod");
  CHECK(host(c, "NODE1").lk_root == "D:\\host");
  CHECK(host(c, "NODE2").lk_root == "D:\\cluster");
  CHECK(host(c, "NODE2").dk_extmirrbase == "D:\\site");
  CHECK(host(c, "NODE2").known_hosts == "site");
  CHECK(host(c, "NODE2").port == 2201);
}

TEST_CASE("a deeper group wins over a shallower one the host also belongs to") {
  // NODE1 is in `windows` (depth 1) and in `sql-prod` under `site` (depth 2).
  InventoryFile file(R"(windows:
  vars: {ansible_user: from-windows}
  hosts:
    NODE1:
site:
  children:
    sql-prod:
      vars: {lk_cluster: true, lk_replaced: NODE2, ansible_user: from-cluster}
      hosts: {NODE1: {ansible_host: 10.0.0.1}, NODE2: {ansible_host: 10.0.0.2}}
)");
  auto inv = lkr::load_inventory(file.path());
  CHECK(host(cluster(inv, "sql-prod"), "NODE1").user == "from-cluster");
}

TEST_CASE("hosts of a cluster include its nested children's, recursively") {
  InventoryFile file(R"(all:
  children:
    sql-prod:
      vars: {lk_cluster: true, lk_replaced: NODE3}
      hosts:
        NODE1: {ansible_host: 10.0.0.1}
      children:
        site-b:
          hosts:
            NODE2: {ansible_host: 10.0.0.2}
          children:
            rack-9:
              hosts:
                NODE3: {ansible_host: 10.0.0.3}
)");
  auto inv = lkr::load_inventory(file.path());
  REQUIRE(inv.clusters.size() == 1);  // site-b and rack-9 inherit lk_cluster: part of sql-prod
  const auto& c = inv.clusters[0];
  REQUIRE(c.hosts.size() == 3);
  CHECK(c.hosts[0].name == "NODE1");
  CHECK(c.hosts[1].name == "NODE2");
  CHECK(c.hosts[2].name == "NODE3");
  CHECK(inv.groups.at("site-b") == std::vector<std::string>{"NODE2", "NODE3"});
  CHECK(inv.groups.at("all").size() == 3);
}

TEST_CASE("top-level groups other than all, and several clusters") {
  InventoryFile file(R"(sql-prod:
  vars: {lk_cluster: yes, lk_replaced: B1}
  hosts: {A1: {ansible_host: 10.0.0.1}, B1: {ansible_host: 10.0.0.2}}
file-srv:
  vars: {lk_cluster: true, lk_replaced: B2}
  hosts: {A2: {ansible_host: 10.0.1.1}, B2: {ansible_host: 10.0.1.2}}
linux:
  hosts: {builder: {ansible_connection: local}}
)");
  auto inv = lkr::load_inventory(file.path());
  REQUIRE(inv.clusters.size() == 2);
  CHECK(inv.clusters[0].name == "sql-prod");
  CHECK(inv.clusters[1].name == "file-srv");
  CHECK(inv.system_cluster.at("A2") == "file-srv");
}

TEST_CASE("the JSON form of the same structure loads the same") {
  InventoryFile file(R"({
  "all": {
    "vars": {"ansible_user": "Administrator"},
    "children": {
      "sql-prod": {
        "vars": {"lk_cluster": true, "lk_replaced": "GPLAYER2008", "lk_codepage": 932},
        "hosts": {
          "BENHOGAN2008": {"ansible_host": "10.200.8.25", "ansible_port": 2222},
          "GPLAYER2008": {"ansible_host": "10.200.8.26"}
        }
      }
    }
  }
})",
                     ".json");
  auto inv = lkr::load_inventory(file.path());
  const auto& c = cluster(inv, "sql-prod");
  CHECK(c.replaced == "GPLAYER2008");
  CHECK(host(c, "BENHOGAN2008").port == 2222);
  CHECK(host(c, "GPLAYER2008").codepage == 932);
  CHECK(host(c, "GPLAYER2008").user == "Administrator");
  CHECK(host(c, "GPLAYER2008").source == file.at("\"GPLAYER2008\": {"));
}

TEST_CASE("names with spaces, non-ASCII and quotes are YAML keys like any other") {
  InventoryFile file(R"yaml(all:
  children:
    "sql prod (Tōkyō)":
      vars: {lk_cluster: true, lk_replaced: "ノード2"}
      hosts:
        "node one":
          ansible_host: 10.0.0.1
          lk_system: "O'Brien \"1\""
        ノード2:
          ansible_host: 10.0.0.2
)yaml");
  auto inv = lkr::load_inventory(file.path());
  const auto& c = cluster(inv, "sql prod (Tōkyō)");
  CHECK(c.replaced == "ノード2");
  CHECK(c.replaced_in_inventory);
  CHECK(host(c, "node one").system == "O'Brien \"1\"");
  CHECK(host(c, "ノード2").system == "ノード2");
}

TEST_CASE("a replaced node not listed at all is allowed and recorded") {
  InventoryFile file(R"(sql-prod:
  vars: {lk_cluster: true, lk_replaced: SQL2}
  hosts:
    SQL1: {ansible_host: 10.0.0.1}
)");
  auto inv = lkr::load_inventory(file.path());
  CHECK(inv.clusters[0].replaced == "SQL2");
  CHECK_FALSE(inv.clusters[0].replaced_in_inventory);
}

TEST_CASE("winrm settings are kept for the WinRM transport; secrets stay out of vars") {
  InventoryFile file(R"(sql-prod:
  vars: {lk_cluster: true, lk_replaced: N2, ansible_password: s3cret}
  hosts:
    N1:
      ansible_host: 10.0.0.1
      ansible_connection: winrm
      ansible_shell_type: powershell
      ansible_winrm_transport: ntlm
      ansible_winrm_scheme: https
    N2: {ansible_host: 10.0.0.2}
)");
  auto inv = lkr::load_inventory(file.path());
  const auto& n1 = host(inv.clusters[0], "N1");
  CHECK(n1.connection == lkr::Connection::winrm);
  CHECK(n1.shell == lkr::Shell::powershell);  // as written: the transport factory decides
  CHECK(n1.winrm.auth == lkr::WinrmAuth::ntlm);
  CHECK(n1.winrm.scheme == lkr::WinrmScheme::https);
  CHECK(n1.password == "s3cret");
  CHECK(inv.warnings.empty());
}

TEST_CASE("a host name that is a DNS name needs no ansible_host") {
  InventoryFile file(R"(sql-prod:
  vars: {lk_cluster: true, lk_replaced: node2.example.com}
  hosts: {node1.example.com: , node2.example.com: , "10.1.2.3": {lk_system: THIRD}}
)");
  auto inv = lkr::load_inventory(file.path());
  const auto& c = inv.clusters[0];
  CHECK(host(c, "node1.example.com").address == "node1.example.com");
  CHECK(host(c, "10.1.2.3").address == "10.1.2.3");
  CHECK(host(c, "10.1.2.3").system == "THIRD");
}
