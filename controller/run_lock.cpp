#include "controller/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "controller/log_dir_guard.h"
#include "controller/run_id.h"
#include "inventory/login_name.h"

namespace lkr {

using Json = nlohmann::json;

namespace {

std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

std::vector<LockHolder> parse_holders(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  std::vector<LockHolder> holders;
  if (!j.is_object() || !j.contains("runs") || !j["runs"].is_array()) return holders;
  for (const auto& r : j["runs"]) {
    if (!r.is_object()) continue;
    LockHolder h;
    h.pid = r.value("pid", 0);
    h.pid_start = r.value("pid_start", 0LL);
    h.host = r.value("host", "");
    h.run_id = r.value("run_id", "");
    h.operator_name = r.value("operator", "");
    h.started = r.value("started", "");
    h.clusters = r.value("clusters", std::vector<std::string>{});
    holders.push_back(std::move(h));
  }
  return holders;
}

// The lock file stays in place for good: deleting it would let two runs flock two
// different files under the same name.
class LockedFile {
 public:
  explicit LockedFile(const std::filesystem::path& path) : path_(path) {
    // O_NOFOLLOW: a symbolic link planted here would have us truncate its target.
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0 && errno == ELOOP)
      throw RunLockRefused("run lock: " + path.string() +
                           " is a symbolic link, refused (it could point at any file); " +
                           "remove it: rm " + path.string());
    if (fd_ < 0) fail("cannot open");
    refuse_unless_ours();
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) fail("cannot lock");
  }
  ~LockedFile() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
  }
  LockedFile(const LockedFile&) = delete;
  LockedFile& operator=(const LockedFile&) = delete;

  std::vector<LockHolder> read() const {
    std::string text;
    char buffer[4096];
    ssize_t n;
    off_t offset = 0;
    while ((n = ::pread(fd_, buffer, sizeof buffer, offset)) > 0) {
      text.append(buffer, static_cast<size_t>(n));
      offset += n;
    }
    return parse_holders(text);
  }

  void write(const std::vector<LockHolder>& holders) const {
    Json runs = Json::array();
    for (const auto& h : holders)
      runs.push_back(Json{{"pid", h.pid},
                          {"pid_start", h.pid_start},
                          {"host", h.host},
                          {"run_id", h.run_id},
                          {"operator", h.operator_name},
                          {"started", h.started},
                          {"clusters", h.clusters}});
    std::string text = Json{{"runs", runs}}.dump(2) + "\n";
    if (::ftruncate(fd_, 0) != 0) fail("cannot truncate");
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::pwrite(fd_, text.data() + done, text.size() - done, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("cannot write");
      done += static_cast<size_t>(n);
    }
    ::fsync(fd_);
  }

 private:
  // Only a plain file of ours with no other name is ever rewritten: a hard link would
  // make the write land in another file too.
  void refuse_unless_ours() {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail("cannot stat");
    std::string why;
    if (!S_ISREG(st.st_mode))
      why = "is not a regular file";
    else if (st.st_uid != ::geteuid())
      why = "is owned by uid " + std::to_string(st.st_uid) + ", not by this user";
    else if (st.st_nlink != 1)
      why = "has " + std::to_string(st.st_nlink) + " hard links";
    if (why.empty()) return;
    ::close(fd_);
    fd_ = -1;
    throw RunLockRefused("run lock: " + path_.string() + " " + why +
                         ", refused (left untouched); remove it if no run is going: rm " +
                         path_.string());
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("run lock: " + what + " " + path_.string() + ": " +
                             std::strerror(errno));
  }

  std::filesystem::path path_;
  int fd_ = -1;
};

bool is_alive(const LockHolder& h, const std::string& host) {
  if (h.host != host) return true;  // another controller's pid: we cannot tell, assume alive
  if (h.pid <= 0) return false;
  if (::kill(h.pid, 0) != 0 && errno == ESRCH) return false;
  // A pid reused by a later process is not the run that took the lock.
  long long start = process_start_ticks(h.pid);
  return start == 0 || h.pid_start == 0 || start == h.pid_start;
}

std::vector<std::string> shared_clusters(const LockHolder& h,
                                         const std::vector<std::string>& mine) {
  std::vector<std::string> shared;
  for (const auto& c : h.clusters)
    if (std::find(mine.begin(), mine.end(), c) != mine.end()) shared.push_back(c);
  return shared;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

long long process_start_ticks(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return 0;
  // Field 2 (comm) may hold spaces and parentheses: count fields after the last ')'.
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  for (int index = 3; fields >> field; ++index)
    if (index == 22) return std::stoll(field);
  return 0;
}

std::optional<LockHolder> live_lock_holder(const std::filesystem::path& log_dir,
                                           const std::string& run_id) {
  std::ifstream in(log_dir / "lkrecover.lock", std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  std::string host = this_host();
  for (auto& h : parse_holders(text.str()))
    if (h.run_id == run_id && h.host == host && is_alive(h, host)) return h;
  return std::nullopt;
}

RunLock::RunLock(const std::filesystem::path& log_dir, const std::string& run_id,
                 const std::vector<std::string>& clusters)
    : path_(log_dir / "lkrecover.lock") {
  ensure_private_log_dir(log_dir);
  self_.pid = static_cast<int>(::getpid());
  self_.pid_start = process_start_ticks(self_.pid);
  self_.host = this_host();
  self_.run_id = run_id;
  self_.operator_name = login_name();
  self_.started = iso8601_utc_ms(std::chrono::system_clock::now());
  self_.clusters = clusters;

  LockedFile file(path_);
  std::vector<LockHolder> live;
  for (auto& h : file.read()) {
    if (!is_alive(h, self_.host)) {
      stale_.push_back(std::move(h));
      continue;
    }
    if (auto shared = shared_clusters(h, clusters); !shared.empty())
      throw RunLockRefused("cluster(s) " + join(shared) + " already held by run " + h.run_id +
                           " (pid " + std::to_string(h.pid) + " on " + h.host + ", operator " +
                           h.operator_name + ", started " + h.started + ", clusters " +
                           join(h.clusters) + "); wait for it to finish, or if that process " +
                           "is gone from another host, remove its entry from " + path_.string());
    live.push_back(std::move(h));
  }
  live.push_back(self_);
  file.write(live);
}

RunLock::~RunLock() {
  try {
    LockedFile file(path_);
    auto holders = file.read();
    std::erase_if(holders, [&](const LockHolder& h) {
      return h.pid == self_.pid && h.run_id == self_.run_id && h.host == self_.host;
    });
    file.write(holders);
  } catch (const std::exception&) {
    // A destructor must not throw; the entry left behind is stale and will be taken over.
  }
}

}  // namespace lkr
