#include "controller/node_setup.h"

#include "inventory/system_name.h"
#include "tasks/assumed_formats.h"
#include "tasks/install_paths.h"
#include "tasks/node_commands.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/parsers/windows_output.h"

namespace lkr {
namespace {

void settle_codepage(NodeSession& n, const std::string& step) {
  if (n.host().codepage) {
    n.set_codepage(*n.host().codepage);
    return;
  }
  CommandResult r = n.read(step, tasks::commands::chcp(n.host()));
  try {
    n.set_codepage(tasks::parse_chcp(r.stdout_utf8));
  } catch (const OddOutput& e) {
    throw StepFailure(step, std::string("cannot tell the code page: ") + e.what());
  }
}

// `set PREFIX`: exit 1 with "not defined" when no variable starts with it (cmd).
std::map<std::string, std::string> environment_in(const CommandResult& r, const std::string& step) {
  if (r.exit_code != 0 && tasks::trim(r.stdout_utf8).empty()) return {};
  try {
    return tasks::parse_set_output(r.stdout_utf8);
  } catch (const OddOutput& e) {
    throw StepFailure(step, std::string("cannot read the node's environment: ") + e.what());
  }
}

bool exists_in(const CommandResult& r, const std::string& step) {
  try {
    return tasks::parse_if_exist(r.stdout_utf8);
  } catch (const OddOutput& e) {
    throw StepFailure(step, e.what());
  }
}

// The folder that holds emcmd.exe: %ExtMirrBase% first, then DataKeeper's other standard
// folder (E9). Empty when none does: DataKeeper is then not installed, which only matters
// where a volume is mirrored (gather_facts refuses then).
// Every candidate is probed in one line (one round trip), the first that holds it wins.
std::string find_emcmd(NodeSession& n, const std::string& step, const std::string& extmirrbase) {
  std::vector<std::string> tried;
  std::vector<std::string> folders = tasks::emcmd_folders(extmirrbase);
  std::vector<Command> probes;
  for (const std::string& folder : folders)
    probes.push_back(tasks::commands::file_exists(tasks::assumed::emcmd_program(folder)));
  std::vector<CommandResult> found = n.read_batch(step, probes);
  for (std::size_t i = 0; i < folders.size(); ++i) {
    const std::string& folder = folders[i];
    std::string program = tasks::assumed::emcmd_program(folder);
    if (exists_in(found.at(i), step)) {
      if (!tried.empty())
        n.warn(step, "emcmd.exe is not at " + tried.front() + " (%ExtMirrBase%); using " + program);
      return folder;
    }
    tried.push_back(program);
  }
  // DataKeeper's installer sets %ExtMirrBase%: set, yet no emcmd.exe anywhere, is a
  // broken install or a wrong path, not an absent DataKeeper.
  if (!extmirrbase.empty()) {
    std::string all;
    for (const auto& t : tried) all += (all.empty() ? "" : " nor ") + t;
    throw StepFailure(step, "%ExtMirrBase% is " + extmirrbase + ", but neither " + all +
                                " exists: check the DataKeeper install, or set dk_extmirrbase "
                                "in the inventory to the folder that holds emcmd.exe");
  }
  return "";
}

// %SystemRoot% first: every Windows tool after it is run by its full path under it.
void apply_system_root(NodeSession& n, const CommandResult& r, const std::string& step) {
  const std::string var(tasks::assumed::kSystemRootVar);
  std::string value;
  // Windows compares variable names as it compares computer names: ASCII letters
  // case-insensitively.
  for (const auto& [name, v] : environment_in(r, step))
    if (system_name_key(name) == system_name_key(var)) value = v;
  if (value.empty())
    throw StepFailure(step,
                      "the node's environment has no %SystemRoot% (`set SystemRoot` "
                      "printed no SystemRoot=...): Windows' own tools cannot be found "
                      "safely; check the account's environment on the node");
  n.set_system_root(value);
}

void settle_system_root(NodeSession& n, const std::string& step) {
  apply_system_root(
      n,
      n.read(step, tasks::commands::show_environment(std::string(tasks::assumed::kSystemRootVar))),
      step);
}

std::vector<Command> install_variable_reads() {
  return {tasks::commands::show_environment(std::string(tasks::assumed::kLkRootVar).substr(0, 2)),
          tasks::commands::show_environment(std::string(tasks::assumed::kExtMirrBaseVar))};
}

// Whether the bytes the node sent were all ASCII: then no code page could have read them
// otherwise. A byte that did not decode comes back as the four characters \xNN
// (transports/codepage.h), so a backslash followed by x counts as not ASCII (a folder
// whose name holds "\x" costs one more read, never a wrong one).
bool sent_only_ascii(const CommandResult& r) {
  std::string text = r.stdout_utf8 + r.stderr_utf8;
  for (unsigned char c : text)
    if (c >= 0x80) return false;
  return text.find("\\x") == std::string::npos;
}

}  // namespace

void settle_console(NodeSession& n, const std::string& step) {
  settle_system_root(n, step);
  settle_codepage(n, step);
}

// The three variables in one line, read before the code page is known: output that is all
// ASCII reads the same in every code page a console can have (all of them extend ASCII), so
// %LK% and %ExtMirrBase% are kept when theirs is. Any other byte (a folder named outside
// ASCII) and both are read again once the code page is known: never a path decoded with a
// guess.
void settle_node(NodeSession& n, const std::string& step) {
  std::vector<Command> first{
      tasks::commands::show_environment(std::string(tasks::assumed::kSystemRootVar))};
  for (auto& c : install_variable_reads()) first.push_back(std::move(c));
  std::vector<CommandResult> read = n.read_batch(step, first);
  apply_system_root(n, read.at(0), step);
  settle_codepage(n, step);
  std::vector<CommandResult> sets{read.at(1), read.at(2)};
  if (!sent_only_ascii(sets[0]) || !sent_only_ascii(sets[1]))
    sets = n.read_batch(step, install_variable_reads());
  auto env = environment_in(sets.at(0), step);
  for (auto& [k, v] : environment_in(sets.at(1), step)) env[k] = v;
  tasks::InstallPaths p = tasks::resolve_install_paths(n.host(), env);
  if (!p.refusal.empty()) throw StepFailure(step, p.refusal);
  for (const auto& notice : p.notices) n.warn(step, notice);
  n.set_install_paths(p.lk_root, p.lk_bin, find_emcmd(n, step, p.extmirrbase));
}

}  // namespace lkr
