// The live region at the bottom of a terminal: one status line per running cluster,
// redrawn in place with ANSI cursor movement. Lines printed for good go above it: the
// region is erased, the line printed, the region drawn again, all in one write so the
// terminal never shows half of it. A ticker redraws it a few times a second, so elapsed
// times move while every command is slow.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lkr {

class ProgressRegion {
 public:
  // What to write to replace the region on screen with `lines`. Each line must already
  // fit the terminal's width (a wrapped line would take two rows and throw the cursor
  // arithmetic off); at most `max_lines` are drawn, the rest summed up on the last one.
  std::string redraw(const std::vector<std::string>& lines, std::size_t max_lines);
  // `text` (ending in a newline) printed for good, then the region again.
  std::string print_above(const std::string& text, const std::vector<std::string>& lines,
                          std::size_t max_lines);
  // The region erased; nothing is drawn until the next redraw.
  std::string clear();
  std::size_t rows() const { return drawn_; }

 private:
  std::size_t drawn_ = 0;  // rows drawn below the permanent text, cursor under the last
};

// The terminal's size (columns, rows) behind `fd`; 80x24 when it cannot be read.
struct TerminalSize {
  std::size_t columns = 80, rows = 24;
};
TerminalSize terminal_size(int fd);

// Calls `tick` every `period` on its own thread until stop() (or until tick returns
// false). stop() wakes it at once and joins it.
class Ticker {
 public:
  Ticker(std::chrono::milliseconds period, std::function<bool()> tick);
  ~Ticker();
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;
  void stop();

 private:
  void loop();
  std::chrono::milliseconds period_;
  std::function<bool()> tick_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lkr
