#include "tests/lab/winrm/shell_service.h"

#include <charconv>
#include <cstring>
#include <pugixml.hpp>
#include <sstream>

#include "transports/base64.h"
#include "transports/winrm/wsman_messages.h"

namespace lab::winrm {
namespace {

namespace ns = lkr::winrm;

const char* local_name(const pugi::xml_node& n) {
  const char* colon = std::strrchr(n.name(), ':');
  return colon ? colon + 1 : n.name();
}

pugi::xml_node find(const pugi::xml_node& root, const char* local) {
  return root.find_node([local](const pugi::xml_node& n) {
    return n.type() == pugi::node_element && std::strcmp(local_name(n), local) == 0;
  });
}

std::string text(const pugi::xml_node& root, const char* local) {
  return find(root, local).text().get();
}

// The parts of a request the service acts on.
struct Request {
  std::string action, message_id, shell_id, command_id;
  int operation_timeout_ms = 60000;
  pugi::xml_node body;
};

// "PT20S", "PT20.000S", "PT1.5S" -> milliseconds; `fallback` when absent or odd.
int duration_ms(const std::string& text, int fallback) {
  if (text.size() < 4 || text.rfind("PT", 0) != 0 || text.back() != 'S') return fallback;
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data() + 2, text.data() + text.size() - 1, seconds);
  if (ec != std::errc() || end != text.data() + text.size() - 1 || seconds <= 0) return fallback;
  return static_cast<int>(seconds * 1000);
}

struct Reply {
  pugi::xml_document doc;
  pugi::xml_node header, body;
};

Reply reply(const std::string& action, const std::string& relates_to) {
  Reply r;
  pugi::xml_node env = r.doc.append_child("s:Envelope");
  env.append_attribute("xml:lang") = "en-US";
  env.append_attribute("xmlns:s") = ns::kNsSoap;
  env.append_attribute("xmlns:a") = ns::kNsAddressing;
  env.append_attribute("xmlns:w") = ns::kNsWsman;
  env.append_attribute("xmlns:x") = ns::kNsTransfer;
  env.append_attribute("xmlns:rsp") = ns::kNsShell;
  env.append_attribute("xmlns:p") = ns::kNsMsWsman;
  r.header = env.append_child("s:Header");
  r.header.append_child("a:Action").text().set(action.c_str());
  r.header.append_child("a:MessageID").text().set(ns::new_message_id().c_str());
  r.header.append_child("a:To").text().set(ns::kAnonymous);
  r.header.append_child("a:RelatesTo").text().set(relates_to.c_str());
  r.body = env.append_child("s:Body");
  return r;
}

std::string text_of(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

SoapReply fault(const Request& r, const std::string& subcode, const std::string& code,
                const std::string& text) {
  return {500, fault_envelope(r.message_id, subcode, code, text)};
}

SoapReply shell_not_found(const Request& r) {
  return fault(r, "w:InvalidSelectors", "2150858843",
               "The request for the Windows Remote Shell with ShellId " + r.shell_id +
                   " failed because the shell was not found on the server. Possible causes are: "
                   "the specified ShellId is incorrect or the shell no longer exists on the "
                   "server. Provide the correct ShellId or create a new shell and retry the "
                   "operation.");
}

}  // namespace

std::string fault_envelope(const std::string& relates_to, const std::string& subcode,
                           const std::string& wsman_code, const std::string& message) {
  Reply r = reply("http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", relates_to);
  pugi::xml_node f = r.body.append_child("s:Fault");
  pugi::xml_node code = f.append_child("s:Code");
  code.append_child("s:Value").text().set("s:Receiver");
  code.append_child("s:Subcode").append_child("s:Value").text().set(subcode.c_str());
  pugi::xml_node reason = f.append_child("s:Reason").append_child("s:Text");
  reason.append_attribute("xml:lang") = "en-US";
  reason.text().set(message.c_str());
  pugi::xml_node w = f.append_child("s:Detail").append_child("f:WSManFault");
  w.append_attribute("xmlns:f") = ns::kNsWsmanFault;
  w.append_attribute("Code") = wsman_code.c_str();
  w.append_attribute("Machine") = "lab";
  w.append_child("f:Message").text().set(message.c_str());
  return text_of(r.doc);
}

ShellService::ShellService(std::string lab_cmd, std::string node_dir, std::string endpoint_url)
    : lab_cmd_(std::move(lab_cmd)), node_dir_(std::move(node_dir)), url_(std::move(endpoint_url)) {}

SoapReply ShellService::handle(const std::string& envelope) {
  pugi::xml_document doc;
  Request r;
  if (!doc.load_buffer(envelope.data(), envelope.size()))
    return fault(r, "w:SchemaValidationError", "2150858817",
                 "The SOAP XML in the message does not match the corresponding XML schema "
                 "definition.");
  pugi::xml_node header = find(doc, "Header");
  r.body = find(doc, "Body");
  r.action = text(header, "Action");
  r.message_id = text(header, "MessageID");
  r.operation_timeout_ms = duration_ms(text(header, "OperationTimeout"), 60000);
  pugi::xml_node sel = header.find_node([](const pugi::xml_node& n) {
    return std::strcmp(local_name(n), "Selector") == 0 &&
           std::strcmp(n.attribute("Name").value(), "ShellId") == 0;
  });
  r.shell_id = sel.text().get();

  if (r.action == ns::kActionCreate) {
    std::lock_guard<std::mutex> lock(mu_);
    if (shells_.size() >= kMaxShells)
      return fault(r, "w:QuotaLimit", "2150859174",
                   "The WS-Management service cannot process the request. This user is allowed "
                   "a maximum number of " +
                       std::to_string(kMaxShells) +
                       " concurrent shells, which has been exceeded. Close existing shells or "
                       "raise the quota for this user.");
    auto shell = std::make_shared<Shell>();
    pugi::xml_node cp = header.find_node([](const pugi::xml_node& n) {
      return std::strcmp(local_name(n), "Option") == 0 &&
             std::strcmp(n.attribute("Name").value(), "WINRS_CODEPAGE") == 0;
    });
    if (cp) shell->codepage = cp.text().as_int(0);
    std::string id = ns::new_message_id().substr(5);
    shells_[id] = shell;
    Reply out = reply(std::string(ns::kActionCreate) + "Response", r.message_id);
    pugi::xml_node created = out.body.append_child("x:ResourceCreated");
    created.append_child("a:Address").text().set(url_.c_str());
    pugi::xml_node ref = created.append_child("a:ReferenceParameters");
    ref.append_child("w:ResourceURI").text().set(ns::kResourceCmd);
    pugi::xml_node s = ref.append_child("w:SelectorSet").append_child("w:Selector");
    s.append_attribute("Name") = "ShellId";
    s.text().set(id.c_str());
    pugi::xml_node shell_el = out.body.append_child("rsp:Shell");
    shell_el.append_child("rsp:ShellId").text().set(id.c_str());
    return {200, text_of(out.doc)};
  }

  std::shared_ptr<Shell> shell;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = shells_.find(r.shell_id);
    if (it != shells_.end()) shell = it->second;
  }
  if (!shell) return shell_not_found(r);

