# transports e2e tests: the SSH transport against the lab's real sshd nodes.
if(TARGET lab)
  set(transports_e2e_sources ${CMAKE_CURRENT_SOURCE_DIR}/transports/ssh_transport_test.cpp)
  set(transports_e2e_fixture_sources "")
  if(TARGET lab_fixture)
    set(transports_e2e_libs lkr_transports lab_fixture)
  else()
    set(transports_e2e_fixture_sources ${PROJECT_SOURCE_DIR}/tests/lab/driver/tests/lab_fixture.cpp)
    list(APPEND transports_e2e_sources ${transports_e2e_fixture_sources})
    set(transports_e2e_libs lkr_transports lab_driver nlohmann_json::nlohmann_json)
  endif()
  lkr_claim_subnet(88 e2e_transports_ssh_test)
  lkr_add_test(e2e_transports_ssh_test SOURCES ${transports_e2e_sources}
    LIBS ${transports_e2e_libs} LABELS e2e)
  target_compile_definitions(e2e_transports_ssh_test PRIVATE
    LAB_BINARY="$<TARGET_FILE:lab>"
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.88")
  add_dependencies(e2e_transports_ssh_test lab)

  # Security: known_hosts markers (@revoked, @cert-authority) against a real sshd.
  lkr_claim_subnet(184 e2e_transports_ssh_known_hosts_markers_test)
  lkr_add_test(e2e_transports_ssh_known_hosts_markers_test
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transports/ssh_known_hosts_markers_test.cpp
      ${transports_e2e_fixture_sources}
    LIBS ${transports_e2e_libs} LABELS e2e)
  target_compile_definitions(e2e_transports_ssh_known_hosts_markers_test PRIVATE
    LAB_BINARY="$<TARGET_FILE:lab>"
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.184")
  add_dependencies(e2e_transports_ssh_known_hosts_markers_test lab)
endif()

# WinRM: our transport and pywinrm against the lab's lab-winrm endpoints, each
# executable on its own subnet.
function(lkr_add_winrm_e2e_test name source subnet)
  cmake_parse_arguments(W "" "" "LIBS;DEFINITIONS" ${ARGN})
  lkr_claim_subnet(${subnet} ${name})
  lkr_add_test(${name} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transports/${source}
    LIBS ${W_LIBS} lab_fixture LABELS e2e)
  target_compile_definitions(${name} PRIVATE
    LAB_BINARY="$<TARGET_FILE:lab>"
    LAB_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/tests/lab/scenarios"
    LAB_TEST_SUBNET="127.${subnet}" ${W_DEFINITIONS})
  add_dependencies(${name} lab lab-winrm)
endfunction()

if(TARGET lab_fixture AND TARGET lab-winrm)
  lkr_add_winrm_e2e_test(e2e_transports_winrm_test winrm_transport_test.cpp 160
    LIBS lkr_transport_winrm)
  lkr_add_winrm_e2e_test(e2e_transports_winrm_auth_test winrm_auth_test.cpp 163
    LIBS lkr_transport_winrm)
  lkr_add_winrm_e2e_test(e2e_transports_winrm_kerberos_test winrm_kerberos_test.cpp 164
    LIBS lkr_transport_winrm)
  lkr_add_winrm_e2e_test(e2e_transports_pywinrm_test pywinrm_interop_test.cpp 161
    DEFINITIONS PYWINRM_SCRIPT="${CMAKE_CURRENT_SOURCE_DIR}/transports/pywinrm_run.py")
  # The server closing the connection mid-Receive (LAB.md's "drop" fault over WinRM).
  lkr_add_winrm_e2e_test(e2e_transports_winrm_dropped_test winrm_dropped_test.cpp 181
    LIBS lkr_transport_winrm)
  # Security: output floods against the cap, over both transports.
  lkr_add_winrm_e2e_test(e2e_transports_flood_memory_test flood_memory_test.cpp 182
    LIBS lkr_transport_winrm)
  # Security: a node's escape sequence on the console of `lkrecover ping` (the product's
  # console, reached through the one subcommand that needs only sys_list).
  if(TARGET lkrecover)
    lkr_add_winrm_e2e_test(e2e_ping_console_escape_test ping_console_escape_test.cpp 87
      DEFINITIONS LKRECOVER_BINARY="$<TARGET_FILE:lkrecover>")
    add_dependencies(e2e_ping_console_escape_test lkrecover)
  endif()
  # The transport contract: one executable, one instance per transport, each on its own
  # subnet (LKR_CONTRACT_SUBNET overrides the compiled-in SSH one for the WinRM instance).
  lkr_add_winrm_e2e_test(e2e_transport_contract_ssh_test transport_contract_test.cpp 193
    LIBS lkr_transports lkr_transport_winrm)
  set_tests_properties(e2e_transport_contract_ssh_test PROPERTIES
    ENVIRONMENT "LKR_CONTRACT_TRANSPORT=ssh")
  lkr_claim_subnet(194 e2e_transport_contract_winrm_test)
  add_test(NAME e2e_transport_contract_winrm_test COMMAND e2e_transport_contract_ssh_test)
  set_tests_properties(e2e_transport_contract_winrm_test PROPERTIES LABELS "e2e;winrm"
    ENVIRONMENT "LKR_CONTRACT_TRANSPORT=winrm;LKR_CONTRACT_SUBNET=127.194")
  # Security: Kerberos replies replayed, held back or reordered (the lab's KDC).
  lkr_add_winrm_e2e_test(e2e_transports_winrm_kerberos_replay_test
    winrm_kerberos_replay_test.cpp 183 LIBS lkr_transport_winrm)
  # Security: channel binding over https (Strict, Relaxed, None; NTLM and Kerberos) and a
  # relaying man in the middle.
  lkr_add_winrm_e2e_test(e2e_transports_winrm_channel_binding_test
    winrm_channel_binding_test.cpp 197 LIBS lkr_transport_winrm)
endif()
