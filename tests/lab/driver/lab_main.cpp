// `lab`: drives the simulated LifeKeeper for Windows clusters of LAB.md.
//   lab up SCENARIO.json [--state DIR] [--inventory OUT.yml] [--subnet 127.N] [--rtt-ms R]
//   lab down [--state DIR]
//   lab dump|restart NODE [--state DIR]
//   lab fault NODE [--state DIR] ...
#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "tests/lab/driver/lab_down.h"
#include "tests/lab/driver/lab_record.h"
#include "tests/lab/driver/lab_up.h"
#include "tests/lab/node/node_ops.h"

namespace po = boost::program_options;

namespace {

const char* kUsage =
    "usage: lab COMMAND [options]   (lab COMMAND --help for details)\n"
    "  up SCENARIO.json   start every node of the scenario's clusters, write an inventory\n"
    "  down               stop every process the lab started\n"
    "  dump NODE          print the node's state (LAB.md dump format)\n"
    "  restart NODE       simulated reboot: the in-memory database is reloaded from disk\n"
    "  fault NODE ...     inject a fault, set a latency, or clear the faults\n"
    "NODE is a LifeKeeper system name, or CLUSTER/SYSTEM when the name is in several clusters.\n";

struct Parsed {
  po::variables_map vars;
  bool help = false;
};

// Parses one subcommand's arguments; prints its help when asked.
Parsed parse(const std::vector<std::string>& args, po::options_description& opts,
             const po::positional_options_description& positional, const std::string& usage) {
  opts.add_options()("help,h", "show this help");
  Parsed p;
  po::store(po::command_line_parser(args).options(opts).positional(positional).run(), p.vars);
  po::notify(p.vars);
  if (p.vars.count("help")) {
    std::cout << usage << "\n" << opts;
    p.help = true;
  }
  return p;
}

int cmd_up(const std::vector<std::string>& args) {
  lab::UpOptions o;
  po::options_description opts("lab up options");
  opts.add_options()("scenario", po::value(&o.scenario_path), "scenario file (LAB.md format)")(
      "state", po::value(&o.state_dir)->default_value("./lab-state"), "state folder of the lab")(
      "inventory", po::value(&o.inventory_path),
      "where to write the inventory (default STATE/inventory.yml)")(
      "subnet", po::value(&o.subnet), "127.N: replaces the first two octets of every node address")(
      "lab-cmd", po::value(&o.lab_cmd_path), "the cmd.exe emulator (default: lab-cmd next to lab)")(
      "rtt-ms", po::value(&o.rtt_ms),
      "network round trip to every node in ms, through the lab's delay proxy (default: the "
      "scenario's \"rtt_ms\", else 0: no proxy)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  auto p = parse(args, opts, pos,
                 "lab up SCENARIO.json [--state DIR] [--inventory OUT.yml] [--subnet 127.N]"
                 " [--rtt-ms R]\n"
                 "Starts one sshd per node (ForceCommand: lab-cmd), each node on its own loopback\n"
                 "address, and writes STATE/lab.json, a client key, known_hosts and an Ansible\n"
                 "inventory with one group per cluster. With R > 0, one lab-delay-proxy listens\n"
                 "where clients reach each node and delays every chunk by R/2 ms each way.");
  if (p.help) return 0;
  if (o.scenario_path.empty())
    throw std::runtime_error("a scenario file is required (see lab up --help)");
  if (p.vars.count("rtt-ms") && o.rtt_ms < 0)
    throw std::runtime_error("--rtt-ms must be 0 or more (see lab up --help)");
  auto start = std::chrono::steady_clock::now();
  lab::LabRecord r = lab::lab_up(o);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start);
  std::cout << "lab up: " << r.nodes.size() << " nodes running in " << ms.count() << " ms\n"
            << "  state:       " << r.state_dir << "\n"
            << "  inventory:   " << r.inventory << "\n"
            << "  client key:  " << r.client_key << "\n"
            << "  known_hosts: " << r.known_hosts << "\n";
  if (!r.krb5_config.empty())  // Kerberos clients find the lab's KDC through it
    std::cout << "  kerberos:    realm " << r.kerberos_realm << ", KDC pid " << r.kdc_pid
              << "; export KRB5_CONFIG=" << r.krb5_config << "\n";
  if (r.delay_proxy_pid > 0)
    std::cout << "  round trip:  " << r.rtt_ms << " ms to every node, delay proxy pid "
              << r.delay_proxy_pid << "\n";
  for (const auto& n : r.nodes)
    std::cout << "  " << n.cluster << "/" << n.system << "  " << n.address << ":" << n.port
              << "  pid " << n.pid << "\n";
  return 0;
}

int cmd_down(const std::vector<std::string>& args) {
  std::string state;
  po::options_description opts("lab down options");
  opts.add_options()("state", po::value(&state)->default_value("./lab-state"),
                     "state folder of the lab");
  auto p = parse(args, opts, {},
                 "lab down [--state DIR]\nStops every node's sshd and everything it runs "
                 "(SIGTERM, then SIGKILL). Safe to repeat.");
  if (p.help) return 0;
  int stopped = lab::lab_down(state);
  std::cout << "lab down: stopped " << stopped << " process" << (stopped == 1 ? "" : "es") << "\n";
  return 0;
}

struct NodeArgs {
  std::string node, state;
};

