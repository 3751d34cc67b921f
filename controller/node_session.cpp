#include "controller/node_session.h"

#include <algorithm>
#include <stdexcept>
#include <thread>
#include <utility>

#include "controller/connection_text.h"
#include "controller/interrupt.h"
#include "controller/verified_copy.h"
#include "tasks/parsers/text_lines.h"
#include "transports/cmd_quoting.h"
#include "transports/command_batch.h"

namespace lkr {

NodeSession::NodeSession(std::string cluster, Host host, std::unique_ptr<Transport> transport,
                         EventSink& sink, Console& console, ForkLimiter& forks,
                         SessionSettings settings)
    : cluster_(std::move(cluster)),
      host_(std::move(host)),
      transport_(std::move(transport)),
      sink_(sink),
      console_(console),
      forks_(forks),
      settings_(settings) {}

void NodeSession::connect() {
  if (connected_) return;
  if (lost_) throw StepFailure("connect", "connection to " + host_.name + " was lost", true);
  const ConnectRetry& retry = settings_.connect_retry;
  for (int attempt = 1;; ++attempt) {
    try {
      connect_once();
      break;
    } catch (const TransportError& e) {
      if (!transient(e) || attempt >= retry.attempts || interrupted()) give_up(e, attempt);
      auto delay = retry_delay(retry, attempt + 1);
      std::string text = "connect attempt " + std::to_string(attempt) + " of " +
                         std::to_string(retry.attempts) + " failed before anything was sent (" +
                         e.what() + "); retrying in " + delay_text(delay);
      sink_.note(cluster_, host_.name, "connect", text);
      console_.verbose(1, "[" + cluster_ + "] " + host_.name + " | connect | retry | " + text);
      wait_before_retry(delay);
      if (interrupted()) give_up(e, attempt);
    }
  }
  console_.verbose(3, "[" + cluster_ + "] " + host_.name + " | connect | ok | " +
                          connection_text(host_, *transport_));
  for (const std::string& notice : transport_->notices()) {
    sink_.note(cluster_, host_.name, "connect", "warning: " + notice);
    console_.warn(host_.name + ": " + notice);
  }
}

// One handshake, paced: the connect timeout starts only once this connect's turn came,
// and neither slot is held while a retry waits.
void NodeSession::connect_once() {
  ConnectSlot turn(forks_.connects());
  ForkSlot slot(forks_);
  transport_->connect();
  connected_ = true;
  tally_.connect_round_trips = transport_->round_trips();
}

void NodeSession::give_up(const TransportError& e, int attempts) {
  lost_ = true;
  std::string why = e.what();
  if (attempts > 1) why += " (gave up after " + std::to_string(attempts) + " attempts)";
  tally_.add("connect", StepStatus::unreachable);
  sink_.note(cluster_, host_.name, "connect", why);
  console_.step(cluster_, host_.name, "connect", StepStatus::unreachable, why);
  throw StepFailure("connect", why, true);
}

// In short slices: an interrupt ends the wait, and the next attempt is not made.
void NodeSession::wait_before_retry(std::chrono::milliseconds delay) {
  constexpr std::chrono::milliseconds kSlice{100};
  auto until = std::chrono::steady_clock::now() + delay;
  while (!interrupted()) {
    auto left = until - std::chrono::steady_clock::now();
    if (left <= std::chrono::milliseconds(0)) return;
    std::this_thread::sleep_for(
        std::min(std::chrono::duration_cast<std::chrono::milliseconds>(left), kSlice));
  }
}

void NodeSession::set_codepage(int cp) { transport_->set_codepage(cp); }

void NodeSession::set_install_paths(const std::string& lk_root, const std::string& lk_bin,
                                    const std::string& extmirrbase) {
  host_.lk_root = lk_root;
  host_.lk_bin = lk_bin;
  host_.dk_extmirrbase = extmirrbase;
}

void NodeSession::warn(const std::string& step, const std::string& text) {
  sink_.note(cluster_, host_.name, step, "warning: " + text);
  console_.warn(host_.name + ": " + text);
}

CommandResult NodeSession::execute(const std::string& step, const Command& c, std::string& shown,
                                   bool write_ahead) {
  shown = display(c);
  if (interrupted()) throw StepFailure(step, "interrupted: nothing new is started");
  if (lost_) throw StepFailure(step, "the connection to " + host_.name + " was lost", true);
  try {
    // Before the intent and the "started" line: a command the connection's shell cannot
    // carry is never sent, so neither may say it was about to be.
    transport_->check_renderable(c);
  } catch (const std::invalid_argument& e) {
    record(step, shown, nullptr, StepStatus::failed, e.what());
    throw StepFailure(step, e.what());
  }
  if (write_ahead) sink_.intent(cluster_, host_.name, step, shown);
  ForkSlot slot(forks_);
  console_.command_started(cluster_, host_.name, shown);
  auto start = std::chrono::system_clock::now();
  long long trips_before = transport_->round_trips();
  try {
    CommandResult r = transport_->run(c, settings_.command_timeout);
    line_ = next_invocation(transport_->round_trips() - trips_before, 0, 1);
    return r;
  } catch (const TransportError& e) {
    line_ = next_invocation(transport_->round_trips() - trips_before, 0, 1);
    // The command's outcome is unknown: this node gets nothing more this run, and a
    // re-run reads its facts again before any change.
    lost_ = e.kind != TransportError::Kind::timeout;
    CommandResult r;
    r.start = start;
    r.end = std::chrono::system_clock::now();
    record(step, shown, &r, StepStatus::unreachable, e.what());
    throw StepFailure(step, e.what(), true);
  }
}

CommandResult NodeSession::read(const std::string& step, const Command& c) {
  std::string shown;
  CommandResult r = execute(step, c, shown);
  bool answer = r.exit_code == 0 || std::find(c.answer_codes.begin(), c.answer_codes.end(),
                                              r.exit_code) != c.answer_codes.end();
  record(step, shown, &r, answer ? StepStatus::ok : StepStatus::failed, "");
  return r;
}

ReadFn NodeSession::reader() {
  return [this](const std::string& step, const Command& c) { return read(step, c); };
}

std::optional<std::string> NodeSession::judge(const Action& a, const std::string& shown,
                                              const CommandResult& r, std::string& saved,
                                              std::string& message) {
  std::optional<std::string> problem;
  if (a.check) {
    problem = a.check(r);
  } else if (r.exit_code != 0) {
    problem = tasks::failure_text(r.exit_code, r.stderr_utf8, r.stdout_utf8);
  }
  message = a.description;
  saved = r.stdout_utf8;
  if (!problem && a.node_sha256) {
    VerifiedCopy copy = verify_copy(r.stdout_utf8, a.node_sha256());
    if (!copy.problem.empty()) problem = shown + ": " + copy.problem;
    saved = std::move(copy.bytes);
    // In the trail beside the command, so an auditor can compare it with the node's line.
    message += " (SHA-256 " + copy.sha256 + ", as certutil printed it on the node)";
  }
  return problem;
}

void NodeSession::apply(const Action& a, bool is_change) {
  std::string shown;
  CommandResult r = execute(a.step, a.command, shown, a.kind != StepKind::read_only);
  std::string saved, message;
  std::optional<std::string> problem = judge(a, shown, r, saved, message);
  if (problem) {
    record(a.step, shown, &r, StepStatus::failed, *problem);
    throw StepFailure(a.step, a.description + ": " + *problem);
  }
  if (!a.save_as.empty()) sink_.snapshot(cluster_, host_.name, a.save_as, saved);
  StepStatus status =
      a.kind == StepKind::read_only || !is_change ? StepStatus::ok : StepStatus::changed;
  record(a.step, shown, &r, status, message);
}

namespace {

// Consecutive commands that fit one line of `shell`, in order.
std::vector<std::vector<Command>> lines_for(const std::vector<Command>& cs, Shell shell) {
  std::vector<std::vector<Command>> lines;
  for (const Command& c : cs) {
    if (!lines.empty()) {
      lines.back().push_back(c);
      if (batch_fits(lines.back(), shell)) continue;
      lines.back().pop_back();
    }
    lines.push_back({c});
  }
  return lines;
}

std::string excerpt_text(const std::string& raw) {
  std::string out;
  for (char c : raw) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

}  // namespace

std::vector<CommandResult> NodeSession::read_line_of(const std::string& step,
                                                     const std::vector<Command>& cs,
                                                     const LineRecorder& record_one) {
  std::vector<std::string> shown;
  for (const Command& c : cs) shown.push_back(display(c));
  if (interrupted()) throw StepFailure(step, "interrupted: nothing new is started");
  if (lost_) throw StepFailure(step, "the connection to " + host_.name + " was lost", true);
  int size = static_cast<int>(cs.size());
  std::optional<ForkSlot> slot(std::in_place, forks_);
  for (const std::string& s : shown) console_.command_started(cluster_, host_.name, s);
  auto start = std::chrono::system_clock::now();
  long long trips_before = transport_->round_trips();
  auto record_all = [&](const CommandResult* r, StepStatus status, const std::string& why) {
    long long trips = transport_->round_trips() - trips_before;
    for (int i = 0; i < size; ++i) {
      line_ = next_invocation(trips, i, size);
      record(step, shown[i], i == 0 ? r : nullptr, status, why);
    }
  };
  std::vector<CommandResult> results;
  try {
    results = transport_->run_batch(cs, settings_.command_timeout * size);
  } catch (const TransportError& e) {
    lost_ = e.kind != TransportError::Kind::timeout;
    CommandResult r;
    r.start = start;
    r.end = std::chrono::system_clock::now();
    record_all(&r, StepStatus::unreachable, e.what());
    throw StepFailure(step, e.what(), true);
  } catch (const BatchOutputError& e) {
    // Over --max-output as a whole: each read again alone, where each keeps its own cap
    // (and a cut one is recorded as cut). Read-only, so running it twice changes nothing.
    if (e.capped) {
      slot.reset();  // read_alone takes a slot per command
      sink_.note(cluster_, host_.name, step,
                 "a line of " + std::to_string(size) +
                     " read-only commands printed more than --max-output in all: each is "
                     "read again alone");
      return read_alone(step, cs, record_one);
    }
    // Nothing of the line is placed: every command of it is recorded as failed.
    std::string why = std::string("odd output from a line of ") + std::to_string(size) +
                      " read-only commands: " + e.what() + " (near: \"" + excerpt_text(e.raw_line) +
                      "\"); none of its results is used";
    record_all(nullptr, StepStatus::failed, why);
    throw StepFailure(step, why);
  } catch (const std::invalid_argument& e) {
    record_all(nullptr, StepStatus::failed, e.what());
    throw StepFailure(step, e.what());
  }
  long long trips = transport_->round_trips() - trips_before;
  for (int i = 0; i < size; ++i) {
    line_ = next_invocation(trips, i, size);
    record_one(static_cast<std::size_t>(i), shown[i], results[i]);
  }
  return results;
}

std::vector<CommandResult> NodeSession::read_alone(const std::string& step,
                                                   const std::vector<Command>& cs,
                                                   const LineRecorder& record_one) {
  std::vector<CommandResult> results;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    std::string shown;
    results.push_back(execute(step, cs[i], shown));
    record_one(i, shown, results.back());
  }
  return results;
}

void NodeSession::check_all_renderable(const std::string& step, const std::vector<Command>& cs) {
  for (const Command& c : cs) {
    try {
      transport_->check_renderable(c);
    } catch (const std::invalid_argument& e) {
      record(step, display(c), nullptr, StepStatus::failed, e.what());
      throw StepFailure(step, e.what());
    }
  }
}

std::vector<CommandResult> NodeSession::read_batch(const std::string& step,
                                                   const std::vector<Command>& cs) {
  std::vector<CommandResult> out;
  if (cs.size() <= 1 || raw_) {
    for (const Command& c : cs) out.push_back(read(step, c));
    return out;
  }
  check_all_renderable(step, cs);
  std::size_t first = 0;  // index in `cs` of the line's first command
  for (const auto& line : lines_for(cs, transport_->shell())) {
    auto record_read = [&](std::size_t i, const std::string& shown, const CommandResult& r) {
      const Command& c = cs[first + i];
      bool answer = r.exit_code == 0 || std::find(c.answer_codes.begin(), c.answer_codes.end(),
                                                  r.exit_code) != c.answer_codes.end();
      record(step, shown, &r, answer ? StepStatus::ok : StepStatus::failed, "");
    };
    for (auto& r : read_line_of(step, line, record_read)) out.push_back(std::move(r));
    first += line.size();
  }
  return out;
}

ReadManyFn NodeSession::batch_reader() {
  return [this](const std::string& step, const std::vector<Command>& cs) {
    return read_batch(step, cs);
  };
}

void NodeSession::apply_batch(const std::vector<Action>& actions) {
  bool all_reads = std::all_of(actions.begin(), actions.end(),
                               [](const Action& a) { return a.kind == StepKind::read_only; });
  if (actions.size() <= 1 || raw_ || !all_reads) {
    for (const Action& a : actions) apply(a);
    return;
  }
  std::vector<Command> cs;
  for (const Action& a : actions) cs.push_back(a.command);
  check_all_renderable(actions.front().step, cs);
  std::size_t first = 0;
  for (const auto& line : lines_for(cs, transport_->shell())) {
    // Every command of the line ran: each is judged and recorded in order, and the first
    // that did not succeed stops the step once all are on record.
    std::optional<std::string> failure;
    auto record_action = [&](std::size_t i, const std::string& shown, const CommandResult& r) {
      const Action& a = actions[first + i];
      std::string saved, message;
      std::optional<std::string> problem = judge(a, shown, r, saved, message);
      if (problem) {
        record(a.step, shown, &r, StepStatus::failed, *problem);
        if (!failure) failure = a.description + ": " + *problem;
        return;
      }
      if (!a.save_as.empty()) sink_.snapshot(cluster_, host_.name, a.save_as, saved);
      record(a.step, shown, &r, StepStatus::ok, message);
    };
    read_line_of(actions[first].step, line, record_action);
    if (failure) throw StepFailure(actions[first].step, *failure);
    first += line.size();
  }
}

Invocation NodeSession::next_invocation(long long round_trips, int index, int size) {
  if (index == 0) {
    ++lines_sent_;
    ++tally_.invocations;
    tally_.round_trips += round_trips;
  }
  return Invocation{host_.name + "#" + std::to_string(lines_sent_), index, size, round_trips};
}

void NodeSession::record(const std::string& step, const std::string& shown, const CommandResult* r,
                         StepStatus status, const std::string& message) {
  CommandEvent e;
  e.cluster = cluster_;
  e.host = host_.name;
  e.step = step;
  e.command = shown;
  e.status = status;
  e.message = message;
  e.invocation = std::exchange(line_, {});
  auto now = std::chrono::system_clock::now();
  e.start = r ? r->start : now;
  e.end = r ? r->end : now;
  if (r && r->exit_code >= 0 && status != StepStatus::unreachable) e.exit_code = r->exit_code;
  if (r) {
    e.stdout_text = r->stdout_utf8;
    e.stderr_text = r->stderr_utf8;
    e.truncated = r->truncated;
  }
  sink_.command(e);
  tally_.add(step, status);
  bool is_change = status == StepStatus::changed || status == StepStatus::failed ||
                   status == StepStatus::unreachable;
  std::string detail = shown;
  if (!message.empty() && status != StepStatus::changed) detail += "  (" + message + ")";
  console_.command_ended(cluster_, host_.name, step, status, detail,
                         std::chrono::duration_cast<std::chrono::milliseconds>(e.end - e.start),
                         is_change);
  if (r && !r->stdout_utf8.empty()) console_.verbose(2, r->stdout_utf8);
  if (r && !r->stderr_utf8.empty()) console_.verbose(2, r->stderr_utf8);
}

}  // namespace lkr
