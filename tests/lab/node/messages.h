// Every text the node prints that a real Windows/LifeKeeper/DataKeeper would word, in one
// table with its English and Japanese forms (a node on code page 932 speaks Japanese).
// Texts the sources do not give are invented in the pattern of the runbook's error 424
// and marked ASSUMED here, so they can be corrected against a real installation.
#pragma once

#include <string>
#include <vector>

namespace lab {

enum class Msg {
  // cmd.exe
  not_recognized,  // {1} command name
  syntax_incorrect,
  could_not_find,  // {1} full path (del)
  file_not_found,  // type
  path_not_found,  // cd
  dir_file_not_found,
  invalid_switch,     // {1} the switch as cmd shows it (del: "x", dir: "\"x\"")
  dir_volume_header,  // {1} serial
  dir_directory_of,   // {1} folder
  dir_files_summary,  // {1} count {2} bytes
  dir_dirs_summary,   // {1} count {2} free bytes
  echo_is_on,
  active_code_page,  // {1}
  invalid_code_page,
  hostname_usage,
  env_not_defined,  // {1} the name given to set
  // LifeKeeper (pattern of error 424)
  lk_header,               // {1} program {2} pid
  lk_cannot_remove_local,  // {1} system (error 424, given by the runbook)
  lk_unreachable,          // {1} destsys
  lk_eqv_not_found,        // {1} sys {2} tag {3} othersys {4} othertag {5} type
  lk_sys_not_found,        // {1} system
  lk_sys_in_use,           // {1} system {2} number of equivalencies
  lk_net_not_found,        // {1} system {2} othersystem {3} device {4} local/remote
  lk_ins_not_found,        // {1} description of the selection
  lk_usage,                // {1} synopsis
  // DataKeeper emcmd
  emcmd_status,         // {1}
  emcmd_unreachable,    // {1} job id {2} system {3} address
  emcmd_job_not_found,  // {1} job id
  emcmd_usage,
  emcmd_server_unreachable,  // {1} server
  // reg.exe
  reg_success,
  reg_not_found,
  reg_invalid_key,     // {1} " QUERY", " DELETE", ... or "" for reg itself
  reg_invalid_syntax,  // {1} as reg_invalid_key
  reg_access_denied,
  reg_delete_prompt,           // {1} full key
  reg_overwrite_value_prompt,  // {1} value name
  reg_overwrite_file_prompt,   // {1} file
};

// The text with {1}..{5} replaced; lines separated by "\n" (CRLF on output).
std::string message(Msg id, bool japanese, const std::vector<std::string>& args = {});

// The LifeKeeper error block: "(null)Process: NAME(pid)" / "[File:F Line:N]" /
// "*ERROR* (No. N) text". Numbers, file names and lines come from the table.
std::string lk_error(Msg id, bool japanese, const std::string& program, int pid,
                     const std::vector<std::string>& args);

}  // namespace lab
