// SIGINT/SIGTERM: in-flight commands finish, nothing new starts, the record is written,
// exit 99. The handler only sets a flag; everyone who starts work asks it first.
#pragma once

namespace lkr {

void install_interrupt_handlers();
bool interrupted();
void request_interrupt();  // for tests

}  // namespace lkr
