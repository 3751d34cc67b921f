#include "transports/winrm/wsman_reply.h"

#include <charconv>
#include <cstring>
#include <pugixml.hpp>

#include "transports/base64.h"

namespace lkr::winrm {
namespace {

const char* local_name(const pugi::xml_node& n) {
  const char* name = n.name();
  const char* colon = std::strrchr(name, ':');
  return colon ? colon + 1 : name;
}

bool named(const pugi::xml_node& n, const char* local) {
  return n.type() == pugi::node_element && std::strcmp(local_name(n), local) == 0;
}

pugi::xml_node child(const pugi::xml_node& parent, const char* local) {
  for (pugi::xml_node c : parent.children())
    if (named(c, local)) return c;
  return {};
}

pugi::xml_node descendant(const pugi::xml_node& root, const char* local) {
  return root.find_node([local](const pugi::xml_node& n) { return named(n, local); });
}

std::string trimmed(const char* text) {
  std::string s = text;
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

void load(pugi::xml_document& doc, const std::string& xml, const char* what) {
  pugi::xml_parse_result r = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default);
  if (!r) throw ReplyError(std::string(what) + " reply is not XML: " + r.description());
  if (!named(doc.document_element(), "Envelope"))
    throw ReplyError(std::string(what) + " reply is not a SOAP envelope");
}

pugi::xml_node body_of(const pugi::xml_document& doc) {
  return child(doc.document_element(), "Body");
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string SoapFault::text() const {
  std::string out = !reason.empty() ? reason : !message.empty() ? message : "SOAP fault";
  if (!message.empty() && message != reason) out += " (" + message + ")";
  std::string detail = subcode.empty() ? code : subcode;
  if (!wsman_code.empty()) detail += (detail.empty() ? "" : ", ") + ("WSManFault " + wsman_code);
  if (!detail.empty()) out += " [" + detail + "]";
  for (char& c : out)
    if (c == '\r' || c == '\n') c = ' ';
  return out;
}

bool SoapFault::operation_timed_out() const {
  return wsman_code == "2150858793" || ends_with(subcode, ":TimedOut") || subcode == "TimedOut";
}

bool SoapFault::shell_gone() const {
  return wsman_code == "2150858843" || ends_with(subcode, ":InvalidSelectors") ||
         ends_with(subcode, ":DestinationUnreachable");
}

bool SoapFault::quota_exceeded() const { return ends_with(subcode, ":QuotaLimit"); }

std::optional<SoapFault> parse_fault(const std::string& xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size()) || !named(doc.document_element(), "Envelope"))
    return std::nullopt;
  pugi::xml_node fault = child(body_of(doc), "Fault");
  if (!fault) return std::nullopt;
  SoapFault f;
  pugi::xml_node code = child(fault, "Code");
  f.code = trimmed(child(code, "Value").text().get());
  f.subcode = trimmed(child(child(code, "Subcode"), "Value").text().get());
  f.reason = trimmed(child(child(fault, "Reason"), "Text").text().get());
  if (pugi::xml_node w = descendant(fault, "WSManFault")) {
    f.wsman_code = w.attribute("Code").value();
    f.message = trimmed(child(w, "Message").child_value());
    if (f.message.empty()) f.message = trimmed(descendant(w, "Message").text().get());
  }
  return f;
}

std::string parse_shell_id(const std::string& xml) {
  pugi::xml_document doc;
  load(doc, xml, "Create shell");
  pugi::xml_node body = body_of(doc);
  pugi::xml_node sel = body.find_node([](const pugi::xml_node& n) {
    return named(n, "Selector") && std::strcmp(n.attribute("Name").value(), "ShellId") == 0;
  });
  std::string id = trimmed(sel ? sel.text().get() : descendant(body, "ShellId").text().get());
  if (id.empty()) throw ReplyError("Create shell reply holds no ShellId");
  return id;
}

std::string parse_command_id(const std::string& xml) {
  pugi::xml_document doc;
  load(doc, xml, "Command");
  std::string id = trimmed(descendant(body_of(doc), "CommandId").text().get());
  if (id.empty()) throw ReplyError("Command reply holds no CommandId");
  return id;
}

ReceiveOutput parse_receive(const std::string& xml, const std::string& command_id) {
  pugi::xml_document doc;
  load(doc, xml, "Receive");
  pugi::xml_node response = descendant(body_of(doc), "ReceiveResponse");
  if (!response) throw ReplyError("Receive reply holds no ReceiveResponse");
  ReceiveOutput out;
  for (pugi::xml_node n : response.children()) {
    if (named(n, "Stream")) {
      const char* id = n.attribute("CommandId").value();
      if (*id != '\0' && command_id != id) continue;
      auto bytes = base64_decode(n.text().get());
      if (!bytes) throw ReplyError("Receive reply: a stream is not valid base64");
      std::string stream = n.attribute("Name").value();
      if (stream == "stdout")
        out.stdout_bytes += *bytes;
      else if (stream == "stderr")
        out.stderr_bytes += *bytes;
    } else if (named(n, "CommandState")) {
      std::string state = n.attribute("State").value();
      if (!ends_with(state, "/Done")) continue;
      out.done = true;
      std::string code = trimmed(child(n, "ExitCode").text().get());
      // Windows exit codes are DWORDs: 0xC000013A arrives as 3221225786.
      long long value = 0;
      auto [end, ec] = std::from_chars(code.data(), code.data() + code.size(), value);
      if (code.empty() || ec != std::errc() || end != code.data() + code.size())
        throw ReplyError("Receive reply: command done without a numeric ExitCode");
      out.exit_code = static_cast<int>(static_cast<uint32_t>(value));
    }
  }
  return out;
}

std::string parse_relates_to(const std::string& xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return "";
  return trimmed(descendant(child(doc.document_element(), "Header"), "RelatesTo").text().get());
}

}  // namespace lkr::winrm
