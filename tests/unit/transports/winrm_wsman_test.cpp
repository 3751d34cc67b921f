// The WinRS envelopes we send and the replies we parse, against messages shaped like
// those of Windows (as pywinrm's test suite records them, MS-WSMV 3.1.4).
#include <catch2/catch.hpp>
#include <pugixml.hpp>
#include <string>

#include "transports/base64.h"
#include "transports/winrm/wsman_messages.h"
#include "transports/winrm/wsman_reply.h"

using namespace lkr::winrm;
using lkr::base64_decode;
using lkr::base64_encode;

namespace {

const char* kReplyNamespaces =
    R"(xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" )"
    R"(xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd" )"
    R"(xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" )"
    R"(xmlns:s="http://www.w3.org/2003/05/soap-envelope" )"
    R"(xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" )"
    R"(xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer")";

std::string reply(const std::string& action, const std::string& body) {
  return std::string(R"(<?xml version="1.0" ?><s:Envelope xml:lang="en-US" )") + kReplyNamespaces +
         "><s:Header><a:Action>" + action +
         "</a:Action><a:MessageID>uuid:11111111-1111-1111-1111-111111111112</a:MessageID>"
         "<a:RelatesTo>uuid:11111111-1111-1111-1111-111111111111</a:RelatesTo></s:Header><s:Body>" +
         body + "</s:Body></s:Envelope>";
}

MessageHeader test_header() {
  MessageHeader h;
  h.to = "https://127.0.0.1:5986/wsman";
  h.message_id = "uuid:11111111-1111-1111-1111-111111111111";
  h.operation_timeout_s = 60;
  return h;
}

// The text of the element at `path` (local names separated by '/', from the root).
std::string at(const std::string& xml, const std::string& xpath) {
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  pugi::xpath_node n = doc.select_node(xpath.c_str());
  REQUIRE(n);
  return n.node().text().get();
}

std::string fault_reply(const std::string& subcode, const std::string& wsman_code,
                        const std::string& reason, const std::string& message) {
  return reply("http://schemas.dmtf.org/wbem/wsman/1/wsman/fault",
               "<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>" + subcode +
                   "</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">" + reason +
                   "</s:Text></s:Reason><s:Detail><f:WSManFault "
                   "xmlns:f=\"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault\" Code=\"" +
                   wsman_code + "\" Machine=\"node\"><f:Message>" + message +
                   "</f:Message></f:WSManFault></s:Detail></s:Fault>");
}

}  // namespace

TEST_CASE("Create shell carries WINRS_NOPROFILE, WINRS_CODEPAGE and the WS-Management header") {
  std::string xml = create_shell_request(test_header(), 65001);
  CHECK(at(xml, "//*[local-name()='Option'][@Name='WINRS_NOPROFILE']") == "TRUE");
  CHECK(at(xml, "//*[local-name()='Option'][@Name='WINRS_CODEPAGE']") == "65001");
  CHECK(at(xml, "//*[local-name()='Action']") == kActionCreate);
  CHECK(at(xml, "//*[local-name()='ResourceURI']") == kResourceCmd);
  CHECK(at(xml, "//*[local-name()='MaxEnvelopeSize']") == "153600");
  CHECK(at(xml, "//*[local-name()='OperationTimeout']") == "PT60.000S");
  CHECK(at(xml, "//*[local-name()='MessageID']") == "uuid:11111111-1111-1111-1111-111111111111");
  CHECK(at(xml, "//*[local-name()='To']") == "https://127.0.0.1:5986/wsman");
  CHECK(at(xml, "//*[local-name()='OutputStreams']") == "stdout stderr");
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  CHECK(std::string(doc.document_element().attribute("xmlns:s").value()) == kNsSoap);
  CHECK(std::string(
            doc.select_node("//*[local-name()='Locale']").node().attribute("xml:lang").value()) ==
        "en-US");
  CHECK(doc.select_node("//*[local-name()='SelectorSet']") == nullptr);  // no shell yet
}

