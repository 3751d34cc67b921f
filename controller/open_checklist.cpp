#include "controller/open_checklist.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "controller/audit_trail.h"

namespace lkr {
namespace {

std::string utc_now() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void write_durably(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot write " + path);
}

}  // namespace

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
  nlohmann::json j{{"written", utc_now()}, {"checklist", tasks::reextension_checklist::to_json(c)}};
  write_durably(path_, j.dump(2) + "\n");
}

void OpenChecklist::close() const {
  if (std::rename(path_.c_str(), (path_ + ".done").c_str()) != 0 && errno != ENOENT)
    throw std::runtime_error("cannot close the open checklist " + path_);
}

}  // namespace lkr
