// The keyed audit trail, tried as someone who can write the run folder but cannot read
// the key: edit a line and recompute the whole chain, cut the tail and fix run.json's
// count, strip the signatures. Each passes the bare hash chain and fails the MAC check.
#include "controller/audit_key.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "controller/audit_trail.h"
#include "controller/audit_verifier.h"
#include "inventory/file_digest.h"
#include "tests/unit/controller/audit_test_support.h"

using Catch::Matchers::Contains;
using lkr::test::read_bytes;
using lkr::test::read_lines;
using lkr::test::TempLogDir;
using lkr::test::write_bytes;
using lkr::test::write_lines;
using Json = nlohmann::ordered_json;

namespace {

std::filesystem::path signed_run(const TempLogDir& log, const lkr::AuditKey& key, int n) {
  lkr::RunStart start;
  start.mode = "run";
  start.key = key;
  lkr::AuditTrail trail(log.path(), start);
  for (int i = 1; i <= n; ++i) trail.note("c", "h", "step", "event " + std::to_string(i));
  trail.finish(lkr::RunSummary{}, 0);
  return trail.dir();
}

// What an attacker without the key does: drop the MACs, change what they like, and
// recompute seq and prev_sha256 so that the bare chain holds again.
std::vector<std::string> rechained(std::vector<Json> events) {
  std::vector<std::string> out;
  std::string prev(64, '0');
  for (size_t i = 0; i < events.size(); ++i) {
    events[i].erase("hmac");
    events[i]["seq"] = i + 1;
    events[i]["prev_sha256"] = prev;
    out.push_back(events[i].dump());
    prev = lkr::sha256_hex(out.back());
  }
  return out;
}

std::vector<Json> parsed(const std::vector<std::string>& lines) {
  std::vector<Json> out;
  for (const auto& l : lines) out.push_back(Json::parse(l));
  return out;
}

// run.json made to agree with a rewritten events.jsonl, as the attacker would.
void fix_run_json(const std::filesystem::path& dir, const std::vector<std::string>& lines,
                  bool keep_key) {
  std::string text = read_bytes(dir / "run.json");
  Json run = Json::parse(text);
  run.erase("hmac");
  if (!keep_key) run.erase("audit_key");
  run["events"]["count"] = lines.size();
  run["events"]["last_sha256"] = lkr::sha256_hex(lines.back());
  write_bytes(dir / "run.json", run.dump(2) + "\n");
}

bool any_contains(const std::vector<std::string>& problems, const std::string& text) {
  for (const auto& p : problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("the audit key is created private, and refused when others can read it") {
  TempLogDir home;
  auto file = home.path() / "config" / "lkrecover" / "audit.key";
  lkr::AuditKey key = lkr::load_or_create_audit_key(file);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(file.parent_path().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(key.secret.size() == 64);
  CHECK(key.id.size() == 16);
  CHECK(key.secret.find(key.id) == std::string::npos);  // the id does not reveal the key
  // The same key is read back, not a new one drawn.
  CHECK(lkr::load_or_create_audit_key(file).secret == key.secret);

  ::chmod(file.c_str(), 0644);
  CHECK_THROWS_WITH(lkr::load_audit_key(file), Contains("chmod 600"));
  ::chmod(file.c_str(), 0600);

  auto link = home.path() / "link.key";
  std::filesystem::create_symlink(file, link);
  CHECK_THROWS_WITH(lkr::load_audit_key(link), Contains("symbolic link"));

  write_bytes(home.path() / "bad.key", "not a key\n");
  ::chmod((home.path() / "bad.key").c_str(), 0600);
  CHECK_THROWS_WITH(lkr::load_audit_key(home.path() / "bad.key"), Contains("does not hold a key"));
  CHECK_FALSE(lkr::load_audit_key(home.path() / "missing.key").has_value());
}

TEST_CASE("a signed trail verifies with its key, and names the key it needs without it") {
  TempLogDir log, keys;
  auto key = lkr::load_or_create_audit_key(keys.path() / "audit.key");
  auto dir = signed_run(log, key, 4);
  for (const auto& line : read_lines(dir / "events.jsonl"))
    CHECK(Json::parse(line)["hmac"].get<std::string>().size() == 64);
  Json run = Json::parse(read_bytes(dir / "run.json"));
  CHECK(run["audit_key"]["id"] == key.id);
  CHECK(read_bytes(dir / "run.json").find(key.secret) == std::string::npos);

  CHECK(lkr::verify_audit_chain(dir, key).empty());
  CHECK(lkr::test::validate_json("events.schema.json", dir / "events.jsonl") == 0);
  CHECK(lkr::test::validate_json("run.schema.json", dir / "run.json") == 0);
  auto without = lkr::verify_audit_chain(dir);
  REQUIRE(without.size() == 1);
  CHECK_THAT(without[0], Contains(key.id) && Contains("--audit-key"));
  auto other = lkr::load_or_create_audit_key(keys.path() / "other.key");
  CHECK_THAT(lkr::verify_audit_chain(dir, other).at(0), Contains("not with " + other.id));
}

TEST_CASE("an edited line with the chain recomputed passes the bare chain, not the MACs") {
  TempLogDir log, keys;
  auto key = lkr::load_or_create_audit_key(keys.path() / "audit.key");
  auto dir = signed_run(log, key, 5);
  auto events = parsed(read_lines(dir / "events.jsonl"));
  events[2]["message"] = "event 3, rewritten";
  auto forged = rechained(events);
  write_lines(dir / "events.jsonl", forged);
  fix_run_json(dir, forged, true);

  // The attack works against the chain alone: that is why the key exists.
  auto bare = lkr::verify_audit_chain(dir);
  CHECK_FALSE(any_contains(bare, "events.jsonl:"));
  auto problems = lkr::verify_audit_chain(dir, key);
  CHECK(any_contains(problems, "run.json: edited"));
  for (int line = 1; line <= 5; ++line)
    CHECK(any_contains(problems, "events.jsonl:" + std::to_string(line) + ": carries no HMAC"));
}

TEST_CASE("a tail cut with run.json's count fixed up fails run.json's MAC") {
  TempLogDir log, keys;
  auto key = lkr::load_or_create_audit_key(keys.path() / "audit.key");
  auto dir = signed_run(log, key, 6);
  auto lines = read_lines(dir / "events.jsonl");
  lines.resize(4);
  write_lines(dir / "events.jsonl", lines);
  // run.json rewritten to match, its MAC member kept as it was.
  std::string text = read_bytes(dir / "run.json");
  Json run = Json::parse(text);
  std::string mac = run["hmac"];
  run.erase("hmac");
  run["events"]["count"] = 4;
  run["events"]["last_sha256"] = lkr::sha256_hex(lines.back());
  std::string body = run.dump(2);
  body.insert(body.size() - 2, ",\n  \"hmac\": \"" + mac + "\"");
  write_bytes(dir / "run.json", body + "\n");

  auto problems = lkr::verify_audit_chain(dir, key);
  CHECK(any_contains(problems, "run.json: edited"));
  CHECK_FALSE(any_contains(problems, "lines deleted"));  // the count agrees: only the MAC tells
}

TEST_CASE("signatures stripped everywhere: an unsigned trail is a problem where a key exists") {
  TempLogDir log, keys;
  auto key = lkr::load_or_create_audit_key(keys.path() / "audit.key");
  auto dir = signed_run(log, key, 3);
  auto forged = rechained(parsed(read_lines(dir / "events.jsonl")));
  write_lines(dir / "events.jsonl", forged);
  fix_run_json(dir, forged, false);
  CHECK(lkr::verify_audit_chain(dir).empty());  // nothing to hold it against without a key
  CHECK(any_contains(lkr::verify_audit_chain(dir, key), "not signed"));

  // Stripped from run.json only: the lines still carry MACs, which gives it away.
  auto dir2 = signed_run(log, key, 3);
  Json run = Json::parse(read_bytes(dir2 / "run.json"));
  run.erase("hmac");
  run.erase("audit_key");
  write_bytes(dir2 / "run.json", run.dump(2) + "\n");
  CHECK(any_contains(lkr::verify_audit_chain(dir2), "signature was stripped"));
}

TEST_CASE("sign and split are inverse, and a MAC member elsewhere is not taken") {
  TempLogDir keys;
  auto key = lkr::load_or_create_audit_key(keys.path() / "audit.key");
  std::string line = R"({"a":1,"b":"x"})";
  auto split = lkr::split_signed_line(lkr::sign_line(key, line));
  REQUIRE(split.has_value());
  CHECK(split->body == line);
  CHECK(split->mac == lkr::hmac_sha256_hex(key.secret, line));
  std::string doc = "{\n  \"a\": 1\n}";
  auto split_doc = lkr::split_signed_document(lkr::sign_document(key, doc));
  REQUIRE(split_doc.has_value());
  CHECK(split_doc->body == doc);
  // An "hmac" that is not the last member, or not 64 hex digits, is no signature.
  CHECK_FALSE(lkr::split_signed_line(R"({"hmac":")" + std::string(64, 'a') + R"(","b":1})"));
  CHECK_FALSE(lkr::split_signed_line(R"({"a":1,"hmac":")" + std::string(64, 'Z') + R"("})"));
}
