// Text from the audit trail (node names, commands, outputs) placed in the HTML report. A
// node could name itself `<script>` or print `</pre><img src=...>`: every such character
// reaches the page as an entity, never as markup. Control bytes and bytes that are not
// UTF-8 are shown as the terminal shows them (\x1b): a byte that HTML cannot hold must
// still be visible to the operator reading the record.
#pragma once

#include <string>
#include <string_view>

#include "controller/terminal_text.h"

namespace lkr::report {

// & < > " ' become entities, so the result is safe in element content and in a quoted
// attribute value alike. Lines::many keeps line ends (CRLF read as one LF) and tabs, for
// <pre>; Lines::one shows them escaped, for a name or a cell.
std::string html_escape(std::string_view text, Lines lines = Lines::one);

}  // namespace lkr::report
