#include "tasks/install_paths.h"

#include <catch2/catch.hpp>

using namespace lkr;
using namespace lkr::tasks;
using Catch::Matchers::Contains;

namespace {

// The node's variables as parse_set_output gives them (upper-cased names).
const std::map<std::string, std::string> kNode = {
    {"LKROOT", "C:\\Program Files\\SIOS\\LifeKeeper"},
    {"LKBIN", "C:\\Program Files\\SIOS\\LifeKeeper\\Bin"},
    {"EXTMIRRBASE", "C:\\Program Files (x86)\\SIOS\\DataKeeper"}};

}  // namespace

TEST_CASE("install folders come from the node unless the inventory sets them (E3, E9)",
          "[tasks][install]") {
  Host h;  // the inventory set nothing: its defaults must not win
  InstallPaths p = resolve_install_paths(h, kNode);
  CHECK(p.lk_root == "C:\\Program Files\\SIOS\\LifeKeeper");
  CHECK(p.lk_bin == "C:\\Program Files\\SIOS\\LifeKeeper\\Bin");
  CHECK(p.extmirrbase == "C:\\Program Files (x86)\\SIOS\\DataKeeper");
  CHECK(p.notices.empty());
  CHECK(p.refusal.empty());
}

TEST_CASE("an inventory override wins, and a difference is reported", "[tasks][install]") {
  Host h;
  h.lk_root = "D:\\LK";
  h.lk_root_given = true;
  h.dk_extmirrbase = "C:\\Program Files (x86)\\SIOS\\DataKeeper";  // the same: no notice
  h.dk_extmirrbase_given = true;
  InstallPaths p = resolve_install_paths(h, kNode);
  CHECK(p.lk_root == "D:\\LK");
  CHECK(p.lk_bin == "C:\\Program Files\\SIOS\\LifeKeeper\\Bin");  // LKBIN not overridden
  REQUIRE(p.notices.size() == 1);
  CHECK_THAT(p.notices[0], Contains("lk_root (D:\\LK)") && Contains("%LKROOT%") &&
                               Contains("using the inventory's"));
}

TEST_CASE("no LKBIN: LKROOT\\Bin; no LKROOT and no override: refused", "[tasks][install]") {
  Host h;
  InstallPaths p = resolve_install_paths(h, {{"LKROOT", "C:\\LK"}});
  CHECK(p.lk_bin == "C:\\LK\\Bin");
  CHECK(p.extmirrbase.empty());  // DataKeeper not seen
  InstallPaths none = resolve_install_paths(h, {});
  CHECK_THAT(none.refusal, Contains("%LKROOT% is not set") && Contains("lk_root"));
}

TEST_CASE("emcmd is looked for in %ExtMirrBase%, then the other standard folder",
          "[tasks][install]") {
  CHECK(emcmd_folders("C:\\Program Files (x86)\\SIOS\\DataKeeper") ==
        std::vector<std::string>{"C:\\Program Files (x86)\\SIOS\\DataKeeper",
                                 "C:\\Program Files\\SIOS\\DataKeeper"});
  CHECK(emcmd_folders("") == std::vector<std::string>{"C:\\Program Files (x86)\\SIOS\\DataKeeper",
                                                      "C:\\Program Files\\SIOS\\DataKeeper"});
  CHECK(emcmd_folders("E:\\DK").size() == 3);
}
