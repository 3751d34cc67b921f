// argv_echo.exe: a Windows program (cross-compiled with mingw-w64) that reports exactly
// what it received, for the differential conformance test: its GetCommandLineW and
// shell32's CommandLineToArgvW split of it, each as the hex of its UTF-8 encoding, so
// no console code page touches the bytes.
//   CMDLINE <hex>
//   ARGC <n>
//   ARG <hex>        (n lines; an empty argument is "ARG " with nothing after it)
// With LKR_ARGV_ECHO_SPLIT=runner in the environment only the CMDLINE line is printed:
// cmd_runner.exe then applies the same CommandLineToArgvW in its own long-lived process.
// Under Wine, loading shell32 (and the user32/gdi32 it pulls in) costs most of a
// process start, and CommandLineToArgvW is a pure function of the command line, so the
// split is the same wherever it runs. shell32 is therefore loaded only when needed.
#include <windows.h>

#include <cstdio>
#include <string>

namespace {

std::string utf8_hex(const wchar_t* text) {
  int wide_len = static_cast<int>(wcslen(text));
  std::string utf8;
  if (wide_len > 0) {
    int n = WideCharToMultiByte(CP_UTF8, 0, text, wide_len, nullptr, 0, nullptr, nullptr);
    utf8.resize(static_cast<size_t>(n));
    WideCharToMultiByte(CP_UTF8, 0, text, wide_len, utf8.data(), n, nullptr, nullptr);
  }
  static const char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : utf8) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return hex;
}

bool split_by_runner() {
  wchar_t value[16];
  DWORD n = GetEnvironmentVariableW(L"LKR_ARGV_ECHO_SPLIT", value, 16);
  return n > 0 && n < 16 && std::wstring(value) == L"runner";
}

using CommandLineToArgvWFn = wchar_t**(WINAPI*)(const wchar_t*, int*);

std::string split_lines(const wchar_t* line) {
  HMODULE shell32 = LoadLibraryW(L"shell32.dll");
  auto split = reinterpret_cast<CommandLineToArgvWFn>(
      reinterpret_cast<void*>(GetProcAddress(shell32, "CommandLineToArgvW")));
  if (split == nullptr) return "ERROR no CommandLineToArgvW\n";
  int argc = 0;
  wchar_t** argv = split(line, &argc);
  std::string out = "ARGC " + std::to_string(argc) + "\n";
  for (int i = 0; i < argc; ++i) out += "ARG " + utf8_hex(argv[i]) + "\n";
  LocalFree(argv);
  return out;
}

}  // namespace

int wmain() {
  const wchar_t* line = GetCommandLineW();
  std::string out = "CMDLINE " + utf8_hex(line) + "\n";
  if (!split_by_runner()) out += split_lines(line);
  fwrite(out.data(), 1, out.size(), stdout);
  fflush(stdout);
  return 0;
}
