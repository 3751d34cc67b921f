// Reads a PNG's pixels (8-bit RGB or RGBA, not interlaced: what headless Chromium's
// --screenshot writes), so a test can say what a screenshot shows, not only that a file
// exists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lkr::e2e {

struct RgbImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // 3 bytes per pixel, rows top to bottom
  // How many pixels have exactly this colour (0xRRGGBB).
  long count(std::uint32_t colour) const;
  // How many pixels are not pure white.
  long count_not_white() const;
};

// Throws std::runtime_error naming what is wrong (not a PNG, an unsupported kind, corrupt).
RgbImage decode_png(const std::string& bytes);

}  // namespace lkr::e2e
