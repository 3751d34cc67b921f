// The commands a node runs: cmd's built-ins and the installed programs, by name.
#pragma once

#include <string>

#include "tests/lab/node/command_context.h"

namespace lab {

// cmd built-ins (cd, chdir, del, erase, dir, echo, type, rem, set); nullptr when not one.
CommandHandler find_builtin(const std::string& lower_name);

// Installed programs by InstalledProgram::name ("eqv_list", "emcmd", "reg", ...).
CommandHandler find_program(const std::string& name);

// Per family (builtins.cpp, lk_commands.cpp, emcmd_command.cpp, reg_command.cpp,
// certutil_command.cpp).
int cmd_cd(CommandContext& c);
int cmd_del(CommandContext& c);
int cmd_dir(CommandContext& c);
int cmd_echo(CommandContext& c);
int cmd_type(CommandContext& c);
int cmd_rem(CommandContext& c);
int prog_chcp(CommandContext& c);
int prog_hostname(CommandContext& c);
int lk_eqv_list(CommandContext& c);
int lk_eqv_remove(CommandContext& c);
int lk_sys_list(CommandContext& c);
int lk_sys_remove(CommandContext& c);
int lk_net_list(CommandContext& c);
int lk_net_remove(CommandContext& c);
int lk_lcdsync(CommandContext& c);
int lk_ins_list(CommandContext& c);
int lk_ins_remove(CommandContext& c);
int dk_emcmd(CommandContext& c);
int win_reg(CommandContext& c);
int win_certutil(CommandContext& c);

}  // namespace lab
