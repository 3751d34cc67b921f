# inventory unit tests
lkr_add_test(inventory_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/load_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/errors_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/hostile_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/warnings_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/selection_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/inventory/winrm_vars_test.cpp
  LIBS lkr_inventory
  LABELS unit)
