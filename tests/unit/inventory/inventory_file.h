// Test helper: an inventory written to a temporary file, and the line of a piece of its text.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace lkr::test {

class InventoryFile {
 public:
  explicit InventoryFile(const std::string& text, const std::string& ext = ".yml") : text_(text) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("lkr-inv-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + ext);
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~InventoryFile() { std::filesystem::remove(path_); }
  InventoryFile(const InventoryFile&) = delete;
  InventoryFile& operator=(const InventoryFile&) = delete;

  std::string path() const { return path_.string(); }

  // "path:N" where N is the 1-based line of the first line containing `needle`
  // (counted in the text we wrote, independently of the loader).
  std::string at(const std::string& needle) const {
    size_t pos = text_.find(needle);
    int line = 1;
    for (size_t i = 0; i < pos && i < text_.size(); ++i)
      if (text_[i] == '\n') ++line;
    return path() + ":" + std::to_string(line);
  }

 private:
  std::string text_;
  std::filesystem::path path_;
};

}  // namespace lkr::test
