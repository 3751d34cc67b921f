// The SSH channel as a command on the node sees it: stdout, stderr, stdin, and the two
// things a fault does to the connection itself.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lab {

class Terminal {
 public:
  virtual ~Terminal() = default;
  virtual void write_out(std::string_view bytes) = 0;
  virtual void write_err(std::string_view bytes) = 0;
  // One line of stdin without its line end (CR LF or LF); nullopt at end of input.
  virtual std::optional<std::string> read_line() = 0;
  // Drops the SSH connection (the "drop" fault). Does not return normally.
  [[noreturn]] virtual void drop_connection() = 0;
  // Blocks until the client went away (the "hang" fault). Does not return normally.
  [[noreturn]] virtual void hang_until_client_leaves() = 0;
};

// The real channel: fds 0, 1, 2 of lab-cmd under sshd.
class FdTerminal : public Terminal {
 public:
  explicit FdTerminal(std::string node_dir) : node_dir_(std::move(node_dir)) {}
  void write_out(std::string_view bytes) override;
  void write_err(std::string_view bytes) override;
  std::optional<std::string> read_line() override;
  [[noreturn]] void drop_connection() override;
  [[noreturn]] void hang_until_client_leaves() override;

 private:
  std::string node_dir_;
};

// What a test observes in place of a connection.
struct ConnectionDropped : std::runtime_error {
  ConnectionDropped() : std::runtime_error("connection dropped") {}
};
struct ClientHungUp : std::runtime_error {
  ClientHungUp() : std::runtime_error("command hung until the client left") {}
};

class StringTerminal : public Terminal {
 public:
  explicit StringTerminal(std::string input = "") : input_(std::move(input)) {}
  void write_out(std::string_view bytes) override { out += bytes; }
  void write_err(std::string_view bytes) override { err += bytes; }
  std::optional<std::string> read_line() override;
  [[noreturn]] void drop_connection() override { throw ConnectionDropped(); }
  [[noreturn]] void hang_until_client_leaves() override { throw ClientHungUp(); }

  std::string out, err;

 private:
  std::string input_;
  size_t read_pos_ = 0;
};

}  // namespace lab
