#include "bot/runtime/service.hpp"

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "bot/app/bot.hpp"
#include "bot/app/docs.hpp"
#include "bot/app/escalation.hpp"
#include "bot/app/state.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/work_queue.hpp"
#include "bot/net/net.hpp"

namespace docbot::bot {

struct Service::Impl {
  ServiceOptions opt;
  Log& log;
  SystemClock clock;
  Metrics metrics;
  std::unique_ptr<net::HttpsWebApi> bot_http;
  std::unique_ptr<net::HttpsWebApi> app_http;
  std::unique_ptr<RateLimitedWebApi> api;
  std::unique_ptr<RateLimitedWebApi> app_api;
  std::unique_ptr<StateStore> state;
  std::unique_ptr<IndexSearch> docs;
  std::unique_ptr<SlackEscalator> escalator;
  std::unique_ptr<Bot> bot;
  std::unique_ptr<WorkQueue> workers;
  std::unique_ptr<net::SocketModeClient> socket;
  std::unique_ptr<net::StatusServer> status;
  std::string user_id;
  bool stopped = false;

  explicit Impl(ServiceOptions o, Log& l) : opt(std::move(o)), log(l) {}
};

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Service::~Service() { shutdown(); }

std::unique_ptr<Service> Service::create(ServiceOptions options, Log& log, std::string* error) {
  auto d = std::make_unique<Impl>(std::move(options), log);
  const Config& cfg = d->opt.config;
  auto searcher = search::Searcher::open(cfg.index, error);
  if (!searcher) return nullptr;
  std::vector<search::SourceUrl> urls;
  for (const auto& s : cfg.sources) urls.push_back({s.name, s.base_url, s.url_style, s.strip_prefix});
  if (!urls.empty()) searcher->set_urls(urls);
  d->docs = std::make_unique<IndexSearch>(std::move(searcher), d->clock, log, d->metrics,
                                          cfg.index_reopen_interval);
  d->state = StateStore::open(cfg.state_db, error);
  if (!d->state) return nullptr;
  try {
    net::TlsOptions tls{d->opt.ca_file};
    d->bot_http = std::make_unique<net::HttpsWebApi>(
        net::HttpsWebApi::Options{d->opt.api_url, d->opt.bot_token, tls, cfg.http_timeout});
    d->app_http = std::make_unique<net::HttpsWebApi>(
        net::HttpsWebApi::Options{d->opt.api_url, d->opt.app_token, tls, cfg.http_timeout});
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return nullptr;
  }
  RateLimitedWebApi::Options rl;
  rl.post_interval = cfg.post_interval;
  d->api = std::make_unique<RateLimitedWebApi>(*d->bot_http, d->clock, log, d->metrics, rl);
  d->app_api = std::make_unique<RateLimitedWebApi>(*d->app_http, d->clock, log, d->metrics, rl);

  // auth.test: who am I (never answer myself) — and a fail-fast check of the bot token.
  ApiResult who = d->api->call("auth.test", nlohmann::json::object());
  if (!who.ok) {
    if (error) *error = "auth.test failed: " + who.error;
    return nullptr;
  }
  d->user_id = who.body.value("user_id", "");
  log.info("serve", "authenticated as " + d->user_id + " (bot " + who.body.value("bot_id", "") +
                        ") in team " + who.body.value("team_id", ""));
  d->escalator =
      std::make_unique<SlackEscalator>(*d->api, log, cfg.escalation_users, cfg.escalation_usergroup);
  d->bot = std::make_unique<Bot>(d->opt.config, *d->docs, *d->api, *d->state, *d->escalator, d->clock, log,
                                 d->metrics);
  d->bot->set_identity(d->user_id, who.body.value("bot_id", ""));
  return std::unique_ptr<Service>(new Service(std::move(d)));
}

void Service::start() {
  auto& d = *impl_;
  const Config& cfg = d.opt.config;
  d.status = std::make_unique<net::StatusServer>(
      cfg.http_listen,
      [this](const std::string& method, const std::string& target) {
        net::StatusServer::Reply r;
        const std::string path = target.substr(0, target.find('?'));
        if (method != "GET") {
          r.status = 405;
          r.body = "method not allowed\n";
        } else if (path == "/healthz") {
          // The truth about both halves: a socket that is up but an index that cannot answer is not healthy.
          const HealthReport h = health_report(socket_connected(), impl_->docs->health());
          r.status = h.status;
          r.content_type = "application/json";
          r.body = h.body.dump() + "\n";
        } else if (path == "/metrics") {
          r.content_type = "text/plain; version=0.0.4; charset=utf-8";
          r.body = impl_->metrics.render();
        } else {
          r.status = 404;
          r.body = "not found\n";
        }
        return r;
      },
      d.log);
  d.workers = std::make_unique<WorkQueue>(cfg.workers);
  net::SocketModeClient::Options so;
  so.tls.ca_file = d.opt.ca_file;
  so.ping_interval = cfg.ping_interval;
  so.pong_timeout = cfg.pong_timeout;
  so.connect_timeout = cfg.connect_timeout;
  so.backoff_initial = cfg.backoff_initial;
  so.backoff_max = cfg.backoff_max;
  so.seed = d.opt.seed;
  d.socket = std::make_unique<net::SocketModeClient>(
      so, [&d] { return d.app_api->call("apps.connections.open", nlohmann::json::object()); },
      [&d](protocol::Frame f) {
        auto ev = protocol::to_event(f);
        if (!d.workers->push([&d, ev = std::move(ev)] { d.bot->handle(ev); }))
          d.log.warn("serve", "draining: event from envelope " + f.envelope_id + " not handled");
      },
      d.log, d.metrics);
  d.socket->start();
}

void Service::shutdown() {
  auto& d = *impl_;
  if (d.stopped) return;
  d.stopped = true;
  if (d.socket) {
    d.log.info("serve", "draining: no new events; finishing in-flight replies");
    d.socket->stop_taking();
  }
  if (d.workers && !d.workers->drain(d.opt.config.drain_timeout))
    d.log.warn("serve", "drain timeout: " + std::to_string(d.workers->in_flight()) + " job(s) abandoned");
  if (d.socket) d.socket->close();
  if (d.workers) d.workers->stop();
  if (d.status) d.status->stop();
  d.log.info("serve", "stopped");
}

bool Service::socket_connected() const { return impl_->socket && impl_->socket->connected(); }
bool Service::healthy() const { return socket_connected() && impl_->docs && impl_->docs->health().usable; }
std::uint16_t Service::http_port() const { return impl_->status ? impl_->status->port() : 0; }
Metrics& Service::metrics() { return impl_->metrics; }
const std::string& Service::bot_user_id() const { return impl_->user_id; }

namespace {

int serve_usage(const std::string& msg) {
  if (!msg.empty()) std::cerr << "docbot serve: " << msg << "\n";
  std::cerr << "usage: docbot serve --config FILE [--ca-file PEM] [--log-level debug|info|warn]\n"
               "  tokens: SLACK_BOT_TOKEN, SLACK_APP_TOKEN (or *_FILE); SLACK_API_URL overrides "
               "https://slack.com/api/\n";
  return 2;
}

}  // namespace

int run_serve(int argc, char** argv) {
  std::string config_path, ca_file, level = "info";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--config") {
      const char* v = value();
      if (!v) return serve_usage("--config needs a file");
      config_path = v;
    } else if (a == "--ca-file") {
      const char* v = value();
      if (!v) return serve_usage("--ca-file needs a PEM file");
      ca_file = v;
    } else if (a == "--log-level") {
      const char* v = value();
      if (!v) return serve_usage("--log-level needs a level");
      level = v;
    } else if (a == "-h" || a == "--help") {
      serve_usage("");
      return 0;
    } else {
      return serve_usage("unknown argument '" + a + "'");
    }
  }
  if (config_path.empty()) return serve_usage("--config is required");
  std::string err;
  auto cfg = load_config(config_path, &err);
  if (!cfg) {
    std::cerr << "docbot serve: " << err << "\n";
    return 2;
  }
  ServiceOptions opt;
  opt.config = *cfg;
  auto bot_token = secret_from_env("SLACK_BOT_TOKEN", &err);
  if (!bot_token) {
    std::cerr << "docbot serve: " << err << " (run `docbot console --index DIR` to try it without Slack)\n";
    return 2;
  }
  auto app_token = secret_from_env("SLACK_APP_TOKEN", &err);
  if (!app_token) {
    std::cerr << "docbot serve: " << err << "\n";
    return 2;
  }
  opt.bot_token = *bot_token;
  opt.app_token = *app_token;
  if (const char* u = std::getenv("SLACK_API_URL"); u && *u) opt.api_url = u;
  opt.ca_file = ca_file;

  Log log(std::cerr, level == "debug"  ? Log::Level::debug
                     : level == "warn" ? Log::Level::warn
                                       : Log::Level::info);
  // Block the stop signals before any thread starts so they all inherit the mask; sigwait below receives
  // them.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);

  auto svc = Service::create(opt, log, &err);
  if (!svc) {
    std::cerr << "docbot serve: " << err << "\n";
    return 1;
  }
  try {
    svc->start();
  } catch (const std::exception& e) {
    std::cerr << "docbot serve: " << e.what() << "\n";
    return 2;
  }
  int sig = 0;
  sigwait(&sigs, &sig);
  log.info("serve", std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT"));
  svc->shutdown();
  return 0;
}

}  // namespace docbot::bot
