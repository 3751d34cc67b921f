#include "tests/lab/driver/json_reader.h"

#include "tests/lab/driver/scenario.h"

namespace lab {

JsonReader::JsonReader(const nlohmann::json& value, std::string path, std::string file_label)
    : value_(&value), path_(std::move(path)), file_label_(std::move(file_label)) {}

void JsonReader::fail(const std::string& message) const {
  throw ScenarioError(file_label_ + ": " + path_ + ": " + message);
}

JsonReader JsonReader::required(const std::string& key) const {
  if (!value_->is_object()) fail("expected an object");
  auto it = value_->find(key);
  if (it == value_->end()) fail("missing required field \"" + key + "\"");
  return JsonReader(*it, path_ + "." + key, file_label_);
}

std::optional<JsonReader> JsonReader::optional(const std::string& key) const {
  if (!value_->is_object()) fail("expected an object");
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return std::nullopt;
  return JsonReader(*it, path_ + "." + key, file_label_);
}

std::vector<JsonReader> JsonReader::array() const {
  if (!value_->is_array()) fail("expected an array");
  std::vector<JsonReader> items;
  for (size_t i = 0; i < value_->size(); ++i)
    items.emplace_back((*value_)[i], path_ + "[" + std::to_string(i) + "]", file_label_);
  return items;
}

// Unknown keys are rejected (a misspelt optional field would otherwise be silently
// ignored and the lab would run a different cluster than the author meant); keys
// starting with '_' or "comment" are free for annotations.
void JsonReader::expect_object(std::initializer_list<const char*> known_keys) const {
  if (!value_->is_object()) fail("expected an object");
  for (const auto& [key, unused] : value_->items()) {
    (void)unused;
    if (key.starts_with("_") || key.starts_with("comment")) continue;
    bool known = false;
    for (const char* k : known_keys) known = known || key == k;
    if (!known) JsonReader(*value_, path_ + "." + key, file_label_).fail("unknown field");
  }
}

std::string JsonReader::string() const {
  if (!value_->is_string()) fail("expected a string");
  return value_->get<std::string>();
}

std::string JsonReader::non_empty_string() const {
  std::string s = string();
  if (s.empty()) fail("expected a non-empty string");
  return s;
}

int JsonReader::integer(long min, long max) const {
  if (!value_->is_number_integer()) fail("expected an integer");
  long v = value_->get<long>();
  if (v < min || v > max)
    fail("expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return static_cast<int>(v);
}

bool JsonReader::boolean() const {
  if (!value_->is_boolean()) fail("expected true or false");
  return value_->get<bool>();
}

}  // namespace lab
