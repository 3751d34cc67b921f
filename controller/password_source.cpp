#include "controller/password_source.h"

#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

#include "controller/cli_options.h"

namespace lkr {
namespace {

// Read into a buffer allocated once, so no reallocation leaves a copy of the password behind.
SecretText read_without_echo(int fd) {
  termios old{};
  bool have_tty = tcgetattr(fd, &old) == 0;
  if (have_tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  char buffer[1024];
  std::size_t length = 0;
  char c = 0;
  while (length < sizeof buffer && read(fd, &c, 1) == 1 && c != '\n' && c != '\r')
    buffer[length++] = c;
  if (have_tty) tcsetattr(fd, TCSAFLUSH, &old);
  SecretText value(std::string_view(buffer, length));
  ::explicit_bzero(buffer, sizeof buffer);
  c = 0;
  return value;
}

}  // namespace

std::optional<SecretText> password_from_options(bool ask_pass, const std::string& env_var) {
  if (!env_var.empty()) {
    const char* v = std::getenv(env_var.c_str());
    if (v == nullptr)
      throw CliError("--password-env " + env_var + ": that environment variable is not set");
    return SecretText(v);  // the environment's own copy is wiped by ProcessHygiene
  }
  if (!ask_pass) return std::nullopt;
  int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) throw CliError("--ask-pass needs a terminal; use --password-env VAR instead");
  const char prompt[] = "SSH password: ";
  (void)!write(fd, prompt, sizeof prompt - 1);
  SecretText value = read_without_echo(fd);
  (void)!write(fd, "\n", 1);
  close(fd);
  return value;
}

}  // namespace lkr
