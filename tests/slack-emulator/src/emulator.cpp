#include "slack_emulator/emulator.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "hub.hpp"
#include "server.hpp"
#include "tls.hpp"

namespace slack_emulator {

// ------------------------------------------------------------------------------------------------ manual_clock

struct manual_clock::state {
  mutable std::mutex mu;
  std::chrono::milliseconds offset{0};
};

manual_clock::manual_clock() : state_(std::make_shared<state>()) {}

std::chrono::steady_clock::time_point manual_clock::now() const {
  std::lock_guard lock(state_->mu);
  return std::chrono::steady_clock::time_point(std::chrono::hours(1) + state_->offset);
}

std::chrono::system_clock::time_point manual_clock::wall() const {
  std::lock_guard lock(state_->mu);
  // 2024-01-01T00:00:00Z: a fixed, plausible epoch so ts values are stable across runs.
  return std::chrono::system_clock::time_point(std::chrono::seconds(1704067200) + state_->offset);
}

void manual_clock::advance(std::chrono::milliseconds d) {
  std::lock_guard lock(state_->mu);
  state_->offset += d;
}

// ------------------------------------------------------------------------------------------------ counters

nlohmann::json to_json(const counters& c) {
  return {{"envelopes_sent", c.envelopes_sent},   {"envelopes_acked", c.envelopes_acked},
          {"redeliveries", c.redeliveries},       {"late_acks", c.late_acks},
          {"unknown_acks", c.unknown_acks},       {"dropped_acks", c.dropped_acks},
          {"ack_timeouts", c.ack_timeouts},       {"slash_timeouts", c.slash_timeouts},
          {"connections_opened", c.connections_opened}, {"pings_received", c.pings_received},
          {"pongs_received", c.pongs_received},   {"api_calls", c.api_calls},
          {"rate_limited", c.rate_limited},       {"raw_frames_sent", c.raw_frames_sent},
          {"ack_latencies_ms", c.ack_latencies_ms},
          {"api_calls_by_method", c.api_calls_by_method}};
}

// ------------------------------------------------------------------------------------------------ emulator

struct emulator::impl {
  explicit impl(settings s) : cfg(std::move(s)) {}
  settings cfg;
  boost::asio::io_context ioc{1};
  std::unique_ptr<detail::hub> hub;
  std::unique_ptr<detail::server> srv;
  std::thread thread;
  std::uint16_t port = 0;
  std::string ca_file;
  std::string origin;
  std::filesystem::path temp_dir;
  bool running = false;

  nlohmann::json call(const std::string& op, const nlohmann::json& args) {
    if (!hub) throw std::logic_error("slack_emulator: start() first");
    nlohmann::json out = hub->control(op, args);
    if (!out.value("ok", false))
      throw std::runtime_error("slack_emulator control " + op + ": " + out.value("error", "failed"));
    return out;
  }
};

emulator::emulator(settings s) : impl_(std::make_unique<impl>(std::move(s))) {}

emulator::~emulator() {
  stop();
  if (!impl_->temp_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(impl_->temp_dir, ec);
  }
}

void emulator::start() {
  auto& d = *impl_;
  if (d.running) return;
  std::string host = d.cfg.bind_address == "0.0.0.0" ? "127.0.0.1" : d.cfg.bind_address;
  std::vector<std::string> ips = {"127.0.0.1"};
  if (host != "127.0.0.1") ips.push_back(host);
  const detail::tls_material tls = detail::make_tls_material({"localhost"}, ips);

  d.ca_file = d.cfg.ca_file_out;
  if (d.ca_file.empty()) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "slack-emulator-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("slack_emulator: cannot create a temporary directory");
    d.temp_dir = tmpl;
    d.ca_file = (d.temp_dir / "ca.pem").string();
  }
  {
    std::ofstream out(d.ca_file, std::ios::trunc);
    out << tls.ca_cert_pem;
    if (!out) throw std::runtime_error("slack_emulator: cannot write CA file " + d.ca_file);
  }

  d.hub = std::make_unique<detail::hub>(d.ioc, d.cfg);
  d.srv = std::make_unique<detail::server>(d.ioc, *d.hub, tls);
  d.port = d.srv->listen(d.cfg.bind_address, d.cfg.port);
  d.origin = "https://" + host + ":" + std::to_string(d.port);
  d.hub->set_origin(d.origin);
  d.srv->start();
  d.thread = std::thread([&ioc = d.ioc] { ioc.run(); });
  d.running = true;
}

void emulator::stop() {
  auto& d = *impl_;
  if (!d.running) return;
  d.running = false;
  d.srv->stop();
  d.hub->shutdown();
  d.ioc.stop();
  if (d.thread.joinable()) d.thread.join();
}

