// bench-bot — end-to-end figures for `docbot serve` through the Slack emulator.
//
//   bench-bot --index DIR [--mentions 1000] [--rate 50] [--channels 100] [--burst 500] [--cpu 0]
//             [--docbot PATH] [--json]
//
// The bot runs as a child process (the real binary, so its RSS is its own), pinned to one CPU with
// --cpu, talking HTTPS/WSS to an emulator in this process. Phase 1 sends --mentions channel mentions at
// --rate per second, round-robin over --channels channels (so Slack's ~1 msg/s/channel pacing is not what
// is measured), and records for each the time from post (event emitted) to the bot's threaded reply being
// stored. Phase 2 posts --burst mentions at once, one per channel, and reports replies per second.
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <slack_emulator/emulator.hpp>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

const char* kQuestions[] = {
    "my pod is stuck in Pending",
    "ImagePullBackOff when deploying",
    "pod keeps restarting CrashLoopBackOff",
    "how do I roll back an Argo CD application",
    "what is a StatefulSet",
    "how to configure a liveness probe",
    "Argo CD app out of sync",
    "how do I expose a service with an ingress",
    "difference between deployment and statefulset",
    "how to set resource limits on a container",
    "argocd sync waves and hooks",
    "OOMKilled container memory limit",
};

struct Pending {
  std::string channel, ts;
  steady::time_point sent;
};

long vm_hwm_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

bool has_bot_reply(slack_emulator::emulator& emu, const std::string& channel, const std::string& ts) {
  for (const auto& m : emu.replies(channel, ts))
    if (m.value("ts", "") != ts && m.contains("bot_id")) return true;
  return false;
}

/// Waits for replies to everything in @p pending; returns per-message latency in ms (-1 = no reply in time).
std::vector<double> collect(slack_emulator::emulator& emu, std::vector<Pending>& pending, std::mutex& mu,
                            const std::atomic<bool>& sending_done, std::chrono::seconds timeout,
                            std::vector<double>& lat) {
  std::vector<Pending> open;
  auto deadline = steady::now() + timeout;
  for (;;) {
    {
      std::lock_guard lock(mu);
      for (auto& p : pending) open.push_back(p);
      pending.clear();
    }
    for (auto it = open.begin(); it != open.end();) {
      if (has_bot_reply(emu, it->channel, it->ts)) {
        lat.push_back(std::chrono::duration<double, std::milli>(steady::now() - it->sent).count());
        it = open.erase(it);
      } else {
        ++it;
      }
    }
    if (sending_done && open.empty()) {
      std::lock_guard lock(mu);
      if (pending.empty()) break;
    }
    if (sending_done && steady::now() > deadline) break;
    if (!sending_done) deadline = steady::now() + timeout;
    std::this_thread::sleep_for(500us);
  }
  return std::vector<double>(open.size(), -1);
}

}  // namespace

