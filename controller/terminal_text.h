// Text from nodes (output, error messages, names) shown on the operator's terminal. A node
// that could send ESC, CSI, CR or backspace could rewrite what is already on the screen
// (a failed step redrawn as "ok"): every such byte is shown escaped instead, as \x1b. The
// audit trail keeps the raw bytes; only what reaches a terminal goes through here.
#pragma once

#include <string>
#include <string_view>

namespace lkr {

enum class Lines { one, many };

// C0 controls (\x00-\x1f), DEL (\x7f), C1 controls (U+0080-U+009F, and the bytes
// 0x80-0x9f outside a UTF-8 sequence, which 8-bit terminals read as C1) and any other byte
// that is not valid UTF-8 become \xNN (\u0080-\u009f for encoded C1). Lines::many keeps
// LF and TAB, for text that is meant to span lines (command output, the plan); Lines::one
// escapes them too, so a field cannot start a line of its own that looks like ours.
std::string terminal_safe(std::string_view text, Lines lines = Lines::one);

}  // namespace lkr
