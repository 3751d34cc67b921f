#include "tests/wine/argv_cases.h"

#include <cstdio>
#include <random>

namespace wine {
namespace {

const std::vector<std::string> kPieces = {
    " ",
    "\t",
    "\"",
    "\\",
    "\\\\",
    "\\\\\\",
    "\\\"",
    "\\\\\"",
    "\"\"",
    "&",
    "|",
    "<",
    ">",
    "^",
    "%",
    "!",
    "(",
    ")",
    ",",
    ";",
    "=",
    "a",
    "Z",
    "0",
    "-",
    "/",
    ":",
    ".",
    "@",
    "*",
    "?",
    "%PATH%",
    "%LKROOT%",
    "%CD%",
    "%=C:%",
    "%PATH:~0,3%",
    "%ERRORLEVEL%",
    "!PATH!",
    "%%",
    "^%",
    "%^",
    "é",
    "ü",
    "Ω",
    "日本",
    "テスト",
    "Ｅ",
    "\xF0\x9F\x98\x80",
};

// Each UTF-8 code point of `s`, as a string.
std::vector<std::string> code_points(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += p;
  return s;
}

}  // namespace

std::vector<std::string> generate_args(std::uint64_t seed, std::uint64_t index) {
  std::mt19937_64 rng(seed * 1000003u + index);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<std::string> args(1 + pick(5));
  for (auto& arg : args) {
    if (pick(10) == 0) continue;  // empty argument
    size_t pieces = 1 + pick(8);
    for (size_t i = 0; i < pieces; ++i) arg += kPieces[pick(kPieces.size())];
  }
  return args;
}

std::vector<std::string> shrink(std::vector<std::string> args,
                                const std::function<bool(const std::vector<std::string>&)>& fails) {
  bool progress = true;
  while (progress) {
    progress = false;
    for (size_t i = 0; i < args.size() && args.size() > 1; ++i) {
      auto fewer = args;
      fewer.erase(fewer.begin() + static_cast<long>(i));
      if (fails(fewer)) {
        args = fewer;
        progress = true;
        --i;
      }
    }
    for (auto& arg : args) {
      auto cps = code_points(arg);
      for (size_t i = 0; i < cps.size(); ++i) {
        auto shorter = cps;
        shorter.erase(shorter.begin() + static_cast<long>(i));
        std::string saved = arg;
        arg = join(shorter);
        if (fails(args)) {
          cps = shorter;
          progress = true;
          --i;
        } else {
          arg = saved;
        }
      }
      for (size_t i = 0; i < cps.size(); ++i) {
        if (cps[i].size() == 1) continue;
        auto simpler = cps;
        simpler[i] = "a";
        std::string saved = arg;
        arg = join(simpler);
        if (fails(args)) {
          cps = simpler;
          progress = true;
        } else {
          arg = saved;
        }
      }
    }
  }
  return args;
}

std::string show(const std::vector<std::string>& args) {
  std::string out = "{";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    out += '"';
    for (unsigned char c : args[i]) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\t') {
        out += "\\t";
      } else if (c < 0x20 || c >= 0x80) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02X", c);
        out += buf;
        if (c >= 0x80) out += "\"\"";  // keeps a following hex digit out of the escape
      } else {
        out += static_cast<char>(c);
      }
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace wine
