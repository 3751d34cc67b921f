# controller unit tests

# Audit trail, its key and verifier, and the run lock.
lkr_add_test(audit_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/audit_trail_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/audit_chain_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/audit_snapshot_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/audit_run_lock_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/audit_key_test.cpp
  LIBS lkr_audit Threads::Threads
  LABELS unit)
target_compile_definitions(audit_test PRIVATE LKR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# Security: the log folder and the lock file against a local attacker.
lkr_add_test(controller_log_files_safety_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/log_files_safety_test.cpp
  LIBS lkr_audit
  LABELS unit)
target_compile_definitions(controller_log_files_safety_test PRIVATE
  LKR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# The CLI, the run summary and the job backup's verified copy.
if(TARGET lkr_controller)
  lkr_add_test(controller_unit_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/cli_options_test.cpp
            ${CMAKE_CURRENT_SOURCE_DIR}/controller/cli_commands_test.cpp
            ${CMAKE_CURRENT_SOURCE_DIR}/controller/verified_copy_test.cpp
    LIBS lkr_controller
    LABELS unit)
endif()

# Invocations and round trips: each command event's line, the host's totals in run.json.
if(TARGET lkr_controller)
  lkr_add_test(controller_invocation_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/invocation_test.cpp
    LIBS lkr_controller
    LABELS unit)
endif()

# Security: node text on the terminal. Built from the console's own sources so it does not
# wait for the whole controller library.
lkr_add_test(controller_console_escape_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/console_escape_test.cpp
  LIBS lkr_console
  LABELS unit)

# The live progress (model, status lines, region) and the recap's layout, without a terminal.
lkr_add_test(controller_progress_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/progress_model_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/progress_display_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/recap_text_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/display_width_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/controller/console_live_test.cpp
  LIBS lkr_console
  LABELS unit)

# Security: process hygiene, seen from outside the process (the probe runs main()'s first line).
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

# The transport factory: the transport and the shell each connection gets.
if(TARGET lkr_controller)
  lkr_add_test(controller_transport_factory_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/transport_factory_test.cpp
    LIBS lkr_controller
    LABELS unit)
endif()

# `lkrecover report`: escaping of hostile text, the timeline's geometry, the model read
# from a real audit folder, and the refusal of folders that are not audit folders.
if(TARGET lkr_controller)
  lkr_add_test(controller_report_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/report_escape_test.cpp
      ${CMAKE_CURRENT_SOURCE_DIR}/controller/report_gantt_test.cpp
      ${CMAKE_CURRENT_SOURCE_DIR}/controller/report_model_test.cpp
    LIBS lkr_controller
    LABELS unit)
  target_compile_definitions(controller_report_test PRIVATE LKR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endif()

# Connecting at scale: the connect pacer (--parallel-connects), the retry of a connect
# that failed before anything was sent, and the open files limit.
if(TARGET lkr_controller)
  lkr_add_test(controller_connect_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/connect_retry_test.cpp
            ${CMAKE_CURRENT_SOURCE_DIR}/controller/connect_pacer_test.cpp
            ${CMAKE_CURRENT_SOURCE_DIR}/controller/open_files_limit_test.cpp
    LIBS lkr_controller
    LABELS unit)
endif()
