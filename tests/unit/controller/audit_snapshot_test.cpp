#include <catch2/catch.hpp>
#include <set>

#include "controller/audit_trail.h"
#include "controller/snapshot_path.h"
#include "tests/unit/controller/audit_test_support.h"

using lkr::snapshot_path_component;
using lkr::test::TempLogDir;

TEST_CASE("snapshot names stay readable") {
  CHECK(snapshot_path_component("BENHOGAN2008") == "BENHOGAN2008");
  CHECK(snapshot_path_component("sql prod") == "sql prod");
  CHECK(snapshot_path_component("lcdstatus.txt") == "lcdstatus.txt");
  CHECK(snapshot_path_component("ノード2") == "ノード2");
}

TEST_CASE("separators, dots, escapes and bad bytes are escaped") {
  CHECK(snapshot_path_component("a/b") == "a%2Fb");
  CHECK(snapshot_path_component("..") == "%2E.");
  CHECK(snapshot_path_component(".hidden") == "%2Ehidden");
  CHECK(snapshot_path_component("50%") == "50%25");
  CHECK(snapshot_path_component("a\\b:c") == "a%5Cb%3Ac");
  CHECK(snapshot_path_component("") == "%");
  CHECK(snapshot_path_component(std::string("x\0y", 3)) == "x%00y");
  CHECK(snapshot_path_component("caf\xe9") == "caf%E9");  // not UTF-8
  CHECK(snapshot_path_component("~") == "%7E");
}

TEST_CASE("the mapping is one-to-one on names that look alike") {
  std::vector<std::string> names = {"a/b", "a%2Fb", "a_b", "a b", "a.b",  ".ab", "%2Eab",
                                    "",    "%",     "%25", "A/B", "a\\b", "a~b"};
  names.push_back(std::string(300, 'n') + "1");
  names.push_back(std::string(300, 'n') + "2");
  std::set<std::string> mapped;
  for (const auto& n : names) {
    std::string m = snapshot_path_component(n);
    CHECK(m.size() <= 200);
    CHECK(m.find('/') == std::string::npos);
    mapped.insert(m);
  }
  CHECK(mapped.size() == names.size());
}

TEST_CASE("write_snapshot puts the content under snapshots/<cluster>/<host>/<name>") {
  TempLogDir log;
  lkr::RunStart start;
  start.mode = "run";
  lkr::AuditTrail trail(log.path(), start);
  auto path = trail.write_snapshot("sql/prod", "..", "lkdb export.txt", "line 1\r\nline 2\r\n");
  CHECK(path == trail.dir() / "snapshots" / "sql%2Fprod" / "%2E." / "lkdb export.txt");
  CHECK(lkr::test::read_bytes(path) == "line 1\r\nline 2\r\n");
  auto lines = lkr::test::read_lines(trail.dir() / "events.jsonl");
  REQUIRE(lines.size() == 1);  // the snapshot is recorded in the trail
  CHECK(lines[0].find("\"step\":\"snapshot\"") != std::string::npos);
}

TEST_CASE("a record \"folder/file\" is a folder, and any further '/' stays in the file name") {
  TempLogDir log;
  lkr::RunStart start;
  start.mode = "run";
  lkr::AuditTrail trail(log.path(), start);
  auto host = trail.dir() / "snapshots" / "sql-prod" / "BENHOGAN2008";
  CHECK(trail.write_snapshot("sql-prod", "BENHOGAN2008", "equivalencies/eqv_list.txt", "x") ==
        host / "equivalencies" / "eqv_list.txt");
  // A job id is any text: its '/' and ".." cannot climb out of or add folders.
  CHECK(trail.write_snapshot("sql-prod", "BENHOGAN2008", "datakeeper/job-../a/b.reg", "y") ==
        host / "datakeeper" / "job-..%2Fa%2Fb.reg");
  CHECK(lkr::test::read_bytes(host / "datakeeper" / "job-..%2Fa%2Fb.reg") == "y");
  // A leading '/' names no folder: the whole name is one file.
  CHECK(trail.write_snapshot("sql-prod", "BENHOGAN2008", "/etc", "z") == host / "%2Fetc");
}

TEST_CASE("a cluster's own file (no host) goes under clusters/<cluster>/<name>") {
  TempLogDir log;
  lkr::RunStart start;
  start.mode = "run";
  lkr::AuditTrail trail(log.path(), start);
  auto path = trail.write_snapshot("sql/prod", "", "reextension-checklist.txt", "1. ...\n");
  CHECK(path == trail.dir() / "clusters" / "sql%2Fprod" / "reextension-checklist.txt");
  CHECK(lkr::test::read_bytes(path) == "1. ...\n");
  CHECK_FALSE(std::filesystem::exists(trail.dir() / "snapshots" / "sql%2Fprod" / "%"));
}
