// Text from the audit trail placed in the Markdown report. Markdown renders inline HTML
// and reads `*`, `[`, `|` and friends as syntax: a node named `<script>` or `a|b` must
// read as that name, in a paragraph or a table cell, whatever renders the file.
#pragma once

#include <string>
#include <string_view>

namespace lkr::report {

// One line of text, to be placed anywhere in a line: the punctuation that is Markdown
// syntax anywhere (` * _ [ ] < > & | ~ # ! ( ) { } $ and the backslash) backslash-escaped
// (CommonMark allows it before each of them, and `<` escaped cannot open an HTML tag);
// the first character too when it is punctuation, and the '.' of a leading "12.", so a
// value cannot start a list or a heading; line ends and other control bytes shown
// escaped (\x0a), so a value cannot end a table row.
std::string markdown_escape(std::string_view text);

// Multi-line text (a command's output) as a fenced code block: verbatim but for control
// bytes (shown as \x1b; CRLF read as one line end), fenced with more backticks than the
// longest run of backticks inside, so the text cannot close the block.
std::string markdown_code_block(std::string_view text);

}  // namespace lkr::report
