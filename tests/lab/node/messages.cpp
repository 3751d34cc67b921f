#include "tests/lab/node/messages.h"

#include <map>
#include <stdexcept>

namespace lab {
namespace {

struct Text {
  const char* english;
  const char* japanese;
};

// Where a LifeKeeper error "comes from": error number, source file, line.
struct LkOrigin {
  int number;
  const char* file;
  int line;
};

const std::map<Msg, Text>& table() {
  static const std::map<Msg, Text> t = {
      // cmd.exe, as Windows (English / Japanese) words it.
      {Msg::not_recognized,
       {"'{1}' is not recognized as an internal or external command,\noperable program or batch "
        "file.",
        "'{1}' は、内部コマンドまたは外部コマンド、\n操作可能なプログラムまたはバッチ "
        "ファイルとして認識されていません。"}},
      {Msg::syntax_incorrect,
       {"The syntax of the command is incorrect.", "コマンドの構文が誤っています。"}},
      {Msg::could_not_find, {"Could Not Find {1}", "{1} が見つかりませんでした"}},
      {Msg::file_not_found,
       {"The system cannot find the file specified.", "指定されたファイルが見つかりません。"}},
      {Msg::path_not_found,
       {"The system cannot find the path specified.", "指定されたパスが見つかりません。"}},
      {Msg::dir_file_not_found, {"File Not Found", "ファイルが見つかりません"}},
      {Msg::invalid_switch, {"Invalid switch - {1}.", "スイッチが無効です - {1}。"}},
      {Msg::dir_volume_header,
       {" Volume in drive C has no label.\n Volume Serial Number is {1}\n",
        " ドライブ C のボリューム ラベルがありません。\n ボリューム シリアル番号は {1} です\n"}},
      {Msg::dir_directory_of, {" Directory of {1}\n", " {1} のディレクトリ\n"}},
      {Msg::dir_files_summary, {"{1} File(s) {2} bytes", "{1} 個のファイル {2} バイト"}},
      {Msg::dir_dirs_summary,
       {"{1} Dir(s) {2} bytes free", "{1} 個のディレクトリ {2} バイトの空き領域"}},
      {Msg::echo_is_on, {"ECHO is on.", "ECHO は <ON> です。"}},
      {Msg::active_code_page, {"Active code page: {1}", "現在のコード ページ: {1}"}},
      {Msg::invalid_code_page, {"Invalid code page", "無効なコード ページです"}},
      {Msg::hostname_usage,
       {"sethostname: Use the Network Control Panel Applet to set hostname.\nhostname -s is not "
        "supported.",
        "sethostname: ホスト名を設定するには、ネットワーク コントロール パネル "
        "アプレットを使用してください。\nhostname -s はサポートされていません。"}},
      {Msg::env_not_defined,
       {"Environment variable {1} not defined", "環境変数 {1} が定義されていません"}},
      // LifeKeeper. 424 is the runbook's (English even in the Japanese source); the
      // others are ASSUMED texts in its pattern.
      {Msg::lk_cannot_remove_local,
       {"can't remove entry for local system \"{1}\"",
        "can't remove entry for local system \"{1}\""}},
      {Msg::lk_unreachable,
       {"can't connect to system \"{1}\": system is not reachable",
        "システム \"{1}\" に接続できません: システムに到達できません"}},
      {Msg::lk_eqv_not_found,
       {"equivalency \"{5}\" between \"{2}\" on \"{1}\" and \"{4}\" on \"{3}\" does not exist",
        "\"{1}\" の \"{2}\" と \"{3}\" の \"{4}\" の間の \"{5}\" 等価関係は存在しません"}},
      {Msg::lk_sys_not_found, {"system \"{1}\" does not exist", "システム \"{1}\" は存在しません"}},
      {Msg::lk_sys_in_use,
       {"can't remove system \"{1}\": {2} equivalencies still refer to it",
        "システム \"{1}\" を削除できません: {2} 個の等価関係がまだ参照しています"}},
      {Msg::lk_net_not_found,
       {"communication path {3} ({4}) between \"{1}\" and \"{2}\" does not exist",
        "\"{1}\" と \"{2}\" の間のコミュニケーションパス {3} ({4}) は存在しません"}},
      {Msg::lk_ins_not_found,
       {"no resource instance matches {1}", "{1} に一致するリソース インスタンスはありません"}},
      {Msg::lk_usage, {"Usage: {1}", "使用法: {1}"}},
      // DataKeeper emcmd: "Status = N" is the runbook's; the rest ASSUMED.
      {Msg::emcmd_status, {"Status = {1}", "Status = {1}"}},
      {Msg::emcmd_unreachable,
       {"Failed to delete job {1}: system {2} ({3}) cannot be reached.",
        "ジョブ {1} を削除できませんでした: システム {2} ({3}) に接続できません。"}},
      {Msg::emcmd_job_not_found, {"Job {1} was not found.", "ジョブ {1} が見つかりません。"}},
      {Msg::emcmd_server_unreachable,
       {"Unable to connect to server {1}.", "サーバー {1} に接続できません。"}},
      {Msg::emcmd_usage,
       {"Usage: EMCMD <system> <command> [parameters]\n"
        "  commands: GETJOBINFOFORVOL <vol>, DELETEJOB <jobid>, DELETELOCALMIRRORONLY <vol>,\n"
        "            CLEARSWITCHOVER <vol>, GETMIRRORVOLINFO <vol>",
        "使用法: EMCMD <システム> <コマンド> [パラメーター]\n"
        "  コマンド: GETJOBINFOFORVOL <vol>, DELETEJOB <jobid>, DELETELOCALMIRRORONLY <vol>,\n"
        "            CLEARSWITCHOVER <vol>, GETMIRRORVOLINFO <vol>"}},
      // reg.exe, as Windows words it.
      {Msg::reg_success,
       {"The operation completed successfully.", "この操作を正しく終了しました。"}},
      {Msg::reg_not_found,
       {"ERROR: The system was unable to find the specified registry key or value.",
        "エラー: 指定されたレジストリ キーまたは値が見つかりませんでした"}},
      {Msg::reg_invalid_key,
       {"ERROR: Invalid key name.\nType \"REG{1} /?\" for usage.",
        "エラー: 無効なキー名です。\n使用法については \"REG{1} /?\" と入力してください。"}},
      {Msg::reg_invalid_syntax,
       {"ERROR: Invalid syntax.\nType \"REG{1} /?\" for usage.",
        "エラー: 無効な構文です。\n使用法については \"REG{1} /?\" と入力してください。"}},
      {Msg::reg_access_denied, {"ERROR: Access is denied.", "エラー: アクセスが拒否されました。"}},
      {Msg::reg_delete_prompt,
       {"Permanently delete the registry key {1} (Yes/No)? ",
        "レジストリ キー {1} を完全に削除しますか (Yes/No)? "}},
      {Msg::reg_overwrite_value_prompt,
       {"Value {1} exists, overwrite(Yes/No)? ", "値 {1} は存在します。上書きしますか (Yes/No)? "}},
      {Msg::reg_overwrite_file_prompt,
       {"File {1} already exists. Overwrite (Yes/No)? ",
        "ファイル {1} は既に存在します。上書きしますか (Yes/No)? "}},
  };
  return t;
}

// ASSUMED origins of the invented LifeKeeper errors (424's is the runbook's).
const std::map<Msg, LkOrigin>& lk_origins() {
  static const std::map<Msg, LkOrigin> o = {
      {Msg::lk_cannot_remove_local, {424, "sys.C", 81}},
      {Msg::lk_sys_not_found, {425, "sys.C", 64}},
      {Msg::lk_sys_in_use, {426, "sys.C", 97}},
      {Msg::lk_eqv_not_found, {412, "eqv.C", 212}},
      {Msg::lk_net_not_found, {452, "net.C", 143}},
      {Msg::lk_ins_not_found, {512, "ins.C", 338}},
      {Msg::lk_unreachable, {1002, "lcd.C", 57}},
  };
  return o;
}

std::string substitute(const std::string& text, const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '1' &&
        text[i + 1] <= '9') {
      size_t n = static_cast<size_t>(text[i + 1] - '1');
      if (n < args.size()) out += args[n];
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

}  // namespace

std::string message(Msg id, bool japanese, const std::vector<std::string>& args) {
  const Text& t = table().at(id);
  return substitute(japanese ? t.japanese : t.english, args);
}

std::string lk_error(Msg id, bool japanese, const std::string& program, int pid,
                     const std::vector<std::string>& args) {
  auto it = lk_origins().find(id);
  if (it == lk_origins().end()) throw std::logic_error("not a LifeKeeper error message");
  const LkOrigin& o = it->second;
  return "(null)Process: " + program + "(" + std::to_string(pid) + ")\n[File:" + o.file +
         " Line:" + std::to_string(o.line) + "]\n*ERROR* (No. " + std::to_string(o.number) + ") " +
         message(id, japanese, args) + "\n";
}

}  // namespace lab
