// Test helpers for the audit trail: a private LOG_DIR, reading lines, running validate-json.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lkr::test {

class TempLogDir {
 public:
  TempLogDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("lkr-audit-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempLogDir() { std::filesystem::remove_all(path_); }
  TempLogDir(const TempLogDir&) = delete;
  TempLogDir& operator=(const TempLogDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_bytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

// Lines without their newlines; a last line without one is returned too.
inline std::vector<std::string> read_lines(const std::filesystem::path& file) {
  std::vector<std::string> lines;
  std::istringstream in(read_bytes(file));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline void write_lines(const std::filesystem::path& file, const std::vector<std::string>& lines) {
  std::string bytes;
  for (const auto& l : lines) bytes += l + "\n";
  write_bytes(file, bytes);
}

// scripts/validate-json's exit code: 0 valid, 1 invalid, 2 cannot check (which fails too).
inline int validate_json(const std::string& schema, const std::filesystem::path& file) {
  std::string command = std::string(LKR_SOURCE_DIR) + "/scripts/validate-json " + LKR_SOURCE_DIR +
                        "/schemas/" + schema + " '" + file.string() + "'";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace lkr::test
