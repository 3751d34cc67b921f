// Fuzzes the inventory loader on whole files (YAML, or the same structure in JSON): the
// input is written to a per-process temporary file and loaded. Only InventoryError (the
// loader's documented error, naming file and line) may escape.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "inventory/inventory.h"

namespace {

const std::string& scratch_path() {
  static const std::string path = "/tmp/lkr-fuzz-inventory-" + std::to_string(::getpid()) + ".yml";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = scratch_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    (void)lkr::load_inventory(path);
  } catch (const lkr::InventoryError&) {
  }
  std::remove(path.c_str());
  return 0;
}
