// Ansible's other inventory forms: INI, ranges, group_vars/host_vars, and what only Ansible
// can resolve (templates, vault, scripts), which is refused with file:line and the command.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "inventory/ini_inventory.h"
#include "inventory/inventory.h"
#include "inventory/inventory_sources.h"
#include "tests/unit/inventory/inventory_file.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using lkr::test::InventoryFile;
namespace fs = std::filesystem;

namespace {

std::string load_error(const std::string& path) {
  try {
    lkr::load_inventory(path);
  } catch (const lkr::InventoryError& e) {
    return e.what();
  }
  FAIL("the inventory loaded without error");
  return "";
}

std::string command_for(const std::string& path) {
  return "`ansible-inventory -i " + path + " --list --export -y > resolved.yml`";
}

std::vector<std::string> host_names(const lkr::Cluster& c) {
  std::vector<std::string> names;
  for (const auto& h : c.hosts) names.push_back(h.name);
  return names;
}

// A folder with an inventory and its group_vars/, removed afterwards.
struct InventoryDir {
  static inline int made = 0;  // several at once in one test: each its own folder
  fs::path dir = fs::temp_directory_path() /
                 ("lkr-invdir-" + std::to_string(getpid()) + "-" + std::to_string(++made));
  InventoryDir() { fs::create_directories(dir / "group_vars"); }
  ~InventoryDir() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

const char* kIniCluster =
    "[sql]\n"
    "n1 ansible_host=10.0.0.1\n"
    "n2 ansible_host=10.0.0.2\n"
    "[sql:vars]\n"
    "lk_cluster=true\n"
    "lk_replaced=n2\n";

}  // namespace

TEST_CASE("INI: ranges with leading zeros, letters and steps, children and vars") {
  InventoryFile file(
      "[a]\nnode[01:03] ansible_user=op\n[b]\nweb[a:e:2]:2022\n"
      "[clu:children]\na\nb\n[clu:vars]\nlk_cluster=true\nlk_replaced=webc\n",
      ".ini");
  lkr::Inventory inv = lkr::load_inventory(file.path());
  REQUIRE(inv.clusters.size() == 1);
  CHECK(host_names(inv.clusters[0]) ==
        std::vector<std::string>{"node01", "node02", "node03", "weba", "webc", "webe"});
  CHECK(inv.clusters[0].hosts[0].user == "op");
  CHECK(inv.clusters[0].hosts[3].port == 2022);
  CHECK(inv.clusters[0].hosts[0].source == file.at("node[01:03]"));
}

TEST_CASE("YAML host keys are ranges too") {
  InventoryFile file(
      "all:\n  children:\n    clu:\n      vars: {lk_cluster: true, lk_replaced: db4}\n"
      "      hosts:\n        db[0:4:2]:\n");
  lkr::Inventory inv = lkr::load_inventory(file.path());
  CHECK(host_names(inv.clusters.at(0)) == std::vector<std::string>{"db0", "db2", "db4"});
}

TEST_CASE("a malformed host range names file:line") {
  auto [text, why] = GENERATE(
      std::pair<std::string, std::string>{"node[01:3]", "begin and end must have the same width"},
      std::pair<std::string, std::string>{"node[1:]", "has no end"},
      std::pair<std::string, std::string>{"node[1:2:3:4]", "must be begin:end or begin:end:step"},
      std::pair<std::string, std::string>{"node[a:9]", "is not a number or a letter"});
  InventoryFile file(std::string("[clu]\n") + text + "\n[clu:vars]\nlk_cluster=true\n", ".ini");
  std::string e = load_error(file.path());
  CHECK_THAT(e, StartsWith(file.at(text) + ": "));
  CHECK_THAT(e, Contains(why));
}

TEST_CASE("Jinja templates are refused, never taken literally") {
  SECTION("YAML") {
    InventoryFile file(
        "all:\n  children:\n    clu:\n      vars: {lk_cluster: true, lk_replaced: n1}\n"
        "      hosts:\n        n1:\n          ansible_user: \"{{ lookup('env','X') }}\"\n");
    CHECK(load_error(file.path()) ==
          file.at("ansible_user") +
              ": host \"n1\": ansible_user is a Jinja template, which only Ansible evaluates; "
              "lkrecover does not run Ansible: write the inventory out with " +
              command_for(file.path()) +
              ", put the plain value in place of this one (ansible-inventory keeps templates "
              "and vault values as they are), and pass -i resolved.yml");
  }
  SECTION("INI, a {% %} block") {
    InventoryFile file(std::string(kIniCluster) + "ansible_password={% if x %}a{% endif %}\n",
                       ".ini");
    std::string e = load_error(file.path());
    CHECK_THAT(e, StartsWith(file.at("ansible_password") + ": host \"n1\": ansible_password " +
                             "is a Jinja template"));
    CHECK_THAT(e, Contains(command_for(file.path())));
  }
}

TEST_CASE("vault values are refused: !vault, and $ANSIBLE_VAULT in a group_vars file") {
  SECTION("!vault in the inventory") {
    InventoryFile file(
        "all:\n  children:\n    clu:\n      vars: {lk_cluster: true, lk_replaced: n1}\n"
        "      hosts:\n        n1:\n          ansible_password: !vault |\n"
        "            $ANSIBLE_VAULT;1.1;AES256\n            6231\n");
    std::string e = load_error(file.path());
    CHECK_THAT(e, StartsWith(file.at("ansible_password") + ": host \"n1\": ansible_password " +
                             "is vault-encrypted (!vault)"));
    CHECK_THAT(e, Contains(command_for(file.path())));
  }
  SECTION("an encrypted group_vars file names itself and the inventory's command") {
    InventoryDir d;
    std::string inventory = d.write("hosts.ini", kIniCluster);
    std::string vars = d.write("group_vars/sql.yml", "$ANSIBLE_VAULT;1.1;AES256\n3133\n");
    std::string e = load_error(inventory);
    CHECK_THAT(e, StartsWith(vars + ":1: the file is vault-encrypted"));
    CHECK_THAT(e, Contains(command_for(vars)));
  }
}

TEST_CASE("a template lkrecover never reads (another host's, another variable) is left alone") {
  InventoryFile file(std::string(kIniCluster) + "ansible_python_interpreter={{ x }}\n" +
                         "[local]\nlocalhost ansible_user=\"{{ y }}\"\n",
                     ".ini");
  CHECK(lkr::load_inventory(file.path()).clusters.at(0).hosts.size() == 2);
}

TEST_CASE("lk_cluster as a template is refused as such, not as a bad boolean") {
  InventoryFile file("[sql]\nn1\nn2\n[sql:vars]\nlk_cluster={{ on }}\n", ".ini");
  CHECK_THAT(load_error(file.path()),
             StartsWith(file.at("lk_cluster") +
                        ": group \"sql\": lk_cluster is a Jinja template, which only Ansible"));
}

TEST_CASE("executable inventories are refused before anything runs") {
  SECTION("mode +x") {
    InventoryFile file(kIniCluster, ".ini");
    ::chmod(file.path().c_str(), 0755);
    CHECK(load_error(file.path()) ==
          file.path() +
              ":1: the file is executable: a dynamic inventory script, which only Ansible "
              "runs; lkrecover does not run Ansible: write the inventory out with " +
              command_for(file.path()) + " and pass -i resolved.yml");
  }
  SECTION("a #! line") {
    InventoryFile file("#!/usr/bin/env python3\nprint('{}')\n", ".py");
    std::string e = load_error(file.path());
    CHECK_THAT(e, StartsWith(file.path() + ":1: the file starts with #!"));
    CHECK_THAT(e, Contains(command_for(file.path())));
  }
}

TEST_CASE("duplicate keys warn with file:line, the last one winning") {
  SECTION("YAML") {
    InventoryFile file(
        "all:\n  children:\n    clu:\n      vars:\n        lk_cluster: true\n"
        "        lk_replaced: n1\n      hosts:\n        n1:\n          ansible_user: first\n"
        "          ansible_user: second\n        n2:\n");
    lkr::Inventory inv = lkr::load_inventory(file.path());
    CHECK(inv.clusters.at(0).hosts.at(0).user == "second");
    REQUIRE(inv.warnings.size() == 1);
    CHECK(inv.warnings[0] == file.at("ansible_user: second") +
                                 ": duplicate host \"n1\" variable key \"ansible_user\": the "
                                 "last one wins; remove one of them");
  }
  SECTION("INI") {
    InventoryFile file(std::string(kIniCluster) + "lk_replaced=n1\n", ".ini");
    lkr::Inventory inv = lkr::load_inventory(file.path());
    CHECK(inv.clusters.at(0).replaced == "n1");
    REQUIRE(inv.warnings.size() == 1);
    CHECK(inv.warnings[0] == file.at("lk_replaced=n1") +
                                 ": duplicate variable \"lk_replaced\": the last one wins; "
                                 "remove one of them");
  }
}

TEST_CASE("INI errors name file:line") {
  SECTION("a host variable without =") {
    InventoryFile file("[clu]\nn1 ansible_user\n", ".ini");
    CHECK(load_error(file.path()) ==
          file.at("n1 ansible_user") +
              ": expected key=value host variable assignment, got \"ansible_user\"");
  }
  SECTION(":vars for a group defined nowhere") {
    InventoryFile file(std::string(kIniCluster) + "[sq:vars]\nansible_user=x\n", ".ini");
    CHECK_THAT(load_error(file.path()),
               StartsWith(file.at("[sq:vars]") + ": [sq:vars] is for a group defined nowhere"));
  }
}

TEST_CASE("group_vars/ beside the inventory rank above the inventory's own group vars") {
  InventoryDir d;
  std::string inventory = d.write("hosts.ini", std::string(kIniCluster) + "ansible_user=file\n");
  std::string vars = d.write("group_vars/sql.yml", "ansible_user: group_vars\n");
  lkr::Inventory inv = lkr::load_inventory(inventory);
  CHECK(inv.clusters.at(0).hosts.at(0).user == "group_vars");
}

TEST_CASE("a host's own value does not leak into its group's other hosts") {
  // yaml-cpp nodes are shared handles: resolving n1 must not rewrite the group's value.
  InventoryFile file(
      "all:\n  children:\n    clu:\n      vars: {lk_cluster: true, lk_replaced: n2, "
      "ansible_user: group}\n      hosts:\n        n1: {ansible_user: own}\n        n2:\n");
  lkr::Inventory inv = lkr::load_inventory(file.path());
  CHECK(inv.clusters.at(0).hosts.at(0).user == "own");
  CHECK(inv.clusters.at(0).hosts.at(1).user == "group");
}

TEST_CASE("without -i, ANSIBLE_INVENTORY names the sources; -i wins over it") {
  ::setenv("ANSIBLE_INVENTORY", "a.yml, inventories/b.ini", 1);
  CHECK(lkr::inventory_sources({}) == std::vector<std::string>{"a.yml", "inventories/b.ini"});
  CHECK(lkr::inventory_sources({"x.ini", "y.yml"}) == std::vector<std::string>{"x.ini", "y.yml"});
  ::unsetenv("ANSIBLE_INVENTORY");
}

TEST_CASE("several sources merge: a group's hosts and variables from both") {
  InventoryFile yaml(
      "all:\n  children:\n    sql:\n      hosts:\n        n1: {ansible_port: 2201}\n");
  InventoryFile ini(kIniCluster, ".ini");
  lkr::Inventory inv = lkr::load_inventory(std::vector<std::string>{yaml.path(), ini.path()});
  REQUIRE(inv.clusters.size() == 1);
  CHECK(inv.clusters[0].hosts.at(0).port == 2201);
  CHECK(inv.clusters[0].hosts.at(0).address == "10.0.0.1");
  CHECK(inv.clusters[0].hosts.at(0).source == yaml.at("n1:"));
  CHECK(inv.path == yaml.path() + "," + ini.path());
}

TEST_CASE("INI values as Ansible's literal_eval reads them") {
  CHECK(lkr::ini_value("\"C:\\\\LK\\\\Bin\"").Scalar() == "C:\\LK\\Bin");  // escapes resolved
  CHECK(lkr::ini_value("'C:\\LK'").Scalar() == "C:\\LK");                  // unknown escape kept
  CHECK(lkr::ini_value("['a', 1]").size() == 2);                           // a list
  CHECK(lkr::ini_value("[a, b]").Scalar() == "[a, b]");  // bare words: not a literal, text
  CHECK(lkr::ini_value("{{ x }}").Scalar() == "{{ x }}");
  CHECK(lkr::ini_value("22").Scalar() == "22");
}

TEST_CASE("a file with no extension that is neither INI nor YAML gives both reasons") {
  InventoryFile file("all:\n  children: [\n  bad\n", "");
  std::string e = load_error(file.path());
  CHECK_THAT(e, StartsWith(file.path() + ":"));
  CHECK_THAT(e, Contains("(read as INI; as YAML, line "));
}

TEST_CASE("a host list `-i HOST,HOST:PORT,` adds ungrouped hosts; a range in it is refused") {
  InventoryFile yaml(
      "all:\n  children:\n    sql:\n      vars: {lk_cluster: true, lk_replaced: n2}\n"
      "      hosts:\n        n1:\n        n2:\n");
  lkr::Inventory inv = lkr::load_inventory(std::vector<std::string>{yaml.path(), "x1, x2:2202,"});
  REQUIRE(inv.groups.count("ungrouped"));
  CHECK(inv.groups.at("ungrouped") == std::vector<std::string>{"x1", "x2"});
  CHECK(inv.clusters.at(0).hosts.size() == 2);  // the list adds no host to a cluster

  try {
    lkr::load_inventory(std::vector<std::string>{yaml.path(), "node[1:3],"});
    FAIL("a range in a host list loaded");
  } catch (const lkr::InventoryError& e) {
    CHECK_THAT(e.what(), StartsWith("-i node[1:3],: \"node[1:3]\" is a host range"));
  }
  try {
    lkr::load_inventory(std::vector<std::string>{"n1,n2,"});
    FAIL("a host list alone made a cluster");
  } catch (const lkr::InventoryError& e) {
    CHECK_THAT(e.what(), Contains("no cluster") && Contains("`ungrouped`, which is no cluster"));
  }
}

TEST_CASE("--playbook-dir: its group_vars/ rank above the inventory's, its host_vars/ above all") {
  InventoryDir inv_dir, playbook;
  std::string inventory = inv_dir.write("hosts.ini", kIniCluster);
  inv_dir.write("group_vars/sql.yml", "ansible_user: inventory_side\nansible_port: 2201\n");
  playbook.write("group_vars/all.yml", "ansible_user: playbook_all\n");  // below inventory's sql
  playbook.write("group_vars/sql.yml", "ansible_port: 2202\n");
  fs::create_directories(playbook.dir / "host_vars");
  playbook.write("host_vars/n1.yml", "ansible_port: 2203\n");
  lkr::Inventory without = lkr::load_inventory(std::vector<std::string>{inventory});
  CHECK(without.clusters.at(0).hosts.at(0).port == 2201);
  lkr::Inventory with =
      lkr::load_inventory(std::vector<std::string>{inventory}, playbook.dir.string());
  const auto& hosts = with.clusters.at(0).hosts;
  CHECK(hosts.at(0).user == "inventory_side");
  CHECK(hosts.at(0).port == 2203);
  CHECK(hosts.at(1).port == 2202);
}

TEST_CASE("--playbook-dir: a folder that is not there, and a template in it, say what to do") {
  InventoryDir inv_dir, playbook;
  std::string inventory = inv_dir.write("hosts.ini", kIniCluster);
  try {
    lkr::load_inventory(std::vector<std::string>{inventory}, (playbook.dir / "nope").string());
    FAIL("a missing playbook folder was accepted");
  } catch (const lkr::InventoryError& e) {
    CHECK_THAT(e.what(), StartsWith("--playbook-dir " + (playbook.dir / "nope").string() +
                                    ": no such folder"));
  }
  std::string vars = playbook.write("group_vars/sql.yml", "ansible_user: \"{{ admin }}\"\n");
  try {
    lkr::load_inventory(std::vector<std::string>{inventory}, playbook.dir.string());
    FAIL("a template in the playbook's group_vars was taken");
  } catch (const lkr::InventoryError& e) {
    CHECK_THAT(e.what(), StartsWith(vars + ":1:"));
    CHECK_THAT(e.what(), Contains("`ansible-inventory -i " + inventory + " --playbook-dir " +
                                  playbook.dir.string() + " --list --export -y > resolved.yml`"));
  }
}

TEST_CASE("the playbook folder: --playbook-dir, else ANSIBLE_PLAYBOOK_DIR, else none") {
  ::unsetenv("ANSIBLE_PLAYBOOK_DIR");
  ::setenv("ANSIBLE_CONFIG", "/nonexistent/ansible.cfg", 1);
  CHECK(lkr::playbook_dir_source("") == "");
  ::setenv("ANSIBLE_PLAYBOOK_DIR", "/srv/plays", 1);
  CHECK(lkr::playbook_dir_source("") == "/srv/plays");
  CHECK(lkr::playbook_dir_source("/opt/site") == "/opt/site");
  ::unsetenv("ANSIBLE_PLAYBOOK_DIR");
  ::unsetenv("ANSIBLE_CONFIG");
}

TEST_CASE("OpenSSH options (ProxyJump) are refused on SSH hosts, never dropped") {
  for (const std::string name :
       {"ansible_ssh_common_args", "ansible_ssh_extra_args", "ansible_ssh_args"}) {
    INFO(name);
    InventoryFile file(
        std::string(kIniCluster) + "[sql:vars]\n" + name + "='-o ProxyJump=jump.example.test'\n",
        ".ini");
    std::string e = load_error(file.path());
    CHECK_THAT(e, StartsWith(file.at(name) + ": host \"n1\": " + name +
                             " \"-o ProxyJump=jump.example.test\" is not supported"));
    CHECK_THAT(e, Contains("set " + name + " to \"\""));
  }
  SECTION("an empty value is none, and a WinRM host does not read it") {
    InventoryFile file(
        "all:\n  vars: {ansible_ssh_common_args: '-o ProxyJump=j'}\n  children:\n"
        "    sql:\n      vars: {lk_cluster: true, lk_replaced: n2, ansible_ssh_common_args: ''}\n"
        "      hosts:\n        n1:\n        n2:\n    other:\n      vars: {lk_cluster: true, "
        "lk_replaced: w2, ansible_connection: winrm}\n      hosts:\n        w1:\n        w2:\n");
    lkr::Inventory inv = lkr::load_inventory(file.path());
    CHECK(inv.clusters.size() == 2);
  }
}
