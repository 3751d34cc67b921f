#include "tests/lab/node/cmd_parser.h"

#include <catch2/catch.hpp>

using lab::CmdNode;

namespace {

std::optional<std::string> env(const std::string& name) {
  if (name == "LKROOT" || name == "lkroot") return std::string("C:\\LK");
  if (name == "b") return std::string("a");
  if (name == "PATH") return std::string("C:\\Windows");
  return std::nullopt;
}

std::string expand(const std::string& s) { return lab::expand_percent(s, env); }

bool never_executable(const std::string&) { return false; }

}  // namespace

TEST_CASE("percent expansion in command-line mode", "[cmd]") {
  CHECK(expand("cd %LKROOT%\\Bin") == "cd C:\\LK\\Bin");
  CHECK(expand("echo %lkroot%") == "echo C:\\LK");
  // An undefined name stays as typed (command-line mode, unlike batch files).
  CHECK(expand("echo %NOPE%") == "echo %NOPE%");
  // jeb's example: with only b=a, "%a %b% c%" -> "%a a c%": the scan resumes at the
  // closing % of an undefined name.
  CHECK(expand("echo %a %b% c%") == "echo %a a c%");
  CHECK(expand("echo 100%") == "echo 100%");
  CHECK(expand("echo %%PATH%%") == "echo %C:\\Windows%");  // no %% escape on a command line
  CHECK(expand("echo %LKROOT:~0,2%") == "echo C:");
  CHECK(expand("echo %LKROOT:LK=X%") == "echo C:\\X");
}

TEST_CASE("the /c quote rule strips the first and the last quote", "[cmd]") {
  // Two quotes but no whitespace between them: old behaviour, first and last quote go.
  CHECK(lab::apply_slash_c_quote_rule("\"C:\\LK\\Bin\\eqv_list.exe\" -s X", never_executable) ==
        "C:\\LK\\Bin\\eqv_list.exe -s X");
  CHECK(lab::apply_slash_c_quote_rule("\"\"C:\\Program Files\\x.exe\" \"a b\"\"",
                                      never_executable) == "\"C:\\Program Files\\x.exe\" \"a b\"");
  // Exactly two quotes, whitespace between, names an executable: kept.
  auto is_exe = [](const std::string& p) { return p == "C:\\Program Files\\x.exe"; };
  CHECK(lab::apply_slash_c_quote_rule("\"C:\\Program Files\\x.exe\" a", is_exe) ==
        "\"C:\\Program Files\\x.exe\" a");
  // ...but a special character between them breaks the exception.
  CHECK(lab::apply_slash_c_quote_rule("\"C:\\a&b c\\x.exe\" a", [](const std::string&) {
          return true;
        }) == "C:\\a&b c\\x.exe a");
  CHECK(lab::apply_slash_c_quote_rule("echo \"a\"", never_executable) == "echo \"a\"");
}

TEST_CASE("operators, carets and quotes", "[cmd]") {
  auto t = lab::parse_command_line("echo a^&b & echo \"c&d\"");
  REQUIRE(t->kind == CmdNode::Kind::sequence);
  CHECK(t->left->text == "echo a&b");
  CHECK(t->right->text == "echo \"c&d\"");

  // Inside quotes a caret is literal.
  CHECK(lab::parse_command_line("echo \"a^b\" c^^d")->text == "echo \"a^b\" c^d");

  // && and || bind tighter than &.
  auto u = lab::parse_command_line("a && b || c & d");
  REQUIRE(u->kind == CmdNode::Kind::sequence);
  REQUIRE(u->left->kind == CmdNode::Kind::or_else);
  CHECK(u->left->left->kind == CmdNode::Kind::and_then);
  CHECK(u->left->left->left->text == "a");
  CHECK(u->left->right->text == "c");
  CHECK(u->right->text == "d");

  CHECK_THROWS_AS(lab::parse_command_line("&& echo a"), lab::CmdSyntaxError);
  CHECK_THROWS_AS(lab::parse_command_line("dir | find x"), lab::CmdSyntaxError);
  CHECK_THROWS_AS(lab::parse_command_line("echo a > x"), lab::CmdSyntaxError);
  CHECK(lab::parse_command_line("   ") == nullptr);
}

TEST_CASE("if exist with blocks and else", "[cmd]") {
  auto t = lab::parse_command_line("if exist \"C:\\a b\\x\" (echo yes) else (echo no)");
  REQUIRE(t->kind == CmdNode::Kind::if_command);
  CHECK(t->condition.kind == "exist");
  CHECK(t->condition.left == "\"C:\\a b\\x\"");
  CHECK_FALSE(t->condition.negate);
  CHECK(t->body->kind == CmdNode::Kind::block);
  CHECK(t->body->body->text == "echo yes");
  CHECK(t->else_branch->body->text == "echo no");

  // Without parentheses the rest of the line, & included, is the body.
  auto n = lab::parse_command_line("if not exist x echo a & echo b");
  REQUIRE(n->kind == CmdNode::Kind::if_command);
  CHECK(n->condition.negate);
  CHECK(n->body->kind == CmdNode::Kind::sequence);

  // After a parenthesised body, & starts a new command.
  auto m = lab::parse_command_line("if exist x (echo a) & echo b");
  REQUIRE(m->kind == CmdNode::Kind::sequence);
  CHECK(m->left->kind == CmdNode::Kind::if_command);
  CHECK(m->right->text == "echo b");

  CHECK_THROWS_AS(lab::parse_command_line("if exist x (echo a"), lab::CmdSyntaxError);
  CHECK_THROWS_AS(lab::parse_command_line("if exist"), lab::CmdSyntaxError);
}

TEST_CASE("command name and built-in words", "[cmd]") {
  auto n = lab::split_command_name("  \"C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe\" . x");
  CHECK(n.name == "C:\\Program Files\\SIOS\\DataKeeper\\emcmd.exe");
  CHECK(n.rest == " . x");
  CHECK(n.name_start == 2);
  CHECK(lab::split_command_name("cd/d C:\\").name == "cd");
  CHECK(lab::builtin_words(" \"C:\\a b\\LKDRInfo.E\" /q") ==
        std::vector<std::string>{"C:\\a b\\LKDRInfo.E", "/q"});
}