TEST_CASE("Command has one Arguments element per argument, XML-escaped, in the shell") {
  std::string xml = command_request(test_header(), "SHELL-1", "C:\\LK\\Bin\\eqv_list.exe",
                                    {"-t", "a<b & \"c\"", ""});
  CHECK(at(xml, "//*[local-name()='Selector'][@Name='ShellId']") == "SHELL-1");
  CHECK(at(xml, "//*[local-name()='Command']") == "C:\\LK\\Bin\\eqv_list.exe");
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  auto args = doc.select_nodes("//*[local-name()='Arguments']");
  REQUIRE(args.size() == 3);
  CHECK(std::string(args[0].node().text().get()) == "-t");
  CHECK(std::string(args[1].node().text().get()) == "a<b & \"c\"");
  CHECK(std::string(args[2].node().text().get()).empty());
  CHECK(xml.find("a<b") == std::string::npos);  // escaped on the wire
  CHECK(at(xml, "//*[local-name()='Action']") == kActionCommand);
}

TEST_CASE("Receive, Signal terminate and Delete name the shell and the command") {
  std::string r = receive_request(test_header(), "S", "C");
  CHECK(at(r, "//*[local-name()='DesiredStream'][@CommandId='C']") == "stdout stderr");
  CHECK(at(r, "//*[local-name()='Action']") == kActionReceive);
  std::string s = signal_terminate_request(test_header(), "S", "C");
  CHECK(at(s, "//*[local-name()='Signal'][@CommandId='C']/*[local-name()='Code']") ==
        kSignalTerminate);
  std::string d = delete_shell_request(test_header(), "S");
  CHECK(at(d, "//*[local-name()='Action']") == kActionDelete);
  CHECK(at(d, "//*[local-name()='Selector'][@Name='ShellId']") == "S");
}

TEST_CASE("message ids are distinct version 4 UUIDs") {
  std::string a = new_message_id(), b = new_message_id();
  CHECK(a != b);
  REQUIRE(a.size() == 5 + 36);
  CHECK(a.rfind("uuid:", 0) == 0);
  CHECK(a[5 + 14] == '4');
}

TEST_CASE("the shell id is read from ResourceCreated or from rsp:Shell") {
  std::string created = reply(
      "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse",
      "<x:ResourceCreated><a:Address>http://windows-host:5985/wsman</a:Address>"
      "<a:ReferenceParameters><w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/"
      "shell/cmd</w:ResourceURI><w:SelectorSet><w:Selector Name=\"ShellId\">"
      "11111111-1111-1111-1111-111111111113</w:Selector></w:SelectorSet></a:ReferenceParameters>"
      "</x:ResourceCreated>");
  CHECK(parse_shell_id(created) == "11111111-1111-1111-1111-111111111113");
  std::string shell = reply("x", "<rsp:Shell><rsp:ShellId>ABC</rsp:ShellId></rsp:Shell>");
  CHECK(parse_shell_id(shell) == "ABC");
  CHECK_THROWS_AS(parse_shell_id(reply("x", "")), ReplyError);
  CHECK_THROWS_AS(parse_shell_id("<html>502 Bad Gateway"), ReplyError);
}

TEST_CASE("the command id is read from CommandResponse") {
  std::string r = reply("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandResponse",
                        "<rsp:CommandResponse><rsp:CommandId>11111111-1111-1111-1111-111111111114"
                        "</rsp:CommandId></rsp:CommandResponse>");
  CHECK(parse_command_id(r) == "11111111-1111-1111-1111-111111111114");
  CHECK_THROWS_AS(parse_command_id(reply("x", "<rsp:CommandResponse/>")), ReplyError);
}

TEST_CASE("Receive output: streams in order, base64 decoded, exit code when Done") {
  // Two Receives, as Windows splits a long output: the first Running, the second Done.
  std::string first = reply("ReceiveResponse",
                            "<rsp:ReceiveResponse>"
                            "<rsp:Stream Name=\"stdout\" CommandId=\"C\">" +
                                base64_encode("line 1\r\n") +
                                "</rsp:Stream>"
                                "<rsp:Stream Name=\"stderr\" CommandId=\"C\">" +
                                base64_encode("warn\r\n") +
                                "</rsp:Stream>"
                                "<rsp:Stream Name=\"stdout\" CommandId=\"C\">" +
                                base64_encode("\x82\xa0 line 2\r\n") +
                                "</rsp:Stream>"
                                "<rsp:CommandState CommandId=\"C\" State=\"" +
                                kStateRunning +
                                "\"/>"
                                "</rsp:ReceiveResponse>");
  ReceiveOutput a = parse_receive(first, "C");
  CHECK(a.stdout_bytes == "line 1\r\n\x82\xa0 line 2\r\n");
  CHECK(a.stderr_bytes == "warn\r\n");
  CHECK_FALSE(a.done);
  CHECK(a.exit_code == -1);
  std::string second =
      reply("ReceiveResponse",
            "<rsp:ReceiveResponse>"
            "<rsp:Stream Name=\"stdout\" CommandId=\"C\" End=\"true\"></rsp:Stream>"
            "<rsp:Stream Name=\"stderr\" CommandId=\"C\" End=\"true\"></rsp:Stream>"
            "<rsp:Stream Name=\"stdout\" CommandId=\"OTHER\">" +
                base64_encode("not ours") +
                "</rsp:Stream>"
                "<rsp:CommandState CommandId=\"C\" State=\"" +
                kStateDone +
                "\">"
                "<rsp:ExitCode>3221225786</rsp:ExitCode></rsp:CommandState>"
                "</rsp:ReceiveResponse>");
  ReceiveOutput b = parse_receive(second, "C");
  CHECK(b.stdout_bytes.empty());
  CHECK(b.done);
  CHECK(static_cast<uint32_t>(b.exit_code) == 0xC000013Au);  // STATUS_CONTROL_C_EXIT
}

