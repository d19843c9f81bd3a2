// docbot-slack-emulator: run the emulator by hand or from a test harness.
// Prints one `key=value` line per fact on stdout (port, URLs, CA file), then `ready`; logs go to stderr.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

#include "slack_emulator/emulator.hpp"

namespace {

constexpr const char* kUsage = R"(usage: docbot-slack-emulator [options]
  --bind ADDR                     listen address (default 127.0.0.1)
  --port N                        port (default 0 = pick a free one)
  --ca-file-out PATH              write the generated CA certificate here (default: a temp dir)
  --bot-token T / --app-token T   tokens the emulator accepts (xoxb-… / xapp-…)
  --max-connections N             Socket Mode connection cap (default 10)
  --ack-timeout-ms N              ack deadline (default 3000)
  --retry-delays-ms A,B,C         events_api redelivery delays after each timeout (default 1000,60000,300000)
  --keep-envelope-id              reuse the envelope_id on redelivery (default: a fresh one)
  --ping-interval-ms N            server Ping interval (default 10000)
  --connection-lifetime-ms N      time until warning/refresh_requested (default 18060000)
  --warning-lead-ms N             `warning` this long before `refresh_requested` (default 10000)
  --no-warning                    skip the `warning` disconnect
  --close-delay-ms N              `disconnect` → server close (default 1000)
  --routing rr|random             envelope routing across connections (default rr)
  --too-many newest|oldest        which connection gets too_many_websockets (default newest)
  --trigger-ttl-ms N              trigger_id lifetime (default 3000)
  --response-url-ttl-ms N         response_url lifetime (default 1800000)
  --no-rate-limits                disable rate limiting (injected 429s still work)
  --tier NAME=PER_MIN/BURST       override a tier (1..4, special) or one method's bucket
  --post-message-rate PER_MIN/BURST  chat.postMessage per channel (default 60/3)
  --seed N                        RNG seed for ids (default 42)
  --quiet                         no per-request log lines
)";

[[noreturn]] void die(const std::string& why) {
  std::cerr << "docbot-slack-emulator: " << why << '\n';
  std::exit(2);
}

long to_long(const std::string& flag, const std::string& v) {
  try {
    std::size_t pos = 0;
    long n = std::stol(v, &pos);
    if (pos != v.size()) throw std::invalid_argument(v);
    return n;
  } catch (const std::exception&) {
    die(flag + " needs a number, got '" + v + "'");
  }
}

slack_emulator::rate_tier to_tier(const std::string& flag, const std::string& v) {
  auto slash = v.find('/');
  if (slash == std::string::npos) die(flag + " needs PER_MIN/BURST");
  return {static_cast<double>(to_long(flag, v.substr(0, slash))),
          static_cast<double>(to_long(flag, v.substr(slash + 1)))};
}

}  // namespace

int main(int argc, char** argv) {
  slack_emulator::settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    auto ms = [&]() { return std::chrono::milliseconds(to_long(a, value())); };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--bind") {
      s.bind_address = value();
    } else if (a == "--port") {
      s.port = static_cast<std::uint16_t>(to_long(a, value()));
    } else if (a == "--ca-file-out") {
      s.ca_file_out = value();
    } else if (a == "--bot-token") {
      s.bot_token = value();
    } else if (a == "--app-token") {
      s.app_token = value();
    } else if (a == "--max-connections") {
      s.max_connections = static_cast<int>(to_long(a, value()));
    } else if (a == "--ack-timeout-ms") {
      s.ack_timeout = ms();
    } else if (a == "--retry-delays-ms") {
      s.retry_delays.clear();
      std::stringstream in(value());
      for (std::string part; std::getline(in, part, ',');) s.retry_delays.emplace_back(to_long(a, part));
    } else if (a == "--keep-envelope-id") {
      s.renew_envelope_id_on_retry = false;
    } else if (a == "--ping-interval-ms") {
      s.server_ping_interval = ms();
    } else if (a == "--connection-lifetime-ms") {
      s.connection_lifetime = ms();
    } else if (a == "--warning-lead-ms") {
      s.refresh_warning_lead = ms();
    } else if (a == "--no-warning") {
      s.send_refresh_warning = false;
    } else if (a == "--close-delay-ms") {
      s.disconnect_close_delay = ms();
    } else if (a == "--routing") {
      const std::string v = value();
      if (v == "rr")
        s.envelope_routing = slack_emulator::routing::round_robin;
      else if (v == "random")
        s.envelope_routing = slack_emulator::routing::random;
      else
        die("--routing must be rr or random");
    } else if (a == "--too-many") {
      const std::string v = value();
      if (v == "newest")
        s.too_many_target = slack_emulator::over_cap_target::newest;
      else if (v == "oldest")
        s.too_many_target = slack_emulator::over_cap_target::oldest;
      else
        die("--too-many must be newest or oldest");
    } else if (a == "--trigger-ttl-ms") {
      s.trigger_id_ttl = ms();
    } else if (a == "--response-url-ttl-ms") {
      s.response_url_ttl = ms();
    } else if (a == "--no-rate-limits") {
      s.rate_limits_enabled = false;
    } else if (a == "--tier") {
      const std::string v = value();
      auto eq = v.find('=');
      if (eq == std::string::npos) die("--tier needs NAME=PER_MIN/BURST");
      s.tiers[v.substr(0, eq)] = to_tier(a, v.substr(eq + 1));
    } else if (a == "--post-message-rate") {
      s.post_message_per_channel = to_tier(a, value());
    } else if (a == "--seed") {
      s.seed = static_cast<std::uint64_t>(to_long(a, value()));
    } else if (a == "--quiet") {
      s.log_to_stderr = false;
    } else {
      std::cerr << kUsage;
      die("unknown option " + a);
    }
  }

  // Block the stop signals before any thread starts so only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  slack_emulator::emulator emu(s);
  try {
    emu.start();
  } catch (const std::exception& e) {
    die(std::string("cannot start: ") + e.what());
  }
  std::cout << "port=" << emu.port() << '\n'
            << "api_base_url=" << emu.api_base_url() << '\n'
            << "control_url=" << emu.control_base_url() << '\n'
            << "ca_file=" << emu.ca_file() << '\n'
            << "bot_token=" << s.bot_token << '\n'
            << "app_token=" << s.app_token << '\n'
            << "ready" << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cerr << "docbot-slack-emulator: signal " << sig << ", stopping\n";
  emu.stop();
  return 0;
}
