# transports unit tests
lkr_add_test(transports_quoting_test
  SOURCES transports/cmd_quoting_test.cpp transports/cmd_reference.cpp
  LIBS lkr_transports
  LABELS unit)
lkr_add_test(transports_codepage_test
  SOURCES transports/codepage_test.cpp transports/unicode_text_test.cpp
  LIBS lkr_transports
  LABELS unit)
lkr_add_test(transports_winrm_wsman_test
  SOURCES transports/winrm_wsman_test.cpp
  LIBS lkr_transport_winrm
  LABELS unit)
lkr_add_test(transports_winrm_ntlm_test
  SOURCES transports/winrm_ntlm_test.cpp
  LIBS lkr_transport_winrm
  LABELS unit)
# Channel binding (RFC 5929, MS-NLMP MsvAvChannelBindings), checked against requests-ntlm.
lkr_add_test(transports_winrm_channel_binding_test
  SOURCES transports/winrm_channel_binding_test.cpp
  LIBS lkr_transport_winrm
  LABELS unit)
lkr_add_test(transports_powershell_quoting_test
  SOURCES transports/powershell_quoting_test.cpp transports/cmd_reference.cpp
  LIBS lkr_transports
  LABELS unit)
lkr_add_test(transports_winrm_encrypted_framing_test
  SOURCES transports/winrm_encrypted_framing_test.cpp
  LIBS lkr_transport_winrm
  LABELS unit)
# Security: forged, tampered and replayed replies from a fake NTLM endpoint on loopback.
lkr_add_test(transports_winrm_forged_reply_test
  SOURCES transports/winrm_forged_reply_test.cpp
  LIBS lkr_transport_winrm
  LABELS unit)
# Security: a Receive reply far past --max-output, from a fake server on loopback.
lkr_add_test(transports_winrm_oversized_reply_test
  SOURCES transports/winrm_oversized_reply_test.cpp
  LIBS lkr_transport_winrm
  LABELS unit)
# Transport::run: rendering for the connection's shell and its line limits.
lkr_add_test(transports_run_test
  SOURCES transports/transport_run_test.cpp
  LIBS lkr_transports
  LABELS unit)
# Passwords held so that their bytes are zeroed after use (issue: secrets stay in the process).
lkr_add_test(transports_secret_text_test
  SOURCES transports/secret_text_test.cpp
  LIBS lkr_transports
  LABELS unit)
# Batches: the cmd line read back through the reference model, limits, output splitting.
lkr_add_test(transports_command_batch_test
  SOURCES transports/command_batch_test.cpp transports/cmd_reference.cpp
  LIBS lkr_transports
  LABELS unit)
# Round trips: the WinRM transport's count against what a loopback server saw.
lkr_add_test(transports_winrm_round_trips_test
  SOURCES transports/winrm_round_trips_test.cpp
  LIBS lkr_transport_winrm
  LABELS unit)
