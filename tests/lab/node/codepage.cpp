#include "tests/lab/node/codepage.h"

#include <iconv.h>

#include <cerrno>
#include <map>
#include <stdexcept>
#include <string>

namespace lab {
namespace {

// glibc's names. CP932 (not SHIFT_JIS) is what Windows means by code page 932: it has
// the NEC/IBM extensions and maps U+FF5E, U+2225, ... the way Windows does.
const char* iconv_name(int codepage) {
  switch (codepage) {
    case 437:
      return "CP437";
    case 850:
      return "CP850";
    case 932:
      return "CP932";
    case 1252:
      return "CP1252";
    default:
      return nullptr;
  }
}

// iconv descriptors are stateful: one set per thread (tests run nodes from threads).
class ConverterCache {
 public:
  ~ConverterCache() {
    for (auto& [key, cd] : open_) iconv_close(cd);
  }
  iconv_t get(const char* to, const char* from) {
    std::string key = std::string(to) + "<" + from;
    auto it = open_.find(key);
    if (it != open_.end()) return it->second;
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(-1))
      throw std::runtime_error(std::string("iconv cannot convert ") + from + " to " + to);
    open_[key] = cd;
    return cd;
  }

 private:
  std::map<std::string, iconv_t> open_;
};

iconv_t converter(const char* to, const char* from) {
  thread_local ConverterCache cache;
  return cache.get(to, from);
}

size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

// Converts with iconv; each input sequence it rejects becomes `replacement`.
std::string convert(std::string_view in, iconv_t cd, std::string_view replacement,
                    bool input_is_utf8) {
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  std::string out;
  char buf[4096];
  char* src = const_cast<char*>(in.data());
  size_t left = in.size();
  while (left > 0) {
    char* dst = buf;
    size_t room = sizeof buf;
    size_t r = iconv(cd, &src, &left, &dst, &room);
    out.append(buf, static_cast<size_t>(dst - buf));
    if (r != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) continue;
    // EILSEQ or EINVAL: skip one unconvertible character.
    out += replacement;
    size_t skip = input_is_utf8 ? utf8_sequence_length(static_cast<unsigned char>(*src)) : 1;
    if (skip > left) skip = left;
    src += skip;
    left -= skip;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
  }
  return out;
}

std::string crlf(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 16);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
    out += s[i];
  }
  return out;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Every supported code page maps 0x00-0x7F to ASCII (checked against glibc's tables by
// codepage_test), so ASCII text needs no iconv, which would load a gconv module
// (about half a millisecond) in every lab-cmd process.
bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

}  // namespace

bool is_supported_codepage(int codepage) {
  return codepage == 65001 || iconv_name(codepage) != nullptr;
}

std::string to_console(std::string_view utf8, int codepage) { return encode(crlf(utf8), codepage); }

std::string encode(std::string_view utf8, int codepage) {
  if (codepage == 65001 || !iconv_name(codepage) || is_ascii(utf8)) return std::string(utf8);
  return convert(utf8, converter(iconv_name(codepage), "UTF-8"), "?", true);
}

std::string from_codepage(std::string_view bytes, int codepage) {
  if (codepage == 65001 || !iconv_name(codepage) || is_ascii(bytes)) return std::string(bytes);
  return convert(bytes, converter("UTF-8", iconv_name(codepage)), "\xEF\xBF\xBD", false);
}

std::string utf16le_to_utf8(std::string_view b) {
  std::string out;
  for (size_t i = 0; i + 1 < b.size(); i += 2) {
    uint32_t u = static_cast<unsigned char>(b[i]) | (static_cast<unsigned char>(b[i + 1]) << 8);
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < b.size()) {
      uint32_t lo =
          static_cast<unsigned char>(b[i + 2]) | (static_cast<unsigned char>(b[i + 3]) << 8);
      if (lo >= 0xDC00 && lo < 0xE000) {
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      }
    }
    append_utf8(out, u);
  }
  return out;
}

std::string utf8_to_utf16le(std::string_view utf8) {
  std::string utf16 =
      convert(utf8, converter("UTF-16LE", "UTF-8"), std::string("\xFD\xFF", 2), true);
  return utf16;
}

}  // namespace lab
