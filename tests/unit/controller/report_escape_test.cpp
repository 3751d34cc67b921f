// The report's escaping: what a hostile node can name itself or print must reach the
// HTML page and the Markdown file as text, never as markup. Expected values are written
// out by hand from the HTML and CommonMark rules.
#include <catch2/catch.hpp>

#include "controller/report/html_text.h"
#include "controller/report/markdown_text.h"

using lkr::Lines;
using lkr::report::html_escape;
using lkr::report::markdown_code_block;
using lkr::report::markdown_escape;

TEST_CASE("report html: markup characters become entities", "[unit][report]") {
  CHECK(html_escape("<script>alert(\"x\")</script>") ==
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  CHECK(html_escape("Tom & Jerry's") == "Tom &amp; Jerry&#39;s");
  // An entity in the input is text, shown as written, not decoded.
  CHECK(html_escape("&lt;b&gt;") == "&amp;lt;b&amp;gt;");
  // Closing an attribute early is impossible: both quote kinds are entities.
  CHECK(html_escape("\" onmouseover='x'") == "&quot; onmouseover=&#39;x&#39;");
}

TEST_CASE("report html: control bytes are shown, never passed through", "[unit][report]") {
  CHECK(html_escape("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(html_escape(std::string("x\0y", 3)) == "x\\x00y");
  CHECK(html_escape("a\x7f") == "a\\x7f");
  CHECK(html_escape("caf\xff") == "caf\\xff");  // not UTF-8
  CHECK(html_escape("Zürich ノード") == "Zürich ノード");
  // A name is one line: its line ends are shown.
  CHECK(html_escape("a\nb\tc") == "a\\x0ab\\x09c");
  // Output keeps its lines; Windows' CRLF is one line end, a lone CR is shown.
  CHECK(html_escape("a\r\nb\tc\rd", Lines::many) == "a\nb\tc\\x0dd");
}

TEST_CASE("report markdown: punctuation is escaped, so nothing is syntax", "[unit][report]") {
  CHECK(markdown_escape("<script>") == "\\<script\\>");
  CHECK(markdown_escape("a|b") == "a\\|b");
  CHECK(markdown_escape("*x* _y_") == "\\*x\\* \\_y\\_");
  CHECK(markdown_escape("[l](u)") == "\\[l\\]\\(u\\)");
  CHECK(markdown_escape("Tom & \"J\"") == "Tom \\& \"J\"");
  CHECK(markdown_escape("# not a heading") == "\\# not a heading");
  CHECK(markdown_escape("ALPHA2") == "ALPHA2");
  CHECK(markdown_escape("{x} $y$ ~z~ !") == "\\{x\\} \\$y\\$ \\~z\\~ \\!");
}

TEST_CASE("report markdown: what is syntax only at a line's start is escaped there",
          "[unit][report]") {
  CHECK(markdown_escape("- item") == "\\- item");
  CHECK(markdown_escape("+ item") == "\\+ item");
  CHECK(markdown_escape("= x") == "\\= x");
  CHECK(markdown_escape("12. item") == "12\\. item");
  CHECK(markdown_escape("3) item") == "3\\) item");
  // Elsewhere they stay as written: a timestamp, a path, a version.
  CHECK(markdown_escape("2026-12-03T03:48:08.834Z") == "2026-12-03T03:48:08.834Z");
  CHECK(markdown_escape("C:/LK/Bin v8.10") == "C:/LK/Bin v8.10");
}

TEST_CASE("report markdown: control bytes and line ends are shown", "[unit][report]") {
  // \n becomes the four characters \x0a, whose backslash is then escaped itself.
  CHECK(markdown_escape("a\nb") == "a\\\\x0ab");
  CHECK(markdown_escape("\x1b") == "\\\\x1b");
}

TEST_CASE("report markdown: a code block cannot be closed by its content", "[unit][report]") {
  CHECK(markdown_code_block("a\r\nb") == "```text\na\nb\n```\n");
  CHECK(markdown_code_block("x ``` y\n") == "````text\nx ``` y\n````\n");
  CHECK(markdown_code_block("<b>\x1b") == "```text\n<b>\\x1b\n```\n");
}