void add_node_options(po::options_description& opts, NodeArgs& a) {
  opts.add_options()("node", po::value(&a.node), "system name or CLUSTER/SYSTEM")(
      "state", po::value(&a.state)->default_value("./lab-state"), "state folder of the lab");
}

std::string node_dir_of(const NodeArgs& a, const char* command) {
  if (a.node.empty())
    throw std::runtime_error(std::string("NODE is required (see lab ") + command + " --help)");
  return lab::resolve_node(lab::load_lab_record(a.state), a.node).node_dir;
}

int cmd_dump(const std::vector<std::string>& args) {
  NodeArgs a;
  po::options_description opts("lab dump options");
  add_node_options(opts, a);
  po::positional_options_description pos;
  pos.add("node", 1);
  if (parse(args, opts, pos,
            "lab dump NODE [--state DIR]\nPrints the node's state as JSON (LAB.md "
            "\"Dump\"): both databases, registry jobs, mirrors, files, journal, "
            "violations.")
          .help)
    return 0;
  std::cout << lab::dump_node(node_dir_of(a, "dump")).dump(2) << "\n";
  return 0;
}

int cmd_restart(const std::vector<std::string>& args) {
  NodeArgs a;
  po::options_description opts("lab restart options");
  add_node_options(opts, a);
  po::positional_options_description pos;
  pos.add("node", 1);
  if (parse(args, opts, pos,
            "lab restart NODE [--state DIR]\nA simulated reboot: the in-memory "
            "database is reloaded from disk, so changes not written by lcdsync "
            "are lost.")
          .help)
    return 0;
  lab::restart_node(node_dir_of(a, "restart"));
  std::cout << "lab restart: " << a.node << " restarted\n";
  return 0;
}

int cmd_fault(const std::vector<std::string>& args) {
  NodeArgs a;
  lab::Fault f;
  f.command = "*";
  int fail_rc = -1, delay = -1, latency = -1;
  long long flood = -1;
  po::options_description opts("lab fault options");
  add_node_options(opts, a);
  opts.add_options()("command", po::value(&f.command),
                     "command it applies to (default: every command)")(
      "match", po::value(&f.match), "only when the command line contains this text")(
      "fail", po::value(&fail_rc), "the command fails with this exit code")(
      "message", po::value(&f.message), "with --fail: the error message")(
      "delay", po::value(&delay), "the command is delayed by this many ms")(
      "hang", "the command never finishes")("garbage", "the command prints garbage")(
      "drop", "the connection is dropped in the middle of the command")(
      "flood", po::value(&flood), "the command prints this many bytes of filler lines first")(
      "line-bytes", po::value(&f.flood_line_bytes), "with --flood: bytes a line (default 1 MiB)")(
      "no-apply", "with --drop/--garbage: the command's effect does not happen")(
      "times", po::value(&f.times), "how many times it fires (default: always)")(
      "skip", po::value(&f.skip), "let this many matching commands through first (default 0)")(
      "latency", po::value(&latency), "ms added to every command on the node")(
      "clear", "remove every fault of the node (latency included)");
  po::positional_options_description pos;
  pos.add("node", 1);
  auto p =
      parse(args, opts, pos,
            "lab fault NODE [--command NAME] [--match TEXT] (--fail RC [--message M] | --delay MS"
            " | --hang | --garbage | --drop [--no-apply] | --flood BYTES [--line-bytes N])"
            " [--times N] [--skip N]\n"
            "lab fault NODE --latency MS\nlab fault NODE --clear");
  if (p.help) return 0;
  const auto& v = p.vars;
  int kinds = (fail_rc >= 0) + (delay >= 0) + (flood >= 0) +
              static_cast<int>(v.count("hang") + v.count("garbage") + v.count("drop") +
                               (latency >= 0) + v.count("clear"));
  if (kinds != 1)
    throw std::runtime_error(
        "lab fault: give exactly one of --fail, --delay, --hang, --garbage, "
        "--drop, --flood, --latency, --clear");
  if (f.skip < 0) throw std::runtime_error("lab fault: --skip must be 0 or more");
  std::string dir = node_dir_of(a, "fault");
  if (v.count("clear")) {
    lab::clear_faults(dir);
    lab::set_latency(dir, 0);
  } else if (latency >= 0) {
    lab::set_latency(dir, latency);
  } else {
    f.kind = fail_rc >= 0         ? "fail"
             : delay >= 0         ? "delay"
             : v.count("hang")    ? "hang"
             : v.count("garbage") ? "garbage"
             : flood >= 0         ? "flood"
                                  : "drop";
    f.flood_bytes = flood >= 0 ? flood : 0;
    f.rc = fail_rc >= 0 ? fail_rc : 1;
    f.delay_ms = delay >= 0 ? delay : 0;
    f.apply = !v.count("no-apply");
    lab::arm_fault(dir, f);
  }
  std::cout << "lab fault: " << a.node << " updated\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "up") return cmd_up(args);
    if (command == "down") return cmd_down(args);
    if (command == "dump") return cmd_dump(args);
    if (command == "restart") return cmd_restart(args);
    if (command == "fault") return cmd_fault(args);
    std::cerr << "lab: unknown command \"" << command << "\"\n" << kUsage;
    return 2;
  } catch (const po::error& e) {
    std::cerr << "lab " << command << ": " << e.what() << " (see lab " << command << " --help)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "lab " << command << ": " << e.what() << "\n";
    return 1;
  }
}
