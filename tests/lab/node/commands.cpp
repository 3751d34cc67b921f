#include "tests/lab/node/commands.h"

#include <map>

#include "tests/lab/node/environment.h"

namespace lab {

CommandHandler find_builtin(const std::string& lower_name) {
  static const std::map<std::string, CommandHandler> builtins = {
      {"cd", cmd_cd},     {"chdir", cmd_cd}, {"del", cmd_del},
      {"erase", cmd_del}, {"dir", cmd_dir},  {"echo", cmd_echo},
      {"type", cmd_type}, {"rem", cmd_rem},  {"set", cmd_set}};
  auto it = builtins.find(lower_name);
  return it == builtins.end() ? nullptr : it->second;
}

CommandHandler find_program(const std::string& name) {
  static const std::map<std::string, CommandHandler> programs = {{"eqv_list", lk_eqv_list},
                                                                 {"eqv_remove", lk_eqv_remove},
                                                                 {"sys_list", lk_sys_list},
                                                                 {"sys_remove", lk_sys_remove},
                                                                 {"net_list", lk_net_list},
                                                                 {"net_remove", lk_net_remove},
                                                                 {"lcdsync", lk_lcdsync},
                                                                 {"ins_list", lk_ins_list},
                                                                 {"ins_remove", lk_ins_remove},
                                                                 {"emcmd", dk_emcmd},
                                                                 {"reg", win_reg},
                                                                 {"certutil", win_certutil},
                                                                 {"chcp", prog_chcp},
                                                                 {"hostname", prog_hostname}};
  auto it = programs.find(name);
  return it == programs.end() ? nullptr : it->second;
}

}  // namespace lab
