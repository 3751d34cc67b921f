// Every command the runbook's steps send to a node, built as lkr::Command values from
// the host's settings and from names read off the node. Names are passed as arguments
// (the quoting layer renders them), never pasted into a command line. The flags of each
// are cited in tasks/assumed_formats.h and docs/record-formats.md.
#pragma once

#include <string>

#include "inventory/inventory.h"
#include "transports/command.h"

namespace lkr::tasks::commands {

// Read-only.
Command hostname(const Host& host);                   // %SystemRoot%\System32\hostname.exe
Command chcp(const Host& host);                       // %SystemRoot%\System32\chcp.com
Command show_environment(const std::string& prefix);  // `set PREFIX`
Command eqv_list(const Host& host);                   // with -f<TAB>
Command sys_list(const Host& host);
Command net_list(const Host& host);  // with -f<TAB>
Command ins_list(const Host& host);  // with -f<TAB>
Command getjobinfoforvol(const Host& host, const std::string& volume);
Command getmirrorvolinfo(const Host& host, const std::string& volume);
Command lkdrinfo_exists(const Host& host, const std::string& volume);
Command file_exists(const std::string& path);
Command reg_query_jobs(const Host& host);  // /s: every job key with its values
// to assumed::job_backup_path, /y
Command reg_export_job(const Host& host, const std::string& job_id);
// %SystemRoot%\System32\certutil.exe -hashfile PATH SHA256
Command certutil_hashfile(const Host& host, const std::string& path);
// %SystemRoot%\System32\certutil.exe -f -encode IN OUT: -f overwrites an old OUT
Command certutil_encode(const Host& host, const std::string& in, const std::string& out);
Command type_file(const std::string& path);
Command del_file(const std::string& path);

// Changes. `local` is the local system's LifeKeeper name: every LCD command names the
// database it changes with -d (E3).
Command eqv_remove(const Host& host, const std::string& local, const std::string& system,
                   const std::string& tag, const std::string& other_system,
                   const std::string& other_tag, const std::string& type);
Command del_lkdrinfo(const Host& host, const std::string& volume);
// /f: reg would otherwise ask (Yes/No)
Command reg_delete_job(const Host& host, const std::string& job_id);
Command deletelocalmirroronly(const Host& host, const std::string& volume);
Command clearswitchover(const Host& host, const std::string& volume);
Command sys_remove(const Host& host, const std::string& local, const std::string& system);
Command net_remove(const Host& host, const std::string& local, const std::string& other_system,
                   const std::string& device, const std::string& remote_address,
                   const std::string& local_address);
Command lcdsync(const Host& host, const std::string& local);
Command ins_remove(const Host& host, const std::string& local, const std::string& tag);

}  // namespace lkr::tasks::commands
