#include "controller/node_session.h"

#include <algorithm>
#include <stdexcept>

#include "controller/connection_text.h"
#include "controller/interrupt.h"
#include "controller/verified_copy.h"
#include "tasks/parsers/text_lines.h"
#include "transports/cmd_quoting.h"

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
  try {
    ForkSlot slot(forks_);
    transport_->connect();
    connected_ = true;
    console_.verbose(3, "[" + cluster_ + "] " + host_.name + " | connect | ok | " +
                            connection_text(host_, *transport_));
    for (const std::string& notice : transport_->notices()) {
      sink_.note(cluster_, host_.name, "connect", "warning: " + notice);
      console_.warn(host_.name + ": " + notice);
    }
  } catch (const TransportError& e) {
    lost_ = true;
    tally_.add("connect", StepStatus::unreachable);
    sink_.note(cluster_, host_.name, "connect", e.what());
    console_.step(cluster_, host_.name, "connect", StepStatus::unreachable, e.what());
    throw StepFailure("connect", e.what(), true);
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
  try {
    return transport_->run(c, settings_.command_timeout);
  } catch (const TransportError& e) {
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

void NodeSession::apply(const Action& a, bool is_change) {
  std::string shown;
  CommandResult r = execute(a.step, a.command, shown, a.kind != StepKind::read_only);
  std::optional<std::string> problem;
  if (a.check) {
    problem = a.check(r);
  } else if (r.exit_code != 0) {
    problem = tasks::failure_text(r.exit_code, r.stderr_utf8, r.stdout_utf8);
  }
  std::string message = a.description;
  std::string saved = r.stdout_utf8;
  if (!problem && a.node_sha256) {
    VerifiedCopy copy = verify_copy(r.stdout_utf8, a.node_sha256());
    if (!copy.problem.empty()) problem = shown + ": " + copy.problem;
    saved = std::move(copy.bytes);
    // In the trail beside the command, so an auditor can compare it with the node's line.
    message += " (SHA-256 " + copy.sha256 + ", as certutil printed it on the node)";
  }
  if (problem) {
    record(a.step, shown, &r, StepStatus::failed, *problem);
    throw StepFailure(a.step, a.description + ": " + *problem);
  }
  if (!a.save_as.empty()) sink_.snapshot(cluster_, host_.name, a.save_as, saved);
  StepStatus status =
      a.kind == StepKind::read_only || !is_change ? StepStatus::ok : StepStatus::changed;
  record(a.step, shown, &r, status, message);
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
