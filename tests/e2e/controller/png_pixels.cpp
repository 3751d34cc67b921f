#include "tests/e2e/controller/png_pixels.h"

#include <zlib.h>

#include <cstdlib>
#include <stdexcept>

namespace lkr::e2e {
namespace {

std::uint32_t big_endian(const std::string& b, size_t at) {
  auto u = [&](size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(b[i])); };
  return u(at) << 24 | u(at + 1) << 16 | u(at + 2) << 8 | u(at + 3);
}

std::uint8_t paeth(int a, int b, int c) {
  int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return static_cast<std::uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

// Undoes one row's filter in place (PNG spec 9.2); `prior` is the row above (zeros first).
void unfilter(int type, std::uint8_t* row, const std::uint8_t* prior, size_t length, size_t bpp) {
  if (type < 0 || type > 4) throw std::runtime_error("PNG: unknown row filter");
  for (size_t i = 0; i < length; ++i) {
    int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
    int add = type == 0   ? 0
              : type == 1 ? a
              : type == 2 ? b
              : type == 3 ? (a + b) / 2
                          : paeth(a, b, c);
    row[i] = static_cast<std::uint8_t>(row[i] + add);
  }
}

}  // namespace

long RgbImage::count(std::uint32_t colour) const {
  long n = 0;
  for (size_t i = 0; i + 2 < rgb.size(); i += 3)
    n += (static_cast<std::uint32_t>(rgb[i]) << 16 | rgb[i + 1] << 8 | rgb[i + 2]) == colour;
  return n;
}

long RgbImage::count_not_white() const {
  return static_cast<long>(rgb.size() / 3) - count(0xFFFFFF);
}

RgbImage decode_png(const std::string& bytes) {
  if (bytes.size() < 33 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0)
    throw std::runtime_error("not a PNG file");
  RgbImage image;
  image.width = static_cast<int>(big_endian(bytes, 16));
  image.height = static_cast<int>(big_endian(bytes, 20));
  int depth = bytes[24], colour_type = bytes[25], interlace = bytes[28];
  if (depth != 8 || (colour_type != 2 && colour_type != 6) || interlace != 0)
    throw std::runtime_error("PNG: only 8-bit RGB/RGBA, not interlaced, is read here");
  size_t bpp = colour_type == 6 ? 4 : 3;
  std::string compressed;
  for (size_t at = 8; at + 12 <= bytes.size();) {
    size_t length = big_endian(bytes, at);
    if (at + 12 + length > bytes.size()) throw std::runtime_error("PNG: chunk past the end");
    if (bytes.compare(at + 4, 4, "IDAT") == 0) compressed += bytes.substr(at + 8, length);
    at += 12 + length;
  }
  size_t stride = static_cast<size_t>(image.width) * bpp;
  std::vector<std::uint8_t> raw((stride + 1) * static_cast<size_t>(image.height));
  uLongf raw_size = raw.size();
  if (uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(compressed.data()),
                 compressed.size()) != Z_OK ||
      raw_size != raw.size())
    throw std::runtime_error("PNG: image data does not inflate to its size");
  std::vector<std::uint8_t> zeros(stride, 0);
  for (int y = 0; y < image.height; ++y) {
    std::uint8_t* row = &raw[static_cast<size_t>(y) * (stride + 1)];
    const std::uint8_t* prior = y == 0 ? zeros.data() : row - stride;
    unfilter(row[0], row + 1, prior, stride, bpp);
    for (size_t x = 0; x < static_cast<size_t>(image.width); ++x)
      image.rgb.insert(image.rgb.end(), row + 1 + x * bpp, row + 1 + x * bpp + 3);
  }
  return image;
}

}  // namespace lkr::e2e
