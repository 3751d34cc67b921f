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

# The CLI and the run summary (the lead's).
if(TARGET lkr_controller)
  lkr_add_test(controller_unit_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/cli_options_test.cpp
    LIBS lkr_controller
    LABELS unit)
endif()
