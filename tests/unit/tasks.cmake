# tasks unit tests: parsers on RUNBOOK.md's samples, facts and plans against a fake node.
set(LKR_TASKS_TEST_DIR ${CMAKE_CURRENT_SOURCE_DIR}/tasks)
lkr_add_test(tasks_test
  SOURCES
    ${LKR_TASKS_TEST_DIR}/certutil_output_test.cpp
    ${LKR_TASKS_TEST_DIR}/datakeeper_output_test.cpp
    ${LKR_TASKS_TEST_DIR}/hostile_output_test.cpp
    ${LKR_TASKS_TEST_DIR}/install_paths_test.cpp
    ${LKR_TASKS_TEST_DIR}/lifekeeper_lists_test.cpp
    ${LKR_TASKS_TEST_DIR}/node_facts_test.cpp
    ${LKR_TASKS_TEST_DIR}/preflight_verify_test.cpp
    ${LKR_TASKS_TEST_DIR}/steps_test.cpp
    ${LKR_TASKS_TEST_DIR}/windows_output_test.cpp
  LIBS lkr_tasks lkr_transports  # transports: the hostile-output test decodes code pages
  LABELS unit)
