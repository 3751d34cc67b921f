#include "tasks/node_facts.h"

#include <algorithm>
#include <set>

#include "tasks/assumed_formats.h"
#include "tasks/node_commands.h"
#include "tasks/parsers/datakeeper_output.h"
#include "tasks/parsers/lifekeeper_lists.h"
#include "tasks/parsers/text_lines.h"
#include "tasks/parsers/windows_output.h"

namespace lkr::tasks {
namespace {

constexpr const char* kStep = "facts";

std::string failure_text(const std::string& what, const CommandResult& r) {
  return what + " failed with " + tasks::failure_text(r.exit_code, r.stderr_utf8, r.stdout_utf8);
}

bool no_output(const CommandResult& r) {
  return trim(r.stdout_utf8).empty() && trim(r.stderr_utf8).empty();
}

// Runs each read, judges it, and either throws (a plan needs every fact) or tells the
// observer and goes on (`lkrecover facts`).
bool same_command(const Command& a, const Command& b) {
  if (a.kind != b.kind || a.program != b.program || a.args.size() != b.args.size()) return false;
  for (std::size_t i = 0; i < a.args.size(); ++i)
    if (a.args[i].text != b.args[i].text) return false;
  return true;
}

class Reader {
 public:
  Reader(const ReadFn& read, const ReadManyFn& read_many, const FactsObserver& observer,
         std::vector<std::string>& notes)
      : read_(read), many_(read_many), observer_(observer), notes_(notes) {}

  // Runs `cs` at once where a ReadManyFn was given (one round trip), for the reads that
  // follow to take their results from; a read nobody takes was still made and audited.
  void prefetch(const std::vector<Command>& cs) {
    std::vector<Command> wanted;
    for (const Command& c : cs)
      if (!ready(c)) wanted.push_back(c);
    if (!many_ || wanted.size() < 2) return;
    std::vector<CommandResult> results = many_(kStep, wanted);
    for (std::size_t i = 0; i < wanted.size() && i < results.size(); ++i)
      ready_.emplace_back(wanted[i], std::move(results[i]));
  }

  // The result of `c`: prefetched, or read now.
  CommandResult fetch(const Command& c) {
    for (auto it = ready_.begin(); it != ready_.end(); ++it)
      if (same_command(it->first, c)) {
        CommandResult r = std::move(it->second);
        ready_.erase(it);
        return r;
      }
    return read_(kStep, c);
  }

  // `accept` says whether an exit code other than 0 is a valid answer for this output.
  template <typename T, typename Parse, typename Accept>
  T read(const std::string& what, const Command& c, Parse parse, Accept accept) {
    CommandResult r = fetch(c);
    FactsVerdict v{what, c, r, "", ""};
    T value{};
    try {
      if (r.truncated) throw OddOutput(what + ": output was cut off (too long)");
      if (r.exit_code != 0 && !accept(r)) throw OddOutput(failure_text(what, r));
      value = parse(r);
    } catch (const OddOutput& e) {
      if (!observer_) throw;
      v.problem = e.what();
      v.raw_line = e.line;
    }
    if (observer_) observer_(v);
    return value;
  }
  template <typename T, typename Parse>
  T read(const std::string& what, const Command& c, Parse parse) {
    return read<T>(what, c, parse, [](const CommandResult&) { return false; });
  }

  // An LCD listing: exit 0, or 7 with no output at all (E13; which one UNKNOWN).
  template <typename T, typename Parse>
  T listing(const std::string& what, const Command& c, Parse parse) {
    return read<T>(what, c, parse, [&](const CommandResult& r) {
      bool empty = r.exit_code == assumed::kLcdNoSuchObject && no_output(r);
      if (empty) notes_.push_back(what + " exited 7 with no output: read as an empty list");
      return empty;
    });
  }

  bool keeps_going() const { return static_cast<bool>(observer_); }

 private:
  bool ready(const Command& c) const {
    for (const auto& [command, result] : ready_)
      if (same_command(command, c)) return true;
    return false;
  }

