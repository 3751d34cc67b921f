// exit_with.exe: exits with the code its first argument names (0 without one) and prints
// nothing. The batch case (batch_cases.cpp) installs it where it needs a program whose
// exit code it chooses (0, 3, 255), to check that each command's code survives a batch.
#include <cwchar>

int wmain(int argc, wchar_t** argv) {
  return argc > 1 ? static_cast<int>(std::wcstol(argv[1], nullptr, 10)) : 0;
}
