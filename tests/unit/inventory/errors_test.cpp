// Every inventory error names file:line and says what to do.
#include <catch2/catch.hpp>

#include "inventory/inventory.h"
#include "tests/unit/inventory/inventory_file.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using lkr::test::InventoryFile;

namespace {

std::string load_error(const InventoryFile& file) {
  try {
    lkr::load_inventory(file.path());
  } catch (const lkr::InventoryError& e) {
    return e.what();
  }
  FAIL("the inventory loaded without error");
  return "";
}

}  // namespace

TEST_CASE("the issue's example: lk_replaced that is a slip of a member's name") {
  InventoryFile file(R"(all:
  children:
    sql-prod:
      vars:
        lk_cluster: true
        lk_replaced: GPLAYR2008
      hosts:
        BENHOGAN2008: {ansible_host: 10.200.8.25}
        GPLAYER2008: {ansible_host: 10.200.8.26}
)");
  CHECK(load_error(file) ==
        file.at("lk_replaced:") +
            ": cluster \"sql-prod\": lk_replaced \"GPLAYR2008\" is not a member of the cluster "
            "(members: BENHOGAN2008, GPLAYER2008); fix lk_replaced or pass --replaced");
}

TEST_CASE("YAML syntax errors carry yaml-cpp's line") {
  InventoryFile file(
      "all:\n  children:\n    sql-prod:\n      vars: {lk_cluster: true\n"
      "      hosts:\n");
  std::string e = load_error(file);
  CHECK_THAT(e, StartsWith(file.path() + ":"));
  CHECK_THAT(e, Contains("YAML syntax error"));
  // The unclosed flow mapping is reported at or after the line that opens it.
  int line = std::stoi(e.substr(file.path().size() + 1));
  CHECK(line >= 4);
}

TEST_CASE("a group that is not a mapping, and an unknown group key") {
  InventoryFile list_group("all:\n  children:\n    sql-prod:\n      - NODE1\n");
  CHECK_THAT(load_error(list_group), StartsWith(list_group.at("- NODE1")));
  CHECK_THAT(load_error(list_group), Contains("found a list"));

  InventoryFile typo("sql-prod:\n  vars: {lk_cluster: true}\n  host:\n    N1:\n");
  CHECK(load_error(typo) == typo.at("host:") +
                                ": group \"sql-prod\": unknown key \"host\" (did you mean "
                                "\"hosts\"?); a group holds only hosts, vars and children");
}

TEST_CASE("no cluster in the file") {
  InventoryFile file("all:\n  hosts:\n    N1: {ansible_host: 10.0.0.1}\n");
  CHECK_THAT(load_error(file), Contains("no group has lk_cluster: true"));
}

TEST_CASE("lk_replaced missing") {
  InventoryFile file(R"(all:
  children:
    sql-prod:
      vars: {lk_cluster: true}
      hosts: {N1: {ansible_host: 10.0.0.1}, N2: {ansible_host: 10.0.0.2}}
)");
  std::string e = load_error(file);
  CHECK_THAT(e,
             StartsWith(file.at("sql-prod:") + ": cluster \"sql-prod\": lk_replaced is missing"));
  CHECK_THAT(e, Contains("--replaced"));
}

TEST_CASE("duplicate system within a cluster, case-insensitively") {
  InventoryFile file(R"(sql-prod:
  vars: {lk_cluster: true, lk_replaced: NODE2}
  hosts:
    a: {ansible_host: 10.0.0.1, lk_system: Node1}
    b: {ansible_host: 10.0.0.2, lk_system: NODE1}
    NODE2: {ansible_host: 10.0.0.3}
)");
  CHECK(load_error(file) ==
        file.at("b: {") + ": cluster \"sql-prod\": hosts \"a\" (" + file.at("a: {") +
            ") and \"b\" have the same LifeKeeper system " +
            "name \"NODE1\" (system names are case-insensitive); fix lk_system");
}

TEST_CASE("fewer than two nodes, counting the replaced one") {
  InventoryFile only_replaced(R"(sql-prod:
  vars: {lk_cluster: true, lk_replaced: N1}
  hosts: {N1: {ansible_host: 10.0.0.1}}
)");
  CHECK_THAT(
      load_error(only_replaced),
      StartsWith(only_replaced.at("sql-prod:") +
                 ": cluster \"sql-prod\": a cluster has at least two nodes, this one has 1"));
  InventoryFile empty(R"(sql-prod:
  vars: {lk_cluster: true, lk_replaced: N1}
)");
  CHECK_THAT(load_error(empty), Contains("this one has 1"));
}

TEST_CASE("missing address") {
  InventoryFile file(R"(sql-prod:
  vars: {lk_cluster: true, lk_replaced: N2}
  hosts:
    "SQL NODE 1":
    N2: {ansible_host: 10.0.0.2}
)");
  CHECK(load_error(file) == file.at("\"SQL NODE 1\"") +
                                ": host \"SQL NODE 1\": no address: the host name is not an IP "
                                "address or DNS name; set ansible_host");
}

