#include "controller/open_checklist.h"

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "controller/durable_file.h"
#include "controller/run_id.h"
#include "controller/snapshot_path.h"

namespace lkr {
OpenChecklist::OpenChecklist(const std::string& log_dir, const std::string& cluster,
                             const std::string& replaced)
    : path_((std::filesystem::path(log_dir) / "open-checklists" /
             (snapshot_path_component(cluster) + "~" + snapshot_path_component(replaced) + ".json"))
                .string()) {}

std::optional<OpenChecklist::Carried> OpenChecklist::load() const {
  bool finished = false;
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    in.open(path_ + ".done", std::ios::binary);
    if (!in) return std::nullopt;
    finished = true;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    nlohmann::json j = nlohmann::json::parse(text.str());
    return Carried{tasks::reextension_checklist::from_json(j.at("checklist")),
                   j.at("written").get<std::string>(), finished};
  } catch (const std::exception& e) {
    throw std::runtime_error("the open checklist " + path_ + " of an earlier run cannot be read (" +
                             e.what() + "): keep it for its items, move it aside, then re-run");
  }
}

void OpenChecklist::save(const tasks::reextension_checklist::Checklist& c) const {
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
  nlohmann::json j{{"written", iso8601_utc_ms(std::chrono::system_clock::now())},
                   {"checklist", tasks::reextension_checklist::to_json(c)}};
  write_file_atomically(path_, j.dump(2) + "\n");
}

void OpenChecklist::close() const {
  if (std::rename(path_.c_str(), (path_ + ".done").c_str()) != 0 && errno != ENOENT)
    throw std::runtime_error("cannot close the open checklist " + path_);
}

}  // namespace lkr