  if (r.action == ns::kActionDelete) {
    std::lock_guard<std::mutex> lock(mu_);
    shells_.erase(r.shell_id);  // its commands are killed as their last owner goes
    Reply out = reply(std::string(ns::kActionDelete) + "Response", r.message_id);
    return {200, text_of(out.doc)};
  }

  if (r.action == ns::kActionCommand) {
    // WinRS hands cmd.exe the Command and each Arguments element, joined by spaces.
    pugi::xml_node line_el = find(r.body, "CommandLine");
    std::string line = text(line_el, "Command");
    for (pugi::xml_node a : line_el.children())
      if (std::strcmp(local_name(a), "Arguments") == 0) line += std::string(" ") + a.text().get();
    std::string id = ns::new_message_id().substr(5);
    auto process = std::make_shared<CommandProcess>(lab_cmd_, node_dir_, line, shell->codepage);
    {
      std::lock_guard<std::mutex> lock(mu_);
      shell->commands[id] = process;
    }
    Reply out = reply(std::string(ns::kActionCommand) + "Response", r.message_id);
    out.body.append_child("rsp:CommandResponse")
        .append_child("rsp:CommandId")
        .text()
        .set(id.c_str());
    return {200, text_of(out.doc)};
  }

  pugi::xml_node target = find(r.body, r.action == ns::kActionReceive ? "DesiredStream" : "Signal");
  r.command_id = target.attribute("CommandId").value();
  std::shared_ptr<CommandProcess> process;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = shell->commands.find(r.command_id);
    if (it != shell->commands.end()) process = it->second;
  }
  if (!process)
    return fault(r, "w:InvalidSelectors", "2150858843",
                 "The request for the Windows Remote Shell command with CommandId " + r.command_id +
                     " failed because the command was not found.");

  if (r.action == ns::kActionSignal) {
    process->terminate();
    {
      std::lock_guard<std::mutex> lock(mu_);
      shell->commands.erase(r.command_id);
    }
    Reply out = reply(std::string(ns::kActionSignal) + "Response", r.message_id);
    out.body.append_child("rsp:SignalResponse");
    return {200, text_of(out.doc)};
  }

  if (r.action == ns::kActionReceive) {
    bool available = false;
    CommandProcess::Chunk c = process->take(std::chrono::milliseconds(r.operation_timeout_ms),
                                            kMaxReceiveBytes, available);
    if (c.dropped) {
      std::lock_guard<std::mutex> lock(mu_);
      shell->commands.erase(r.command_id);  // the shell stays, as on a host that went away
      throw DropConnection();
    }
    if (!available)
      return fault(r, "w:TimedOut", "2150858793",
                   "The WS-Management service cannot complete the operation within the time "
                   "specified in OperationTimeout.");
    Reply out = reply(std::string(ns::kActionReceive) + "Response", r.message_id);
    pugi::xml_node resp = out.body.append_child("rsp:ReceiveResponse");
    auto stream = [&](const char* name, const std::string& bytes) {
      pugi::xml_node s = resp.append_child("rsp:Stream");
      s.append_attribute("Name") = name;
      s.append_attribute("CommandId") = r.command_id.c_str();
      if (c.done) s.append_attribute("End") = "true";
      s.text().set(lkr::base64_encode(bytes).c_str());
    };
    stream("stdout", c.out);
    stream("stderr", c.err);
    pugi::xml_node state = resp.append_child("rsp:CommandState");
    state.append_attribute("CommandId") = r.command_id.c_str();
    state.append_attribute("State") = c.done ? ns::kStateDone : ns::kStateRunning;
    if (c.done) state.append_child("rsp:ExitCode").text().set(c.exit_code);
    return {200, text_of(out.doc)};
  }

  return fault(r, "a:ActionNotSupported", "2150858776",
               "The action " + r.action + " is not supported by the service.");
}

}  // namespace lab::winrm