  const ReadFn& read_;
  const ReadManyFn& many_;
  const FactsObserver& observer_;
  std::vector<std::string>& notes_;
  std::vector<std::pair<Command, CommandResult>> ready_;
};

// The three reads of one volume, in read_volume's order.
std::vector<Command> volume_reads(const Host& host, const std::string& volume) {
  return {commands::getjobinfoforvol(host, volume), commands::getmirrorvolinfo(host, volume),
          commands::lkdrinfo_exists(host, volume)};
}

// Every read gather_facts makes before it knows the volumes, and those of `volumes`.
std::vector<Command> first_reads(const Host& host, const std::vector<std::string>& volumes) {
  std::vector<Command> cs{commands::hostname(host), commands::sys_list(host),
                          commands::eqv_list(host), commands::net_list(host),
                          commands::ins_list(host), commands::reg_query_jobs(host)};
  if (host.dk_extmirrbase.empty()) return cs;
  for (const std::string& v : volumes)
    for (Command& c : volume_reads(host, v)) cs.push_back(std::move(c));
  return cs;
}

void add_volume_once(std::vector<std::string>& volumes, const std::string& v) {
  for (const auto& x : volumes)
    if (same_system(x, v)) return;
  volumes.push_back(v);
}

bool is_local(const NodeFacts& f, const std::string& system) {
  return same_system(system, f.local_system) || same_system(system, f.lifekeeper_name);
}

bool names_local_volume(const NodeFacts& f, const Job& j, const std::string& volume) {
  for (const MirrorEndpoint& e : j.endpoints) {
    auto sv = assumed::drive_of_volume_id(e.source_volume);
    auto tv = assumed::drive_of_volume_id(e.target_volume);
    if ((is_local(f, e.source) && sv && same_system(*sv, volume)) ||
        (is_local(f, e.target) && tv && same_system(*tv, volume)))
      return true;
  }
  return false;
}

// The drive letters of the volume resources and of the volumes the node's jobs name on
// the local system. An id that is no drive letter cannot be placed: refused.
std::vector<std::string> volumes_of(const NodeFacts& f) {
  std::vector<std::string> volumes;
  for (const Resource& r : f.resources) {
    if (r.app != assumed::kVolumeApp || r.type != assumed::kVolumeType) continue;
    auto drive = assumed::drive_of_volume_id(r.id);
    if (!drive)
      throw OddOutput("ins_list: volume resource \"" + r.tag + "\" has the id \"" + r.id +
                          "\", not a drive (E: or E): its DataKeeper state cannot be read",
                      r.tag);
    add_volume_once(volumes, *drive);
  }
  for (const Job& j : f.registry_jobs)
    for (const MirrorEndpoint& e : j.endpoints)
      for (auto [system, volume] :
           {std::pair{&e.source, &e.source_volume}, std::pair{&e.target, &e.target_volume}}) {
        if (!is_local(f, *system)) continue;
        auto drive = assumed::drive_of_volume_id(*volume);
        if (!drive)
          throw OddOutput("DataKeeper job " + j.id + " names volume \"" + *volume + "\" of " +
                              *system + ", not a drive letter",
                          *volume);
        add_volume_once(volumes, *drive);
      }
  return volumes;
}

// Every local tag of eqv_list must be a resource of ins_list (field 3): what shows that
// ins_list's fields were read in the right order.
void check_tags_placed(const NodeFacts& f) {
  std::set<std::string> tags;
  for (const Resource& r : f.resources) tags.insert(r.tag);
  for (const Equivalency& e : f.equivalencies) {
    if (is_local(f, e.system) && !tags.count(e.tag))
      throw OddOutput("ins_list: no resource has the tag \"" + e.tag +
                          "\" (field 3) that eqv_list names: the fields of ins_list are not in "
                          "the order this tool knows (" +
                          std::string(assumed::kInsListShape) + ")",
                      e.tag);
  }
}

// The jobs getjobinfoforvol lists for a volume, each with its registry tuples; a listed
// job with no registry key, or a registry job of the volume that is not listed, cannot be
// placed (two sources that disagree).
std::vector<Job> jobs_of_volume(const NodeFacts& f, const std::string& volume,
                                const std::vector<ListedJob>& listed) {
  std::vector<Job> jobs;
  for (const ListedJob& l : listed) {
    auto it = std::find_if(f.registry_jobs.begin(), f.registry_jobs.end(),
                           [&](const Job& j) { return same_system(j.id, l.id); });
    if (it == f.registry_jobs.end())
      throw OddOutput("emcmd getjobinfoforvol " + volume + " lists job " + l.id +
                          ", which has no registry key under " + std::string(assumed::kJobsKey),
                      l.id);
    Job j = *it;
    if (j.name.empty()) j.name = l.name;
    jobs.push_back(j);
  }
  for (const Job& j : f.registry_jobs) {
    bool listed_here = std::any_of(jobs.begin(), jobs.end(),
                                   [&](const Job& x) { return same_system(x.id, j.id); });
    if (!listed_here && names_local_volume(f, j, volume))
      throw OddOutput("registry job " + j.id + " names volume " + volume + " of " +
                          f.lifekeeper_name + ", but emcmd getjobinfoforvol " + volume +
                          " does not list it",
                      j.id);
  }
  return jobs;
}

VolumeFacts read_volume(const Host& host, Reader& reader, const NodeFacts& f,
                        const std::string& volume) {
  VolumeFacts v;
  v.volume = volume;
  auto listed = reader.read<std::vector<ListedJob>>(
      "emcmd getjobinfoforvol " + volume, commands::getjobinfoforvol(host, volume),
      [](const CommandResult& r) { return parse_job_info(r.stdout_utf8); });
  v.jobs = jobs_of_volume(f, volume, listed);
  // E12: Status = 15 (exit 15) where the volume has no mirror.
  v.mirrors = reader.read<std::vector<MirrorLine>>(
      "emcmd getmirrorvolinfo " + volume, commands::getmirrorvolinfo(host, volume),
      [](const CommandResult& r) { return parse_mirror_info(r.stdout_utf8); },
      [](const CommandResult& r) { return r.exit_code == assumed::kStatusNotMirrored; });
  v.lkdrinfo_present =
      reader.read<bool>("if exist LKDRInfo." + volume, commands::lkdrinfo_exists(host, volume),
                        [](const CommandResult& r) { return parse_if_exist(r.stdout_utf8); });
  return v;
}

// reg exits 1 with kRegKeyMissing where no job was ever made: no jobs.
bool jobs_key_missing(const CommandResult& r) {
  return r.exit_code == 1 && trim(r.stdout_utf8).empty() &&
         trim(r.stderr_utf8) == assumed::kRegKeyMissing;
}

std::string lifekeeper_name_of(const NodeFacts& f) {
  for (const auto& s : f.systems)
    if (same_system(s, f.local_system)) return s;
  return f.local_system;
}

// A check that throws; with an observer it is reported as the named command's verdict.
template <typename Check>
void placed(const Reader& reader, const FactsObserver& observer, const std::string& what,
            Check check) {
  try {
    check();
  } catch (const OddOutput& e) {
    if (!reader.keeps_going()) throw;
    observer(FactsVerdict{what, Command{}, CommandResult{}, e.what(), e.line});
  }
}

}  // namespace

NodeFacts gather_facts(const Host& host, const ReadFn& read, const FactsObserver& observer,
                       const ReadManyFn& read_many, const std::vector<std::string>& volumes_hint) {
  NodeFacts f;
  Reader reader(read, read_many, observer, f.notes);
  reader.prefetch(first_reads(host, volumes_hint));
  f.local_system = reader.read<std::string>(
      "hostname", commands::hostname(host),
      [](const CommandResult& r) { return parse_hostname(r.stdout_utf8); });
  CommandResult systems = reader.fetch(commands::sys_list(host));
  if (systems.exit_code != 0) {
    f.lifekeeper_problem = failure_text("sys_list", systems);
    if (observer)
      observer(
          FactsVerdict{"sys_list", commands::sys_list(host), systems, f.lifekeeper_problem, ""});
    return f;
  }
  f.lifekeeper_answers = true;
  placed(reader, observer, "sys_list", [&] {
    if (systems.truncated) throw OddOutput("sys_list: output was cut off (too long)");
    f.systems = parse_sys_list(systems.stdout_utf8);
  });
  if (observer) observer(FactsVerdict{"sys_list", commands::sys_list(host), systems, "", ""});
  f.lifekeeper_name = lifekeeper_name_of(f);
  const char sep = assumed::kFieldSeparator;
  f.equivalencies = reader.listing<std::vector<Equivalency>>(
      "eqv_list", commands::eqv_list(host),
      [&](const CommandResult& r) { return parse_eqv_list(r.stdout_utf8, sep); });
  f.comm_paths = reader.listing<std::vector<CommPath>>(
      "net_list", commands::net_list(host), [&](const CommandResult& r) {
        return parse_net_list(r.stdout_utf8, sep, f.lifekeeper_name);
      });
  f.resources = reader.listing<std::vector<Resource>>(
      "ins_list", commands::ins_list(host),
      [&](const CommandResult& r) { return parse_ins_list(r.stdout_utf8, sep); });
  placed(reader, observer, "ins_list", [&] { check_tags_placed(f); });
  f.registry_jobs = reader.read<std::vector<Job>>(
      "reg query (DataKeeper jobs)", commands::reg_query_jobs(host),
      [](const CommandResult& r) {
        return jobs_key_missing(r) ? std::vector<Job>{} : parse_registry_jobs(r.stdout_utf8);
      },
      jobs_key_missing);
  std::vector<std::string> volumes;
  placed(reader, observer, "volumes", [&] {
    volumes = volumes_of(f);
    if (!volumes.empty() && host.dk_extmirrbase.empty())
      throw OddOutput(
          std::to_string(volumes.size()) +
          " volume(s) are protected or mirrored here, but DataKeeper's emcmd.exe was not found "
          "(%ExtMirrBase% is not set and neither standard folder holds it): set "
          "dk_extmirrbase in the inventory");
  });
  std::vector<Command> reads;
  if (!host.dk_extmirrbase.empty())
    for (const std::string& volume : volumes)
      for (Command& c : volume_reads(host, volume)) reads.push_back(std::move(c));
  reader.prefetch(reads);
  for (const std::string& volume : volumes) {
    VolumeFacts v;
    placed(reader, observer, "volume " + volume, [&] { v = read_volume(host, reader, f, volume); });
    f.volumes.push_back(v);
  }
  return f;
}

const VolumeFacts* find_volume(const NodeFacts& facts, const std::string& volume) {
  for (const auto& v : facts.volumes)
    if (same_system(v.volume, volume)) return &v;
  return nullptr;
}

}  // namespace lkr::tasks
