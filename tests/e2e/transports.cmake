# transports e2e tests: the SSH transport against the lab's real sshd nodes.
if(TARGET lab)
  set(transports_e2e_sources ${CMAKE_CURRENT_SOURCE_DIR}/transports/ssh_transport_test.cpp)
  if(TARGET lab_fixture)
    set(transports_e2e_libs lkr_transports lab_fixture)
  else()
    list(APPEND transports_e2e_sources
      ${PROJECT_SOURCE_DIR}/tests/lab/driver/tests/lab_fixture.cpp)
    set(transports_e2e_libs lkr_transports lab_driver nlohmann_json::nlohmann_json)
  endif()
  lkr_add_test(e2e_transports_ssh_test SOURCES ${transports_e2e_sources}
    LIBS ${transports_e2e_libs} LABELS e2e)
  target_compile_definitions(e2e_transports_ssh_test PRIVATE
    LAB_BINARY="$<TARGET_FILE:lab>"
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.88")
  add_dependencies(e2e_transports_ssh_test lab)
endif()

# WinRM (issue 5): our transport and pywinrm against the lab's lab-winrm endpoints.
if(TARGET lab_fixture AND TARGET lab-winrm)
  lkr_add_test(e2e_transports_winrm_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transports/winrm_transport_test.cpp
    LIBS lkr_transport_winrm lab_fixture LABELS e2e)
  target_compile_definitions(e2e_transports_winrm_test PRIVATE
    LAB_BINARY="$<TARGET_FILE:lab>"
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.160")
  add_dependencies(e2e_transports_winrm_test lab lab-winrm)

  lkr_add_test(e2e_transports_winrm_auth_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transports/winrm_auth_test.cpp
    LIBS lkr_transport_winrm lab_fixture LABELS e2e)
  target_compile_definitions(e2e_transports_winrm_auth_test PRIVATE
    LAB_BINARY="$<TARGET_FILE:lab>"
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.163")
  add_dependencies(e2e_transports_winrm_auth_test lab lab-winrm)

  lkr_add_test(e2e_transports_winrm_kerberos_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transports/winrm_kerberos_test.cpp
    LIBS lkr_transport_winrm lab_fixture LABELS e2e)
  target_compile_definitions(e2e_transports_winrm_kerberos_test PRIVATE
    LAB_BINARY="$<TARGET_FILE:lab>"
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.164")
  add_dependencies(e2e_transports_winrm_kerberos_test lab lab-winrm)

  lkr_add_test(e2e_transports_pywinrm_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transports/pywinrm_interop_test.cpp
    LIBS lab_fixture LABELS e2e)
  target_compile_definitions(e2e_transports_pywinrm_test PRIVATE
    LAB_BINARY="$<TARGET_FILE:lab>"
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.161"
    PYWINRM_SCRIPT="${CMAKE_CURRENT_SOURCE_DIR}/transports/pywinrm_run.py")
  add_dependencies(e2e_transports_pywinrm_test lab lab-winrm)
endif()

# The server closing the connection mid-Receive (issue 5's tests; LAB.md's "drop" fault
# over WinRM): subnet 127.179.
if(TARGET lab_fixture AND TARGET lab-winrm)
  lkr_add_test(e2e_transports_winrm_dropped_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transports/winrm_dropped_test.cpp
    LIBS lkr_transport_winrm lab_fixture LABELS e2e)
  target_compile_definitions(e2e_transports_winrm_dropped_test PRIVATE
    LAB_BINARY="$<TARGET_FILE:lab>"
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.179")
  add_dependencies(e2e_transports_winrm_dropped_test lab lab-winrm)
endif()
