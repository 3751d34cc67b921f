# The audit trail (events.jsonl, run.json, snapshots) and the run lock. Included from
# controller/CMakeLists.txt; owned by the audit work.
add_library(lkr_audit STATIC
  ${CMAKE_CURRENT_LIST_DIR}/audit_trail.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log_dir_guard.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_lock.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_summary.cpp)
target_link_libraries(lkr_audit PUBLIC nlohmann_json::nlohmann_json lkr_inventory)
