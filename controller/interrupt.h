// SIGINT/SIGTERM: in-flight commands finish, nothing new starts, the record is written,
// exit 99. The handler only sets a flag; everyone who starts work asks it first.
#pragma once

#include <functional>
#include <string>

namespace lkr {

void install_interrupt_handlers();
// Who shows the first signal's notice ("interrupted: letting commands in flight finish")
// instead of a plain write to stderr: the console, while it draws a live region that a
// stray line would break. nullptr: back to stderr. Called on the signal-waiting thread.
void set_interrupt_notice(std::function<void(const std::string&)> show);
bool interrupted();
void request_interrupt();  // for tests

}  // namespace lkr
