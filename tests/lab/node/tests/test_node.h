// Test fixtures: the runbook's two nodes (BENHOGAN2008 survivor, GPLAYER2008 reinstalled)
// in temporary node folders, and running one command line on a node.
#pragma once

#include <string>

#include "tests/lab/node/node_state.h"

namespace lab::testing {

// The survivor as RUNBOOK.md shows it: systems BENHOGAN2008 and GPLAYER2008, the two
// shared equivalencies of its samples (priorities 1 and 10), one comm path
// 10.200.8.25 -> 10.200.8.26 on TCPIP:1500 (DEAD: the other end was reinstalled), resources
// LK1-BENHOGAN2K8 (comm/ip) and Vol.E (filesys/volume E), the DataKeeper job of step 5
// and the source end of mirror E (broken, 3, toward GPLAYER2008). Record formats: the
// defaults of docs/record-formats.md.
NodeState benhogan(const std::string& cluster_dir);
// The reinstalled node: a fresh install that knows only itself.
NodeState gplayer(const std::string& cluster_dir);

// A temporary folder removed at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// create_node + the LKDRInfo.E file of RUNBOOK step 4 (39 bytes, 2012-05-23 13:02 local).
std::string make_node(const TempDir& dir, const std::string& name, const NodeState& s);

struct RunResult {
  int rc = 0;
  std::string out, err;  // raw bytes, as the client would receive them
};
RunResult run(const std::string& node_dir, const std::string& line, const std::string& input = "");

// Drops "\r": for comparing against the runbook's samples written with "\n".
std::string lf(const std::string& crlf_text);

}  // namespace lab::testing
