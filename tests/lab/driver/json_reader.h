// A cursor into a parsed JSON document that knows its JSON path, so every error can
// say where it is: "seed.json: $.clusters[0].nodes[1].address: expected a string".
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lab {

class JsonReader {
 public:
  JsonReader(const nlohmann::json& value, std::string path, std::string file_label);

  [[noreturn]] void fail(const std::string& message) const;
  const std::string& path() const { return path_; }

  JsonReader required(const std::string& key) const;  // fails when missing
  std::optional<JsonReader> optional(const std::string& key) const;
  std::vector<JsonReader> array() const;  // fails unless an array
  void expect_object(std::initializer_list<const char*> known_keys) const;

  std::string string() const;
  std::string non_empty_string() const;
  int integer(long min, long max) const;
  bool boolean() const;

 private:
  const nlohmann::json* value_;
  std::string path_;
  std::string file_label_;
};

}  // namespace lab
