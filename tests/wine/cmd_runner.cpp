// cmd_runner.exe: runs command lines the way OpenSSH for Windows runs a client's command
// when cmd.exe is the default shell: CreateProcessW of `cmd.exe /c <line>`, nothing
// re-quoted. One Wine process serves a whole test run (starting Wine per case would
// dominate the time). Protocol on stdin/stdout, one request per line, all text as hex
// of UTF-8 so no code page is involved:
//   request:  <hex of the line>\n
//   response: RC <exit code>\nOUT <hex of stdout bytes>\nERR <hex of stderr bytes>\n
//             [SPLIT\n ARG <hex of UTF-8>\n ...]...END\n
// stdout and stderr are the child's raw bytes (in the console code page cmd uses).
// SPLIT and ARG lines: for each line of stdout that is argv_echo.exe's `CMDLINE <hex>`
// (it was run with LKR_ARGV_ECHO_SPLIT=runner), a SPLIT line and that command line split
// by shell32's CommandLineToArgvW, one ARG line per argument, here in this long-lived
// process (see argv_echo.cpp for why). A batch line (batch_cases.cpp) runs several.
#include <windows.h>
// shellapi.h needs windows.h first.
#include <shellapi.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

std::string to_hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return hex;
}

std::string from_hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

std::wstring utf8_to_wide(const std::string& s) {
  if (s.empty()) return {};
  int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring w(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), w.data(), n);
  return w;
}

void drain(HANDLE pipe, std::string* into) {
  char buf[4096];
  DWORD got = 0;
  while (ReadFile(pipe, buf, sizeof buf, &got, nullptr) && got > 0) into->append(buf, got);
}

// stderr is read on its own thread so a child filling one pipe never blocks on the other
// (mingw-w64's win32 thread model has no std::thread).
struct DrainJob {
  HANDLE pipe;
  std::string* into;
};
DWORD WINAPI drain_thread(void* job) {
  auto* j = static_cast<DrainJob*>(job);
  drain(j->pipe, j->into);
  return 0;
}

// cmd.exe gets only the variables Windows itself needs. Wine's cmd removes carets
// BEFORE it expands %NAME% (real cmd expands first; DIVERGENCES.md W1), so under Wine
// the quoting layer's `%^NAME%` would expand any defined NAME. With nothing but these
// defined, no name a test argument can form is defined, and the argv comparison checks
// everything else. (Real cmd's reading with a hostile environment is checked by the
// emulator leg and by the reference model in tests/unit/transports.)
// cmd's dynamic variables (CD, ERRORLEVEL, ...) are used only when no variable of that
// name is set, so each is set to its own %NAME% text: under Wine's misreading `%^CD%^`
// then still gives back `%CD%`. ERRORLEVEL is left dynamic when asked
// (LKR_CMD_RUNNER_ERRORLEVEL=dynamic): a batch line's markers need CALL to expand the
// real one (DIVERGENCES.md, W1 and the batch case).
bool is_set_to(const wchar_t* name, const std::wstring& expected) {
  wchar_t value[16];
  DWORD n = GetEnvironmentVariableW(name, value, 16);
  return n > 0 && n < 16 && std::wstring(value) == expected;
}

std::wstring minimal_environment() {
  std::wstring block;
  bool dynamic_errorlevel = is_set_to(L"LKR_CMD_RUNNER_ERRORLEVEL", L"dynamic");
  for (const wchar_t* dynamic : {L"CD", L"DATE", L"TIME", L"RANDOM", L"ERRORLEVEL",
                                 L"CMDEXTVERSION", L"CMDCMDLINE", L"HIGHESTNUMANODENUMBER"})
    if (!(dynamic_errorlevel && std::wstring(dynamic) == L"ERRORLEVEL"))
      block += std::wstring(dynamic) + L"=%" + dynamic + L"%" + L'\0';
  // PATH only when asked (LKR_CMD_RUNNER_PATH=keep): the built-in cases run `reg` by its
  // bare name and hold no `%`.
  std::vector<const wchar_t*> names = {
      L"SystemRoot", L"windir", L"SystemDrive", L"ComSpec",
      L"PATHEXT",    L"TEMP",   L"TMP",         L"LKR_ARGV_ECHO_SPLIT"};
  if (is_set_to(L"LKR_CMD_RUNNER_PATH", L"keep")) names.push_back(L"PATH");
  for (const wchar_t* name : names) {
    wchar_t value[4096];
    DWORD n = GetEnvironmentVariableW(name, value, 4096);
    if (n > 0 && n < 4096) block += std::wstring(name) + L"=" + value + L'\0';
  }
  block += L'\0';
  return block;
}

