// A password held so that its bytes do not outlive their use: every copy lives in a buffer
// of its own, allocated once (no reallocation leaves an old copy behind) and overwritten
// with zeros when that copy is cleared, reassigned or destroyed. What a library does with
// the pointer it is given (libssh, libcurl, GSSAPI) is beyond it; what lkrecover holds is not.
#pragma once

#include <string.h>  // explicit_bzero

#include <string>
#include <string_view>

namespace lkr {

class SecretText {
 public:
  SecretText() = default;
  SecretText(std::string_view text) { assign(text); }  // NOLINT: implicit, as a string is
  SecretText(const char* text) : SecretText(std::string_view(text)) {}
  SecretText(const std::string& text) : SecretText(std::string_view(text)) {}
  SecretText(const SecretText& other) { assign(other.value_); }
  SecretText(SecretText&& other) noexcept { swap_from(other); }
  SecretText& operator=(const SecretText& other) {
    if (this != &other) {
      clear();
      assign(other.value_);
    }
    return *this;
  }
  SecretText& operator=(SecretText&& other) noexcept {
    if (this != &other) {
      clear();
      swap_from(other);
    }
    return *this;
  }
  ~SecretText() { clear(); }

  const std::string& str() const { return value_; }
  operator const std::string&() const { return value_; }  // NOLINT: reads as a string
  const char* c_str() const { return value_.c_str(); }
  const char* data() const { return value_.data(); }
  std::size_t size() const { return value_.size(); }
  bool empty() const { return value_.empty(); }

  // Zeros every byte, then empties the text (the buffer stays allocated, zeroed).
  void clear() {
    if (!value_.empty()) ::explicit_bzero(value_.data(), value_.size());
    value_.clear();
  }

  friend bool operator==(const SecretText& a, std::string_view b) { return a.value_ == b; }

 private:
  // Past any small-string buffer: the bytes live on the heap, in one allocation.
  static constexpr std::size_t kMinimumCapacity = 64;

  void assign(std::string_view text) {
    value_.reserve(text.size() < kMinimumCapacity ? kMinimumCapacity : text.size());
    value_.assign(text.data(), text.size());
  }
  // A moved heap buffer changes owner without a copy; `other` keeps nothing.
  void swap_from(SecretText& other) noexcept { value_.swap(other.value_); }

  std::string value_;
};

// Zeros a working string that held a secret (a converted password, a key derived from it)
// when the scope ends, however it ends.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& text) : text_(text) {}
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;
  ~WipeOnExit() {
    if (!text_.empty()) ::explicit_bzero(text_.data(), text_.size());
  }

 private:
  std::string& text_;
};

}  // namespace lkr
