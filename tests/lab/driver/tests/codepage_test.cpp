// A code page 932 node answers in Shift_JIS (LAB.md). The expected bytes are written
// out from the Shift_JIS table, not produced by any converter the lab might use.
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/lab/driver/tests/lab_fixture.h"

using lab::testing::LabFixture;
using lab::testing::lf;

namespace {

// UTF-8 in the scenario: ボリューム.E as tag, ミラー as job name.
const char* kScenario = R"({"clusters": [{
  "name": "tokyo", "replaced": "JPNODE2",
  "nodes": [{"system": "JPNODE1", "address": "127.10.0.1", "codepage": 932},
            {"system": "JPNODE2", "address": "127.10.0.2", "codepage": 932}],
  "comm_paths": [{"system": "JPNODE1", "othersystem": "JPNODE2",
                  "localaddr": "10.9.0.1", "remoteaddr": "10.9.0.2"}],
  "hierarchies": [{"in_service_on": "JPNODE1", "extended_to": ["JPNODE2"],
    "resources": [{"tag": "\u30dc\u30ea\u30e5\u30fc\u30e0.E", "app": "filesys", "type": "volume",
                   "id": "E", "mirror": {"job_id": "11111111-2222-4333-8444-555555555555",
                                         "job_name": "\u30df\u30e9\u30fc", "mode": "A"}}]}]}]})";

// ボリューム in Shift_JIS: ボ 83 7B, リ 83 8A, ュ 83 85, ー 81 5B, ム 83 80.
const std::string kVolumeSjis = "\x83\x7b\x83\x8a\x83\x85\x81\x5b\x83\x80";
// ミラー: ミ 83 7E, ラ 83 89, ー 81 5B.
const std::string kMirrorSjis = "\x83\x7e\x83\x89\x81\x5b";
// What chcp prints on Japanese Windows, "現在のコード ページ: 932": 現 8C BB, 在 8D DD,
// の 82 CC, コ 83 52, ー 81 5B, ド 83 68, ペ 83 79, ー 81 5B, ジ 83 57.
const std::string kChcpSjis =
    "\x8c\xbb\x8d\xdd\x82\xcc\x83\x52\x81\x5b\x83\x68 \x83\x79\x81\x5b\x83\x57: 932\r\n";

std::string write_scenario(const std::string& dir) {
  std::string path = dir + "/jp.json";
  std::ofstream(path) << kScenario;
  return path;
}

}  // namespace

TEST_CASE("a 932 node prints Shift_JIS bytes") {
  std::string dir = lab::testing::make_temp_dir("lab-cp932");
  struct Cleanup {
    std::string d;
    ~Cleanup() { lab::testing::remove_tree(d); }
  } cleanup{dir};
  LabFixture fx(write_scenario(dir));

  CHECK(fx.ssh("JPNODE1", "chcp").out == kChcpSjis);
  auto eqv = fx.ssh("JPNODE1", "eqv_list");
  CHECK(eqv.rc == 0);
  CHECK(eqv.out == "JPNODE1\x01" + kVolumeSjis + ".E\x01JPNODE2\x01" + kVolumeSjis +
                       ".E\x01SHARED\x01"
                       "1\x01"
                       "10\r\n");
  auto job = fx.ssh("JPNODE1", "cd /d \"%ExtMirrBase%\" && emcmd . getjobinfoforvol E");
  CHECK(job.out.find("\r\nName = " + kMirrorSjis + "\r\n") != std::string::npos);
}