TEST_CASE("a Receive reply with bad base64 or a Done without exit code is an error") {
  CHECK_THROWS_AS(parse_receive(reply("r",
                                      "<rsp:ReceiveResponse><rsp:Stream Name=\"stdout\">"
                                      "@@@</rsp:Stream></rsp:ReceiveResponse>"),
                                "C"),
                  ReplyError);
  CHECK_THROWS_AS(parse_receive(reply("r", std::string("<rsp:ReceiveResponse><rsp:CommandState "
                                                       "State=\"") +
                                               kStateDone + "\"/></rsp:ReceiveResponse>"),
                                "C"),
                  ReplyError);
}

TEST_CASE("SOAP faults are decoded to one line of text and classified") {
  auto timed_out = parse_fault(fault_reply(
      "w:TimedOut", "2150858793",
      "The WS-Management service cannot complete the operation within the time specified in "
      "OperationTimeout.",
      "The WS-Management service cannot complete the operation within the time specified in "
      "OperationTimeout.  "));
  REQUIRE(timed_out);
  CHECK(timed_out->operation_timed_out());
  CHECK_FALSE(timed_out->shell_gone());
  CHECK(timed_out->text() ==
        "The WS-Management service cannot complete the operation within the time specified in "
        "OperationTimeout. [w:TimedOut, WSManFault 2150858793]");

  auto gone = parse_fault(fault_reply("w:InvalidSelectors", "2150858843",
                                      "The request for the Windows Remote Shell with ShellId X "
                                      "failed because the shell was not found on the server.",
                                      "shell\r\nnot found"));
  REQUIRE(gone);
  CHECK(gone->shell_gone());
  CHECK_FALSE(gone->operation_timed_out());
  CHECK(gone->text().find("shell not found") != std::string::npos);  // CR LF made spaces
  CHECK(gone->text().find('\n') == std::string::npos);

  auto quota = parse_fault(fault_reply("w:QuotaLimit", "2150859173",
                                       "The WS-Management service cannot process the request. "
                                       "This user is allowed a maximum number of 30 concurrent "
                                       "shells, which has been exceeded.",
                                       ""));
  REQUIRE(quota);
  CHECK(quota->quota_exceeded());
  CHECK(quota->text().find("maximum number of 30 concurrent shells") != std::string::npos);

  CHECK_FALSE(parse_fault(reply("x", "<rsp:CommandResponse/>")));
  CHECK_FALSE(parse_fault("not xml"));
}

TEST_CASE("RelatesTo echoes the request's MessageID") {
  CHECK(parse_relates_to(reply("x", "")) == "uuid:11111111-1111-1111-1111-111111111111");
  CHECK(parse_relates_to("garbage").empty());
}

TEST_CASE("base64 round-trips every byte and rejects what is not base64") {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t n : {0u, 1u, 2u, 3u, 4u, 255u, 256u}) {
    std::string s = all.substr(0, n);
    CHECK(base64_decode(base64_encode(s)) == s);
  }
  CHECK(base64_encode("Man") == "TWFu");
  CHECK(base64_encode("Ma") == "TWE=");
  CHECK(base64_decode("TW\r\nFu") == std::string("Man"));
  CHECK_FALSE(base64_decode("TWE"));
  CHECK_FALSE(base64_decode("TW=u"));
  CHECK_FALSE(base64_decode("T*Fu"));
}
