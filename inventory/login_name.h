// The operator's login name: the default SSH user (as in Ansible) and run.json's operator.
#pragma once

#include <string>

namespace lkr {

// $LOGNAME, then $USER, then the password database entry of the effective uid.
std::string login_name();

}  // namespace lkr
