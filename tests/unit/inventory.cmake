# inventory unit tests
lkr_add_test(inventory_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/load_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/errors_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/hostile_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/warnings_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/selection_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/winrm_vars_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/ansible_forms_test.cpp
  LIBS lkr_inventory
  LABELS unit)

# The corpus: every inventory form an admin may have, read by lkrecover and by Debian's
# ansible-inventory, which must agree on hosts, groups and connection variables.
add_executable(inventory_dump ${CMAKE_CURRENT_SOURCE_DIR}/inventory/inventory_dump.cpp)
target_link_libraries(inventory_dump PRIVATE lkr_inventory nlohmann_json::nlohmann_json)
add_test(NAME inventory_corpus_test
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/inventory/corpus_compare.py
          $<TARGET_FILE:inventory_dump> ${CMAKE_CURRENT_SOURCE_DIR}/inventory/corpus)
set_tests_properties(inventory_corpus_test PROPERTIES LABELS "ansible;unit" TIMEOUT 120)
