#include "controller/progress_display.h"

#include <sys/ioctl.h>

namespace lkr {

std::string ProgressRegion::clear() {
  if (drawn_ == 0) return "";
  // To the start of the region's first row, then erase from there to the end of the screen.
  std::string text = "\r\033[" + std::to_string(drawn_) + "A\033[J";
  drawn_ = 0;
  return text;
}

std::string ProgressRegion::redraw(const std::vector<std::string>& lines, std::size_t max_lines) {
  std::string text = clear();
  std::size_t shown = lines.size();
  if (max_lines == 0) return text;
  if (shown > max_lines) shown = max_lines - 1;
  for (std::size_t i = 0; i < shown; ++i) text += lines[i] + "\n";
  if (shown < lines.size())
    text += "... and " + std::to_string(lines.size() - shown) + " more cluster(s) running\n";
  drawn_ = shown < lines.size() ? shown + 1 : shown;
  return text;
}

std::string ProgressRegion::print_above(const std::string& text,
                                        const std::vector<std::string>& lines,
                                        std::size_t max_lines) {
  std::string out = clear() + text;
  return out + redraw(lines, max_lines);
}

TerminalSize terminal_size(int fd) {
  TerminalSize size;
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
    size.columns = ws.ws_col;
    size.rows = ws.ws_row;
  }
  return size;
}

Ticker::Ticker(std::chrono::milliseconds period, std::function<bool()> tick)
    : period_(period), tick_(std::move(tick)), thread_([this] { loop(); }) {}

Ticker::~Ticker() { stop(); }

void Ticker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Ticker::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (wake_.wait_for(lock, period_, [this] { return stopping_; })) return;
    lock.unlock();
    bool again = tick_();
    lock.lock();
    if (!again) return;
  }
}

}  // namespace lkr
