# The audit trail (events.jsonl, run.json, snapshots), its verifier, and the run lock: a
# library of their own, because `verify`, the report and the tests read audit folders
# without running anything.
add_library(lkr_audit STATIC
  ${CMAKE_CURRENT_LIST_DIR}/audit_key.cpp
  ${CMAKE_CURRENT_LIST_DIR}/audit_trail.cpp
  ${CMAKE_CURRENT_LIST_DIR}/audit_verifier.cpp
  ${CMAKE_CURRENT_LIST_DIR}/durable_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log_dir_guard.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_id.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_lock.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_summary.cpp
  ${CMAKE_CURRENT_LIST_DIR}/snapshot_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/summary_json.cpp)
target_link_libraries(lkr_audit PUBLIC nlohmann_json::nlohmann_json lkr_inventory
  PRIVATE OpenSSL::Crypto)