std::uint16_t emulator::port() const { return impl_->port; }
std::string emulator::ca_file() const { return impl_->ca_file; }
std::string emulator::api_base_url() const { return impl_->origin + "/api/"; }
std::string emulator::control_base_url() const { return impl_->origin + "/_emulator/"; }
const settings& emulator::config() const { return impl_->cfg; }

std::string emulator::create_user(const std::string& name, const std::string& real_name, const std::string& email) {
  nlohmann::json a = {{"name", name}, {"real_name", real_name.empty() ? name : real_name}};
  if (!email.empty()) a["email"] = email;
  return impl_->call("create_user", a)["user"];
}

std::string emulator::create_channel(const std::string& name, bool is_private, const std::vector<std::string>& members,
                                     bool bot_member) {
  return impl_->call("create_channel",
                     {{"name", name}, {"is_private", is_private}, {"members", members}, {"bot_member", bot_member}})
      ["channel"];
}

void emulator::join_channel(const std::string& channel, const std::string& user) {
  impl_->call("join_channel", {{"channel", channel}, {"user", user}});
}

std::string emulator::open_dm(const std::string& user) { return impl_->call("open_dm", {{"user", user}})["channel"]; }

std::string emulator::post_message(const std::string& user, const std::string& channel, const std::string& text,
                                   const std::string& thread_ts) {
  return impl_->call("post_message", {{"user", user}, {"channel", channel}, {"text", text}, {"thread_ts", thread_ts}})
      ["ts"];
}

nlohmann::json emulator::run_slash_command(const std::string& user, const std::string& channel,
                                           const std::string& command, const std::string& text) {
  return impl_->call("slash_command", {{"user", user}, {"channel", channel}, {"command", command}, {"text", text}});
}

nlohmann::json emulator::click_button(const std::string& user, const std::string& channel,
                                      const std::string& message_ts, const std::string& action_id) {
  return impl_->call("click_button",
                     {{"user", user}, {"channel", channel}, {"message_ts", message_ts}, {"action_id", action_id}});
}

nlohmann::json emulator::submit_view(const std::string& user, const std::string& view_id,
                                     const nlohmann::json& values) {
  return impl_->call("submit_view", {{"user", user}, {"view_id", view_id}, {"values", values}});
}

nlohmann::json emulator::history(const std::string& channel) const {
  return impl_->call("history", {{"channel", channel}})["messages"];
}

nlohmann::json emulator::replies(const std::string& channel, const std::string& thread_ts) const {
  return impl_->call("replies", {{"channel", channel}, {"thread_ts", thread_ts}})["messages"];
}

nlohmann::json emulator::ephemerals(const std::string& channel, const std::string& user) const {
  return impl_->call("ephemerals", {{"channel", channel}, {"user", user}})["messages"];
}

nlohmann::json emulator::envelopes() const { return impl_->call("envelopes", nlohmann::json::object())["envelopes"]; }
nlohmann::json emulator::views() const { return impl_->call("views", nlohmann::json::object())["views"]; }

counters emulator::stats() const {
  if (!impl_->hub) return {};
  return impl_->hub->stats();
}

int emulator::open_connections() const { return impl_->hub ? impl_->hub->open_connections() : 0; }

bool emulator::wait_for_connections(int n, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (open_connections() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return open_connections() >= n;
}

void emulator::force_disconnect(const std::string& reason, bool with_warning) {
  impl_->call("force_disconnect", {{"reason", reason}, {"with_warning", with_warning}});
}

void emulator::drop_connections() { impl_->call("drop_connections", nlohmann::json::object()); }

void emulator::inject_failure(const std::string& method, int status, int count, int retry_after_s) {
  impl_->call("inject_failure",
              {{"method", method}, {"status", status}, {"count", count}, {"retry_after", retry_after_s}});
}

std::uint64_t emulator::send_raw(const std::string& text, int index) {
  return impl_->call("send_raw", {{"text", text}, {"index", index}})["connection"].get<std::uint64_t>();
}

void emulator::set_server_pings(bool enabled) { impl_->call("set_server_pings", {{"enabled", enabled}}); }
void emulator::set_answer_pings(bool enabled) { impl_->call("set_answer_pings", {{"enabled", enabled}}); }

void emulator::set_ack_mode(ack_mode mode, std::chrono::milliseconds delay) {
  const char* m = mode == ack_mode::normal ? "normal" : mode == ack_mode::drop ? "drop" : "delay";
  impl_->call("set_ack_mode", {{"mode", m}, {"delay_ms", delay.count()}});
}

void emulator::reset_counters() { impl_->call("reset_counters", nlohmann::json::object()); }

nlohmann::json emulator::control(const std::string& op, const nlohmann::json& args) {
  if (!impl_->hub) return {{"ok", false}, {"error", "not_started"}};
  return impl_->hub->control(op, args);
}

}  // namespace slack_emulator
