#include "transports/codepage.h"

#include <iconv.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include "transports/utf8_sequence.h"

namespace lkr {
namespace {

constexpr int kUtf8CodePage = 65001;

void append_escaped(std::string& out, unsigned char byte) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02X", byte);
  out += buf;
}

std::string validate_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  while (!bytes.empty()) {
    std::size_t n = utf8_sequence_length(bytes);
    if (n == 0) {
      append_escaped(out, static_cast<unsigned char>(bytes.front()));
      n = 1;
    } else {
      out.append(bytes.substr(0, n));
    }
    bytes.remove_prefix(n);
  }
  return out;
}

// glibc knows every Windows code page we meet as "CP<n>" (CP932 is Microsoft's
// Shift_JIS, with its NEC and IBM extensions).
iconv_t open_decoder(int codepage) {
  std::string name = "CP" + std::to_string(codepage);
  return iconv_open("UTF-8", name.c_str());
}

class Decoder {
 public:
  explicit Decoder(int codepage) : cd_(open_decoder(codepage)) {
    if (cd_ == reinterpret_cast<iconv_t>(-1)) {
      throw std::invalid_argument("code page " + std::to_string(codepage) +
                                  " is not supported by this system's iconv");
    }
  }
  ~Decoder() { iconv_close(cd_); }
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  std::string decode(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 2);
    char chunk[16384];
    char* in = const_cast<char*>(bytes.data());  // iconv's signature; not written to
    std::size_t in_left = bytes.size();
    while (in_left > 0) {
      char* dst = chunk;
      std::size_t dst_left = sizeof chunk;
      std::size_t rc = iconv(cd_, &in, &in_left, &dst, &dst_left);
      out.append(chunk, static_cast<std::size_t>(dst - chunk));
      if (rc != static_cast<std::size_t>(-1) || errno == E2BIG) continue;
      // EILSEQ (no mapping) or EINVAL (a lead byte cut off at the end): keep the
      // byte visible and go on with the next one.
      append_escaped(out, static_cast<unsigned char>(*in));
      ++in;
      --in_left;
      iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // reset any shift state
    }
    return out;
  }

 private:
  iconv_t cd_;
};

}  // namespace

std::string decode_to_utf8(std::string_view bytes, int codepage) {
  if (codepage == kUtf8CodePage) return validate_utf8(bytes);
  return Decoder(codepage).decode(bytes);
}

bool codepage_supported(int codepage) {
  if (codepage == kUtf8CodePage) return true;
  iconv_t cd = open_decoder(codepage);
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  iconv_close(cd);
  return true;
}

}  // namespace lkr