int main(int argc, char** argv) {
  std::string index, docbot = DOCBOT_BIN;
  int mentions = 1000, rate = 50, channels = 100, burst = 500, cpu = 0;
  bool as_json = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--index")
      index = next();
    else if (a == "--mentions")
      mentions = std::atoi(next().c_str());
    else if (a == "--rate")
      rate = std::atoi(next().c_str());
    else if (a == "--channels")
      channels = std::atoi(next().c_str());
    else if (a == "--burst")
      burst = std::atoi(next().c_str());
    else if (a == "--cpu")
      cpu = std::atoi(next().c_str());
    else if (a == "--docbot")
      docbot = next();
    else if (a == "--json")
      as_json = true;
    else {
      std::cerr << "usage: bench-bot --index DIR [--mentions N] [--rate N/s] [--channels N] [--burst N] "
                   "[--cpu N] [--json]\n";
      return 2;
    }
  }
  if (index.empty() || mentions < 1 || rate < 1 || channels < 1) {
    std::cerr << "bench-bot: --index is required\n";
    return 2;
  }

  slack_emulator::settings s;
  s.log_to_stderr = false;
  // Each channel gets at most rate/channels messages per second; keep Slack's per-channel limit realistic.
  slack_emulator::emulator emu(s);
  emu.start();
  const std::string asker = emu.create_user("asker");
  const std::string oncall = emu.create_user("oncall");
  std::vector<std::string> chans;
  for (int i = 0; i < std::max(channels, burst); ++i)
    chans.push_back(emu.create_channel("bench-" + std::to_string(i), false, {asker}));

  const fs::path dir = fs::temp_directory_path() / ("bench-bot-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "docbot.yaml") << "index: " << fs::absolute(index).string() << "\n"
                                     << "escalation:\n  users: [" << oncall << "]\n"
                                     << "http:\n  listen: 127.0.0.1:0\n"
                                     << "state:\n  path: " << (dir / "state.sqlite3").string() << "\n"
                                     << "tuning:\n  workers: 4\n";
  const pid_t child = fork();
  if (child == 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);  // "one core"
    setenv("SLACK_BOT_TOKEN", s.bot_token.c_str(), 1);
    setenv("SLACK_APP_TOKEN", s.app_token.c_str(), 1);
    setenv("SLACK_API_URL", emu.api_base_url().c_str(), 1);
    const std::string cfg = (dir / "docbot.yaml").string(), ca = emu.ca_file();
    execl(docbot.c_str(), docbot.c_str(), "serve", "--config", cfg.c_str(), "--ca-file", ca.c_str(),
          "--log-level", "warn", static_cast<char*>(nullptr));
    std::perror("exec docbot");
    _exit(127);
  }
  if (!emu.wait_for_connections(1, 30s)) {
    std::cerr << "bench-bot: the bot did not connect\n";
    kill(child, SIGKILL);
    return 1;
  }
  const long rss_idle = vm_hwm_kb(child);
  const std::string mention = "<@" + s.bot_user_id + "> ";

  // Warm-up: a few questions so page cache and lazy initialisation are not in the figures.
  for (int i = 0; i < 5; ++i) {
    const auto ts = emu.post_message(asker, chans[0], mention + kQuestions[i]);
    while (!has_bot_reply(emu, chans[0], ts)) std::this_thread::sleep_for(2ms);
  }
  std::this_thread::sleep_for(1500ms);  // let chans[0]'s pacing slot pass

  // Phase 1: latency at a steady rate.
  std::mutex mu;
  std::vector<Pending> pending;
  std::atomic<bool> done{false};
  std::vector<double> lat;
  std::vector<double> missing;
  std::thread collector([&] { missing = collect(emu, pending, mu, done, 30s, lat); });
  const auto interval =
      std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(1.0 / rate));
  auto next = steady::now();
  const auto t1 = steady::now();
  for (int i = 0; i < mentions; ++i) {
    std::this_thread::sleep_until(next);
    next += interval;
    const std::string& ch = chans[static_cast<std::size_t>(i % channels)];
    const auto sent = steady::now();
    const auto ts = emu.post_message(asker, ch, mention + kQuestions[i % std::size(kQuestions)]);
    std::lock_guard lock(mu);
    pending.push_back({ch, ts, sent});
  }
  done = true;
  collector.join();
  const double phase1_s = std::chrono::duration<double>(steady::now() - t1).count();

  // Phase 2: burst, one mention per channel so per-channel pacing does not cap it.
  std::this_thread::sleep_for(1500ms);
  std::vector<double> blat, bmissing;
  done = false;
  std::thread bcollector([&] { bmissing = collect(emu, pending, mu, done, 60s, blat); });
  const auto t2 = steady::now();
  for (int i = 0; i < burst; ++i) {
    const std::string& ch = chans[static_cast<std::size_t>(i)];
    const auto sent = steady::now();
    const auto ts = emu.post_message(asker, ch, mention + kQuestions[i % std::size(kQuestions)]);
    std::lock_guard lock(mu);
    pending.push_back({ch, ts, sent});
  }
  done = true;
  bcollector.join();
  const double burst_s = std::chrono::duration<double>(steady::now() - t2).count();
  const long rss_peak = vm_hwm_kb(child);
  const auto stats = emu.stats();

  kill(child, SIGTERM);
  int status = 0;
  waitpid(child, &status, 0);
  emu.stop();
  fs::remove_all(dir);

  const double p50 = pct(lat, 0.50), p90 = pct(lat, 0.90), p99 = pct(lat, 0.99), mx = pct(lat, 1.0);
  const double tput = burst_s > 0 ? static_cast<double>(blat.size()) / burst_s : 0;
  if (as_json) {
    std::printf(
        "{\"mentions\":%d,\"rate_per_s\":%d,\"replied\":%zu,\"missing\":%zu,\"latency_ms\":{\"p50\":%.2f,"
        "\"p90\":%.2f,"
        "\"p99\":%.2f,\"max\":%.2f},\"burst\":%d,\"burst_replied\":%zu,\"burst_seconds\":%.3f,\"throughput_"
        "per_s\":%.1f,"
        "\"rss_kb_after_connect\":%ld,\"rss_kb_peak\":%ld,\"ack_timeouts\":%llu,\"rate_limited\":%llu,"
        "\"exit\":%d}\n",
        mentions, rate, lat.size(), missing.size(), p50, p90, p99, mx, burst, blat.size(), burst_s, tput,
        rss_idle, rss_peak, static_cast<unsigned long long>(stats.ack_timeouts),
        static_cast<unsigned long long>(stats.rate_limited), WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else {
    std::printf("bot pinned to CPU %d, index %s\n", cpu, index.c_str());
    std::printf("phase 1: %d mentions at %d/s over %d channels in %.1f s: %zu replied, %zu missing\n",
                mentions, rate, channels, phase1_s, lat.size(), missing.size());
    std::printf("  event -> reply latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", p50, p90, p99, mx);
    std::printf(
        "phase 2: burst of %d mentions (one per channel): %zu replied in %.2f s = %.1f replies/s (p50 %.0f "
        "ms, p99 %.0f ms)\n",
        burst, blat.size(), burst_s, tput, pct(blat, 0.5), pct(blat, 0.99));
    std::printf("bot peak RSS: %.1f MiB (after connect: %.1f MiB)\n", rss_peak / 1024.0, rss_idle / 1024.0);
    std::printf("emulator: ack timeouts %llu, 429s %llu; bot exit status after SIGTERM: %d\n",
                static_cast<unsigned long long>(stats.ack_timeouts),
                static_cast<unsigned long long>(stats.rate_limited),
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  return missing.empty() && bmissing.empty() ? 0 : 1;
}
