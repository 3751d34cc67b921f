// --cluster, --replaced and --limit.
#include <catch2/catch.hpp>

#include "inventory/inventory.h"
#include "inventory/limit_pattern.h"
#include "tests/unit/inventory/inventory_file.h"

using Catch::Matchers::Contains;
using lkr::test::InventoryFile;

namespace {

const char* kTwoClusters = R"(all:
  children:
    site-a:
      children:
        sql-prod:
          vars: {lk_cluster: true, lk_replaced: SQL2}
          hosts:
            SQL1: {ansible_host: 10.0.0.1}
            SQL2: {ansible_host: 10.0.0.2}
            SQL3: {ansible_host: 10.0.0.3}
    file-srv:
      vars: {lk_cluster: true, lk_replaced: FS2}
      hosts:
        FS1: {ansible_host: 10.0.1.1}
        FS2: {ansible_host: 10.0.1.2}
    web:
      hosts: {SQL3: , FS1: }
)";

std::vector<std::string> names(const lkr::Cluster& c) {
  std::vector<std::string> out;
  for (const auto& h : c.hosts) out.push_back(h.name);
  return out;
}

std::set<std::string> match(const lkr::Inventory& inv, const std::string& pattern) {
  return lkr::match_host_pattern(pattern, inv.groups).hosts;
}

using Names = std::set<std::string>;

}  // namespace

TEST_CASE("select_clusters keeps the named clusters and refuses unknown names") {
  InventoryFile file(kTwoClusters);
  auto inv = lkr::load_inventory(file.path());
  auto one = lkr::select_clusters(inv, {"file-srv"});
  REQUIRE(one.clusters.size() == 1);
  CHECK(one.clusters[0].name == "file-srv");
  CHECK(lkr::select_clusters(inv, {}).clusters.size() == 2);
  try {
    lkr::select_clusters(inv, {"sql-prd"});
    FAIL("accepted");
  } catch (const lkr::InventoryError& e) {
    CHECK(std::string(e.what()) == file.path() +
                                       ": unknown cluster \"sql-prd\" (did you mean \"sql-prod\"?)"
                                       "; clusters in this inventory: sql-prod, file-srv; fix "
                                       "--cluster");
  }
  CHECK_THROWS_WITH(lkr::select_clusters(inv, {"web"}),
                    Contains("\"web\" is a group without lk_cluster: true"));
}

TEST_CASE("--replaced overrides lk_replaced with the same checks") {
  InventoryFile file(kTwoClusters);
  auto inv = lkr::select_clusters(lkr::load_inventory(file.path()), {"sql-prod"});
  lkr::apply_replaced_override(inv, "sql3");  // case-insensitive, as on Windows
  CHECK(inv.clusters[0].replaced == "sql3");
  CHECK(inv.clusters[0].replaced_in_inventory);
  CHECK(inv.clusters[0].replaced_source == "--replaced");

  lkr::apply_replaced_override(inv, "SQL9");
  CHECK_FALSE(inv.clusters[0].replaced_in_inventory);

  // Another cluster's node is refused even though --cluster left that cluster out.
  CHECK_THROWS_WITH(lkr::apply_replaced_override(inv, "FS2"),
                    "--replaced: cluster \"sql-prod\": lk_replaced \"FS2\" is a node of cluster "
                    "\"file-srv\", not of this one (members: SQL1, SQL2, SQL3); fix lk_replaced "
                    "or pass --replaced");

  auto both = lkr::load_inventory(file.path());
  CHECK_THROWS_WITH(lkr::apply_replaced_override(both, "SQL2"), Contains("pass --cluster NAME"));
}

TEST_CASE("limit patterns: names, groups, globs, separators, exclusion, intersection") {
  InventoryFile file(kTwoClusters);
  auto inv = lkr::load_inventory(file.path());
  CHECK(match(inv, "SQL1") == Names{"SQL1"});
  CHECK(match(inv, "file-srv") == Names{"FS1", "FS2"});
  CHECK(match(inv, "site-a") == Names{"SQL1", "SQL2", "SQL3"});
  CHECK(match(inv, "SQL*") == Names{"SQL1", "SQL2", "SQL3"});
  CHECK(match(inv, "SQL1,FS2") == Names{"SQL1", "FS2"});
  CHECK(match(inv, "SQL1:FS2") == Names{"SQL1", "FS2"});
  CHECK(match(inv, "all:!SQL*") == Names{"FS1", "FS2"});
  CHECK(match(inv, "!file-srv") == Names{"SQL1", "SQL2", "SQL3"});
  CHECK(match(inv, "sql-prod:&web") == Names{"SQL3"});
  CHECK(match(inv, "*:&web:!FS1") == Names{"SQL3"});
  CHECK(match(inv, "~^FS[0-9]$") == Names{"FS1", "FS2"});
  CHECK(match(inv, " SQL1 , FS1 ") == Names{"SQL1", "FS1"});
  CHECK(lkr::match_host_pattern("nosuch,SQL1", inv.groups).unmatched ==
        std::vector<std::string>{"nosuch"});
}

TEST_CASE("apply_limit leaves other hosts untouched but known, and drops emptied clusters") {
  InventoryFile file(kTwoClusters);
  auto inv = lkr::load_inventory(file.path());
  lkr::apply_limit(inv, "sql-prod:!SQL2");
  REQUIRE(inv.clusters.size() == 1);
  CHECK(names(inv.clusters[0]) == std::vector<std::string>{"SQL1", "SQL3"});
  CHECK(inv.clusters[0].limited_out == std::vector<std::string>{"SQL2"});
  CHECK(inv.clusters[0].replaced == "SQL2");  // the replaced node stays known by name

  auto again = lkr::load_inventory(file.path());
  CHECK_THROWS_WITH(lkr::apply_limit(again, "nosuch"), Contains("leaves no host"));
}