struct Result {
  DWORD rc = 0;
  std::string out, err;
};

Result run(const std::wstring& line) {
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  HANDLE out_r, out_w, err_r, err_w;
  CreatePipe(&out_r, &out_w, &sa, 0);
  CreatePipe(&err_r, &err_w, &sa, 0);
  SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(err_r, HANDLE_FLAG_INHERIT, 0);
  HANDLE nul = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                           OPEN_EXISTING, 0, nullptr);
  STARTUPINFOW si{};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = nul;
  si.hStdOutput = out_w;
  si.hStdError = err_w;
  wchar_t system_dir[MAX_PATH];
  GetSystemDirectoryW(system_dir, MAX_PATH);
  std::wstring cmd_exe = std::wstring(system_dir) + L"\\cmd.exe";
  std::wstring command_line = L"\"" + cmd_exe + L"\" /c " + line;
  PROCESS_INFORMATION pi{};
  Result r;
  std::wstring env = minimal_environment();
  if (!CreateProcessW(cmd_exe.c_str(), command_line.data(), nullptr, nullptr, TRUE,
                      CREATE_UNICODE_ENVIRONMENT, env.data(), nullptr, &si, &pi)) {
    r.rc = 0xFFFFFFFF;
    r.err = "cmd_runner: CreateProcessW failed: " + std::to_string(GetLastError());
    CloseHandle(out_w);
    CloseHandle(err_w);
  } else {
    CloseHandle(out_w);
    CloseHandle(err_w);
    DrainJob job{err_r, &r.err};
    HANDLE err_reader = CreateThread(nullptr, 0, drain_thread, &job, 0, nullptr);
    drain(out_r, &r.out);
    WaitForSingleObject(err_reader, INFINITE);
    CloseHandle(err_reader);
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &r.rc);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
  }
  CloseHandle(out_r);
  CloseHandle(err_r);
  CloseHandle(nul);
  return r;
}

std::string wide_to_utf8(const wchar_t* w) {
  int wide_len = static_cast<int>(wcslen(w));
  if (wide_len == 0) return {};
  int n = WideCharToMultiByte(CP_UTF8, 0, w, wide_len, nullptr, 0, nullptr, nullptr);
  std::string s(static_cast<size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w, wide_len, s.data(), n, nullptr, nullptr);
  return s;
}

std::string split_echoed_command_lines(const std::string& out) {
  const std::string tag = "CMDLINE ";
  std::string lines;
  for (size_t start = 0; start < out.size();) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    if (out.compare(start, tag.size(), tag) == 0) {
      size_t hex = start + tag.size();
      std::wstring line = utf8_to_wide(from_hex(out.substr(hex, end - hex)));
      int argc = 0;
      wchar_t** argv = CommandLineToArgvW(line.c_str(), &argc);
      lines += "SPLIT\n";
      for (int i = 0; i < argc; ++i) lines += "ARG " + to_hex(wide_to_utf8(argv[i])) + "\n";
      LocalFree(argv);
    }
    start = end + 1;
  }
  return lines;
}

}  // namespace

int wmain() {
  std::string request;
  while (std::getline(std::cin, request)) {
    if (!request.empty() && request.back() == '\r') request.pop_back();
    Result r = run(utf8_to_wide(from_hex(request)));
    std::string response = "RC " + std::to_string(static_cast<long>(static_cast<int>(r.rc))) +
                           "\nOUT " + to_hex(r.out) + "\nERR " + to_hex(r.err) + "\n" +
                           split_echoed_command_lines(r.out) + "END\n";
    fwrite(response.data(), 1, response.size(), stdout);
    fflush(stdout);
  }
  return 0;
}
