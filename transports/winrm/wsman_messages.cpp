#include "transports/winrm/wsman_messages.h"

#include <pugixml.hpp>
#include <random>
#include <sstream>

namespace lkr::winrm {
namespace {

struct Envelope {
  pugi::xml_document doc;
  pugi::xml_node header, body;
};

void add_text(pugi::xml_node parent, const char* name, const std::string& text) {
  parent.append_child(name).text().set(text.c_str());
}

pugi::xml_node add_must_understand(pugi::xml_node parent, const char* name,
                                   const std::string& text) {
  pugi::xml_node n = parent.append_child(name);
  n.append_attribute("mustUnderstand") = "true";
  n.text().set(text.c_str());
  return n;
}

void add_locale(pugi::xml_node header, const char* name, const std::string& locale) {
  pugi::xml_node n = header.append_child(name);
  n.append_attribute("mustUnderstand") = "false";
  n.append_attribute("xml:lang") = locale.c_str();
}

// The header every WinRS request shares; `shell_id` empty for Create.
Envelope envelope(const MessageHeader& h, const char* action, const std::string& shell_id) {
  Envelope e;
  pugi::xml_node decl = e.doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "utf-8";
  pugi::xml_node root = e.doc.append_child("s:Envelope");
  root.append_attribute("xmlns:s") = kNsSoap;
  root.append_attribute("xmlns:a") = kNsAddressing;
  root.append_attribute("xmlns:w") = kNsWsman;
  root.append_attribute("xmlns:p") = kNsMsWsman;
  root.append_attribute("xmlns:rsp") = kNsShell;
  e.header = root.append_child("s:Header");
  add_text(e.header, "a:To", h.to);
  add_must_understand(e.header.append_child("a:ReplyTo"), "a:Address", kAnonymous);
  add_must_understand(e.header, "w:MaxEnvelopeSize", std::to_string(h.max_envelope_size));
  add_text(e.header, "a:MessageID", h.message_id);
  add_locale(e.header, "w:Locale", h.locale);
  add_locale(e.header, "p:DataLocale", h.locale);
  add_text(e.header, "w:OperationTimeout", "PT" + std::to_string(h.operation_timeout_s) + ".000S");
  add_must_understand(e.header, "w:ResourceURI", kResourceCmd);
  add_must_understand(e.header, "a:Action", action);
  if (!shell_id.empty()) {
    pugi::xml_node sel = e.header.append_child("w:SelectorSet").append_child("w:Selector");
    sel.append_attribute("Name") = "ShellId";
    sel.text().set(shell_id.c_str());
  }
  e.body = root.append_child("s:Body");
  return e;
}

void add_options(pugi::xml_node header,
                 const std::vector<std::pair<const char*, std::string>>& options) {
  pugi::xml_node set = header.append_child("w:OptionSet");
  for (const auto& [name, value] : options) {
    pugi::xml_node o = set.append_child("w:Option");
    o.append_attribute("Name") = name;
    o.text().set(value.c_str());
  }
}

std::string text_of(const Envelope& e) {
  std::ostringstream out;
  e.doc.save(out, "", pugi::format_raw);
  return out.str();
}

}  // namespace

std::string new_message_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  unsigned char b[16];
  for (int i = 0; i < 16; i += 8) {
    uint64_t r = rng();
    for (int j = 0; j < 8; ++j) b[i + j] = static_cast<unsigned char>(r >> (8 * j));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  static const char* hex = "0123456789ABCDEF";
  std::string out = "uuid:";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 15];
  }
  return out;
}

std::string create_shell_request(const MessageHeader& h, int codepage) {
  Envelope e = envelope(h, kActionCreate, "");
  add_options(e.header,
              {{"WINRS_NOPROFILE", "TRUE"}, {"WINRS_CODEPAGE", std::to_string(codepage)}});
  pugi::xml_node shell = e.body.append_child("rsp:Shell");
  add_text(shell, "rsp:InputStreams", "stdin");
  add_text(shell, "rsp:OutputStreams", "stdout stderr");
  return text_of(e);
}

std::string command_request(const MessageHeader& h, const std::string& shell_id,
                            const std::string& command, const std::vector<std::string>& arguments) {
  Envelope e = envelope(h, kActionCommand, shell_id);
  add_options(e.header, {{"WINRS_CONSOLEMODE_STDIN", "TRUE"}, {"WINRS_SKIP_CMD_SHELL", "FALSE"}});
  pugi::xml_node line = e.body.append_child("rsp:CommandLine");
  add_text(line, "rsp:Command", command);
  for (const auto& a : arguments) add_text(line, "rsp:Arguments", a);
  return text_of(e);
}

std::string receive_request(const MessageHeader& h, const std::string& shell_id,
                            const std::string& command_id) {
  Envelope e = envelope(h, kActionReceive, shell_id);
  add_options(e.header, {{"WSMAN_CMDSHELL_OPTION_KEEPALIVE", "TRUE"}});
  pugi::xml_node s = e.body.append_child("rsp:Receive").append_child("rsp:DesiredStream");
  s.append_attribute("CommandId") = command_id.c_str();
  s.text().set("stdout stderr");
  return text_of(e);
}

std::string signal_terminate_request(const MessageHeader& h, const std::string& shell_id,
                                     const std::string& command_id) {
  Envelope e = envelope(h, kActionSignal, shell_id);
  pugi::xml_node s = e.body.append_child("rsp:Signal");
  s.append_attribute("CommandId") = command_id.c_str();
  add_text(s, "rsp:Code", kSignalTerminate);
  return text_of(e);
}

std::string delete_shell_request(const MessageHeader& h, const std::string& shell_id) {
  return text_of(envelope(h, kActionDelete, shell_id));
}

}  // namespace lkr::winrm
