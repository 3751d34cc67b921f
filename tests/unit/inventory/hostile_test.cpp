// Hostile inventories: files a fuzzer or an attacker would write.
// Each is refused with an error naming the file and line, or loaded, in bounded work.
#include <catch2/catch.hpp>
#include <string>

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
  return "(loaded)";
}

}  // namespace

TEST_CASE("a 'billion laughs' of aliased groups is refused, not walked for hours",
          "[inventory][hostile]") {
  // g8 names g7 ten times, which names g6 ten times, ...: 10^8 group mentions.
  std::string text = "all:\n  children:\n    g0: &g0 {hosts: {h0: {}, h1: {}}}\n";
  for (int i = 1; i <= 8; ++i) {
    text += "    g" + std::to_string(i) + ": &g" + std::to_string(i) + " {children: {";
    for (int k = 0; k < 10; ++k)
      text +=
          (k ? ", " : "") + std::string("c") + std::to_string(k) + ": *g" + std::to_string(i - 1);
    text += "}}\n";
  }
  InventoryFile file(text);
  std::string e = load_error(file);
  CHECK_THAT(e, StartsWith(file.path() + ":") && Contains("YAML aliases"));
}

TEST_CASE("60000 nested brackets are a syntax error, not a stack overflow",
          "[inventory][hostile]") {
  InventoryFile file("all:\n  children: " + std::string(60000, '[') + std::string(60000, ']') +
                     "\n");
  CHECK_THAT(load_error(file), StartsWith(file.path() + ":") && Contains("YAML syntax error"));
}

TEST_CASE("groups sharing children 40 levels deep load in linear work", "[inventory][hostile]") {
  // d_i and e_i both have children d_{i+1} and e_{i+1}: 2^40 paths from the top, 80 groups.
  std::string text = "all:\n  children:\n";
  const int levels = 40;
  for (int i = 0; i < levels; ++i) {
    std::string next = std::to_string(i + 1);
    for (const char* g : {"d", "e"})
      text += "    " + std::string(g) + std::to_string(i) + ": {children: {d" + next + ": null, e" +
              next + ": null}}\n";
  }
  text += "    d" + std::to_string(levels) +
          ":\n      vars: {lk_cluster: true, lk_replaced: B}\n"
          "      hosts: {A: {ansible_host: 127.0.0.1}, B: {ansible_host: 127.0.0.2}}\n";
  InventoryFile file(text);
  lkr::Inventory inv = lkr::load_inventory(file.path());
  REQUIRE(inv.clusters.size() == 1);
  CHECK(inv.clusters[0].hosts.size() == 2);
  CHECK(inv.groups.at("d0") == std::vector<std::string>{"A", "B"});
}

TEST_CASE("names with cmd metacharacters, quotes and non-ASCII load as written",
          "[inventory][hostile]") {
  InventoryFile file(R"(all:
  children:
    "c & | < > ^ % ! \" ( ) データ":
      vars: {lk_cluster: true, lk_replaced: "R \"x\" & ^%PATH%! サーバー"}
      hosts:
        "S & (1) | <2> ^ %x% ! データ": {ansible_host: 127.0.0.1}
        "R \"x\" & ^%PATH%! サーバー": {ansible_host: 127.0.0.2}
)");
  lkr::Inventory inv = lkr::load_inventory(file.path());
  REQUIRE(inv.clusters.size() == 1);
  CHECK(inv.clusters[0].name == "c & | < > ^ % ! \" ( ) データ");
  CHECK(inv.clusters[0].replaced == "R \"x\" & ^%PATH%! サーバー");
  CHECK(inv.clusters[0].hosts.at(0).system == "S & (1) | <2> ^ %x% ! データ");
}
