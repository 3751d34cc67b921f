// Runs one function per item on its own thread and waits for all of them: the
// barrier between two phases of a cluster. Exceptions are caught per item, so every
// item finishes its own work (in-flight commands complete) before a failure is acted on.
#pragma once

#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace lkr {

// Returns one exception_ptr per item (null where fn returned normally).
template <typename T>
std::vector<std::exception_ptr> run_parallel(const std::vector<T>& items,
                                             const std::function<void(const T&)>& fn) {
  std::vector<std::exception_ptr> errors(items.size());
  if (items.size() == 1) {  // no thread for the common two-node cluster's single survivor
    try {
      fn(items[0]);
    } catch (...) {
      errors[0] = std::current_exception();
    }
    return errors;
  }
  std::vector<std::thread> threads;
  threads.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        fn(items[i]);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  return errors;
}

}  // namespace lkr
