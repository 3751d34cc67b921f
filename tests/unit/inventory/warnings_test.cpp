#include <catch2/catch.hpp>

#include "inventory/edit_distance.h"
#include "inventory/inventory.h"
#include "tests/unit/inventory/inventory_file.h"

using lkr::test::InventoryFile;

TEST_CASE("edit distance and the nearest name") {
  CHECK(lkr::edit_distance("kitten", "sitting") == 3);
  CHECK(lkr::edit_distance("", "abc") == 3);
  CHECK(lkr::edit_distance("lk_root", "lk_root") == 0);
  CHECK(lkr::nearest_name("lk_rot", {"lk_system", "lk_root", "dk_extmirrbase"}) == "lk_root");
  CHECK(lkr::nearest_name("x", {}).empty());
}

TEST_CASE("keyboard slips versus sibling names") {
  CHECK(lkr::is_keyboard_slip("GPLAYR2008", "GPLAYER2008"));    // deleted letter
  CHECK(lkr::is_keyboard_slip("GPLAYEER2008", "gplayer2008"));  // inserted letter
  CHECK(lkr::is_keyboard_slip("GPLAYRE2008", "GPLAYER2008"));   // swapped neighbours
  CHECK_FALSE(lkr::is_keyboard_slip("SQL1", "SQL2"));           // siblings
  CHECK_FALSE(lkr::is_keyboard_slip("GPLAYER2008", "GPLAYER2008"));
}

TEST_CASE("unknown variables warn with file:line and the nearest known name") {
  InventoryFile file(R"(all:
  vars:
    ansible_usr: Administrator
    my_own_var: fine
  children:
    sql-prod:
      vars: {lk_cluster: true, lk_replaced: N2, lk_rot: 'D:\LK'}
      hosts:
        N1:
          ansible_host: 10.0.0.1
          dk_extmirbase: x
        N2: {ansible_host: 10.0.0.2}
other:
  vars: {lk_unrelated_typo: 1}
  hosts: {elsewhere: }
)");
  auto inv = lkr::load_inventory(file.path());
  REQUIRE(inv.warnings.size() == 3);
  CHECK(inv.warnings[0] == file.at("ansible_usr") +
                               ": unknown variable \"ansible_usr\" is ignored (did you mean "
                               "\"ansible_user\"?)");
  CHECK(inv.warnings[1] == file.at("lk_rot") +
                               ": unknown variable \"lk_rot\" is ignored (did you mean "
                               "\"lk_root\"?)");
  CHECK(inv.warnings[2] == file.at("dk_extmirbase") +
                               ": unknown variable \"dk_extmirbase\" is ignored (did you mean "
                               "\"dk_extmirrbase\"?)");
  // Unknown variables have no effect.
  CHECK(inv.clusters[0].hosts[0].lk_root == "C:\\LK");
}
