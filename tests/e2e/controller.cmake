# The product end to end against the lab (real sshd per node). Needs the lab's fixture.
if(TARGET lab_fixture AND TARGET lkrecover)
  add_library(lkr_e2e_support STATIC ${CMAKE_CURRENT_SOURCE_DIR}/controller/product_run.cpp)
  target_link_libraries(lkr_e2e_support PUBLIC lab_fixture nlohmann_json::nlohmann_json)
  target_compile_definitions(lkr_e2e_support PRIVATE
    LKRECOVER_BINARY="$<TARGET_FILE:lkrecover>" LKR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_dependencies(lkr_e2e_support lkrecover lab)

  # Each executable its own subnet (127.80+), so they may run at the same time.
  # fault_matrix, kill, interlocks: issue 6 items 1-3 (127.82-84).
  set(subnet 80)
  foreach(t recovery interrupt fault_matrix kill interlocks)
    lkr_add_test(e2e_${t}_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/${t}_test.cpp
                 LIBS lkr_e2e_support LABELS e2e)
    target_compile_definitions(e2e_${t}_test PRIVATE
      LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
      LAB_TEST_SUBNET="127.${subnet}"
      LKRECOVER_BINARY="$<TARGET_FILE:lkrecover>")
    math(EXPR subnet "${subnet} + 1")
  endforeach()

  # Hostile input and the audit CLI end to end (issue 6 items 4 and 7): subnet 127.140.
  lkr_add_test(e2e_hostile_input_test
               SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/hostile_input_test.cpp
               LIBS lkr_e2e_support LABELS e2e)
  target_compile_definitions(e2e_hostile_input_test PRIVATE
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.140"
    LKRECOVER_BINARY="$<TARGET_FILE:lkrecover>")

  # Password authentication and the secret scan (issue 6 item 6): subnet 127.141.
  lkr_add_test(e2e_secrets_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/secrets_test.cpp
               LIBS lkr_e2e_support LABELS e2e)
  target_compile_definitions(e2e_secrets_test PRIVATE
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.141"
    LKRECOVER_BINARY="$<TARGET_FILE:lkrecover>")
endif()

# Code pages 437/850/932/1252/65001 over sshd and end to end (issue 4 item 4): 127.150.
if(TARGET lkr_e2e_support)
  lkr_add_test(e2e_codepage_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/codepage_test.cpp
               LIBS lkr_e2e_support lkr_transports LABELS e2e)
  target_compile_definitions(e2e_codepage_test PRIVATE
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.150"
    LKRECOVER_BINARY="$<TARGET_FILE:lkrecover>")
endif()

# The runbook over WinRM vs over SSH (issue 5): subnet 127.162.
if(TARGET lkr_e2e_support AND TARGET lab-winrm)
  lkr_add_test(e2e_winrm_recovery_test
               SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/winrm_recovery_test.cpp
               LIBS lkr_e2e_support LABELS e2e)
  target_compile_definitions(e2e_winrm_recovery_test PRIVATE
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.162"
    LKRECOVER_BINARY="$<TARGET_FILE:lkrecover>")
  add_dependencies(e2e_winrm_recovery_test lab-winrm)
endif()

# PowerShell as the default shell end to end (issue 4 item 3): subnet 127.156.
if(TARGET lkr_e2e_support)
  lkr_add_test(e2e_powershell_recovery_test
               SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/controller/powershell_recovery_test.cpp
               LIBS lkr_e2e_support LABELS e2e)
  target_compile_definitions(e2e_powershell_recovery_test PRIVATE
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.156"
    LKRECOVER_BINARY="$<TARGET_FILE:lkrecover>")
endif()