TEST_CASE("bad ansible_host") {
  InventoryFile file(R"(sql-prod:
  vars: {lk_cluster: true, lk_replaced: N2}
  hosts:
    N1: {ansible_host: 10.200.8}
    N2: {ansible_host: 10.0.0.2}
)");
  CHECK_THAT(load_error(file),
             StartsWith(file.at("N1:") + ": host \"N1\": ansible_host \"10.200.8\""));
}

TEST_CASE("lk_replaced naming a node of another cluster") {
  InventoryFile file(R"(sql-prod:
  vars: {lk_cluster: true, lk_replaced: FS2}
  hosts: {SQL1: {ansible_host: 10.0.0.1}, SQL2: {ansible_host: 10.0.0.2}}
file-srv:
  vars: {lk_cluster: true, lk_replaced: FS2}
  hosts: {FS1: {ansible_host: 10.0.1.1}, FS2: {ansible_host: 10.0.1.2}}
)");
  CHECK(load_error(file) == file.at("lk_replaced: FS2") +
                                ": cluster \"sql-prod\": lk_replaced \"FS2\" is a node of cluster "
                                "\"file-srv\", not of this one (members: SQL1, SQL2); fix "
                                "lk_replaced or pass --replaced");
}

TEST_CASE("lk_replaced naming a member by its inventory name instead of its system name") {
  InventoryFile file(R"(sql-prod:
  vars: {lk_cluster: true, lk_replaced: node-b}
  hosts:
    node-a: {ansible_host: 10.0.0.1, lk_system: SQLA}
    node-b: {ansible_host: 10.0.0.2, lk_system: SQLB}
)");
  CHECK_THAT(load_error(file), Contains("set lk_replaced: SQLB"));
}

TEST_CASE("bad port, code page, connection and shell values") {
  auto with_var = [](const std::string& var) {
    return "sql-prod:\n  vars: {lk_cluster: true, lk_replaced: N2}\n  hosts:\n"
           "    N1:\n      ansible_host: 10.0.0.1\n      " +
           var + "\n    N2: {ansible_host: 10.0.0.2}\n";
  };
  InventoryFile port(with_var("ansible_port: 70000"));
  CHECK(load_error(port) == port.at("ansible_port") +
                                ": host \"N1\": ansible_port \"70000\" is not a TCP port "
                                "(1-65535); fix ansible_port");
  InventoryFile word_port(with_var("ansible_port: ssh"));
  CHECK_THAT(load_error(word_port), Contains("ansible_port \"ssh\" is not a TCP port"));
  InventoryFile codepage(with_var("lk_codepage: utf8"));
  CHECK_THAT(load_error(codepage),
             StartsWith(codepage.at("lk_codepage") + ": host \"N1\": lk_codepage \"utf8\""));
  InventoryFile connection(with_var("ansible_connection: local"));
  CHECK(load_error(connection) == connection.at("ansible_connection") +
                                      ": host \"N1\": ansible_connection \"local\" is not "
                                      "supported (use one of: ssh, winrm)");
  InventoryFile shell(with_var("ansible_shell_type: sh"));
  CHECK(load_error(shell) == shell.at("ansible_shell_type") +
                                 ": host \"N1\": ansible_shell_type \"sh\" is not supported "
                                 "(use one of: cmd, powershell)");
  // Names are Ansible's, spelled as Ansible spells them.
  InventoryFile upper(with_var("ansible_shell_type: CMD"));
  CHECK_THAT(load_error(upper), StartsWith(upper.at("ansible_shell_type") + ": host \"N1\""));
}

TEST_CASE("lk_cluster that is not a boolean") {
  InventoryFile file("sql-prod:\n  vars: {lk_cluster: maybe}\n");
  CHECK_THAT(load_error(file), StartsWith(file.at("lk_cluster") + ": lk_cluster \"maybe\""));
}

TEST_CASE("a group that is its own ancestor") {
  InventoryFile file(R"(a:
  children:
    b:
      children:
        a:
)");
  CHECK_THAT(load_error(file), Contains("is its own ancestor"));
}

TEST_CASE("an unreadable file") {
  try {
    lkr::load_inventory("/nonexistent/inv.yml");
    FAIL("loaded");
  } catch (const lkr::InventoryError& e) {
    CHECK_THAT(std::string(e.what()), StartsWith("/nonexistent/inv.yml: cannot read"));
  }
}

TEST_CASE("a TAB in the indentation is named as such, with its line") {
  InventoryFile file("all:\n  children:\n\tc1:\n      hosts: {a: {}}\n");
  CHECK_THROWS_WITH(lkr::load_inventory(file.path()),
                    Catch::Matchers::Contains(":3: a TAB character indents this line") &&
                        Catch::Matchers::Contains("spaces"));
}
