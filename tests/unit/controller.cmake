# controller unit tests

# Audit trail and run lock (owned by the audit work).
lkr_add_test(audit_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/audit_trail_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/audit_chain_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/audit_snapshot_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/audit_run_lock_test.cpp
  LIBS lkr_audit Threads::Threads
  LABELS unit)
target_compile_definitions(audit_test PRIVATE LKR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# Issue 11: the log folder and the lock file against a local attacker.
lkr_add_test(controller_log_files_safety_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/log_files_safety_test.cpp
  LIBS lkr_audit
  LABELS unit)
target_compile_definitions(controller_log_files_safety_test PRIVATE
  LKR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# The CLI and the run summary (the lead's).
if(TARGET lkr_controller)
  lkr_add_test(controller_unit_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/cli_options_test.cpp
    LIBS lkr_controller
    LABELS unit)
endif()

# Issue 11: node text on the terminal. Built from the console's own sources so it does not
# wait for the whole controller library.
lkr_add_test(controller_console_escape_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/console_escape_test.cpp
    ${PROJECT_SOURCE_DIR}/controller/console.cpp
    ${PROJECT_SOURCE_DIR}/controller/terminal_text.cpp
  LIBS lkr_audit
  LABELS unit)

# Issue 11: process hygiene, seen from outside the process (the probe runs main()'s first line).
add_executable(process_hygiene_probe
  ${CMAKE_CURRENT_SOURCE_DIR}/controller/process_hygiene_probe.cpp
  ${PROJECT_SOURCE_DIR}/controller/process_hygiene.cpp)
lkr_add_test(controller_process_hygiene_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/process_hygiene_test.cpp
  LABELS unit)
target_compile_definitions(controller_process_hygiene_test PRIVATE
  PROBE_BINARY="$<TARGET_FILE:process_hygiene_probe>"
  LKRECOVER_BINARY="$<TARGET_FILE:lkrecover>")
add_dependencies(controller_process_hygiene_test process_hygiene_probe lkrecover)

# The scheduler through the TransportFactory seam, the lab's node emulator in-process as
# the fake node (no sshd): DESIGN.md's invariants 1, 3, 4 and 5 and --forks, in seconds.
if(TARGET lkr_controller AND TARGET lab_node AND TARGET lab_scenario)
  lkr_add_test(controller_scheduler_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/scheduler_test.cpp
    LIBS lkr_controller lab_node lab_scenario
    LABELS unit)
  target_compile_definitions(controller_scheduler_test PRIVATE
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios")
endif()
