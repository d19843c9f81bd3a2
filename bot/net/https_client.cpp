// HTTPS Web API client (Beast). Each connection owns a private io_context so a worker thread can run one
// request to completion with async operations — which is what gives every phase a real timeout — without
// sharing an event loop with the Socket Mode client.
#include <openssl/err.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <map>
#include <mutex>

#include "bot/core/url.hpp"
#include "bot/net/net.hpp"
#include "bot/net/tls_common.hpp"
#include "bot/protocol/answer.hpp"

namespace docbot::bot::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

/// One keep-alive TLS connection to one host:port.
class Connection {
 public:
  Connection(ssl::context& ctx, Url url, std::chrono::milliseconds timeout)
      : stream_(ioc_, ctx), url_(std::move(url)), timeout_(timeout) {}

  bool reused() const { return requests_ > 0; }

  /// Sends one request and reads the response. On error the connection must be discarded.
  beast::error_code exchange(http::request<http::string_body>& req, http::response<http::string_body>& res,
                             std::string& stage) {
    beast::error_code ec;
    if (!connected_) {
      stage = "connect";
      if ((ec = do_connect())) return ec;
      connected_ = true;
    }
    stage = "write";
    beast::get_lowest_layer(stream_).expires_after(timeout_);
    ec = run([&](auto h) { http::async_write(stream_, req, h); });
    if (ec) return ec;
    stage = "read";
    beast::get_lowest_layer(stream_).expires_after(timeout_);
    ec = run([&](auto h) { http::async_read(stream_, buffer_, res, h); });
    if (ec) return ec;
    ++requests_;
    if (!res.keep_alive()) connected_ = false, closed_by_peer_ = true;
    return ec;
  }
  bool usable() const { return connected_ && !closed_by_peer_; }

 private:
  /// Runs one async operation to completion on the private io_context; returns its error_code.
  template <class Initiate>
  beast::error_code run(Initiate&& initiate) {
    beast::error_code result;
    initiate([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  beast::error_code do_connect() {
    tcp::resolver resolver(ioc_);
    tcp::resolver::results_type endpoints;
    beast::error_code ec = run([&](auto h) {
      resolver.async_resolve(url_.host, url_.port,
                             [&endpoints, h](beast::error_code e, tcp::resolver::results_type r) mutable {
                               endpoints = r;
                               h(e);
                             });
    });
    if (ec) return ec;
    beast::get_lowest_layer(stream_).expires_after(timeout_);
    ec = run([&](auto h) { beast::get_lowest_layer(stream_).async_connect(endpoints, h); });
    if (ec) return ec;
    if (!detail::prepare_ssl(stream_.native_handle(), url_.host))
      return beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
    beast::get_lowest_layer(stream_).expires_after(timeout_);
    return run([&](auto h) { stream_.async_handshake(ssl::stream_base::client, h); });
  }

  asio::io_context ioc_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  Url url_;
  std::chrono::milliseconds timeout_;
  bool connected_ = false;
  bool closed_by_peer_ = false;
  int requests_ = 0;
};

std::string host_key(const Url& u) { return u.host + ":" + u.port; }

}  // namespace

struct HttpsWebApi::Impl {
  Options opt;
  ssl::context ctx{ssl::context::tls_client};
  std::optional<Url> base;
  std::mutex mu;
  std::map<std::string, std::deque<std::unique_ptr<Connection>>> idle;  // by host:port
  std::atomic<int> opened{0};

  std::unique_ptr<Connection> acquire(const Url& u) {
    {
      std::lock_guard lock(mu);
      auto& q = idle[host_key(u)];
      if (!q.empty()) {
        auto c = std::move(q.back());
        q.pop_back();
        return c;
      }
    }
    ++opened;
    return std::make_unique<Connection>(ctx, u, opt.timeout);
  }

  void release(const Url& u, std::unique_ptr<Connection> c) {
    if (!c->usable()) return;
    std::lock_guard lock(mu);
    auto& q = idle[host_key(u)];
    if (q.size() < 8) q.push_back(std::move(c));
  }

  /// POSTs JSON; one retry on a fresh connection when a reused one fails before any response (the server
  /// closed an idle keep-alive connection: the request never reached it).
  ApiResult post(const Url& u, const std::string& body, const std::string& auth) {
    ApiResult out;
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto conn = acquire(u);
      http::request<http::string_body> req{http::verb::post, u.target, 11};
      req.set(http::field::host, u.host);
      req.set(http::field::user_agent, "docbot/0.1");
      req.set(http::field::content_type, "application/json; charset=utf-8");
      req.set(http::field::accept, "application/json");
      if (!auth.empty()) req.set(http::field::authorization, "Bearer " + auth);
      req.keep_alive(true);
      req.body() = body;
      req.prepare_payload();
      http::response<http::string_body> res;
      std::string stage;
      beast::error_code ec = conn->exchange(req, res, stage);
      if (ec) {
        const bool stale = conn->reused() && stage != "connect";
        out.error = "transport: " + stage + ": " + ec.message();
        if (stale && attempt == 0) continue;
        return out;
      }
      out.http_status = static_cast<int>(res.result_int());
      if (auto it = res.find(http::field::retry_after); it != res.end()) {
        try {
          out.retry_after_s = std::stoi(std::string(it->value()));
        } catch (...) {
          out.retry_after_s = -1;  // HTTP-date form or junk: caller falls back to its default
        }
      }
      out.body = nlohmann::json::parse(res.body(), nullptr, false);
      if (out.body.is_discarded()) out.body = nullptr;
      release(u, std::move(conn));
      if (out.http_status == 200 && out.body.is_object()) {
        out.ok = out.body.value("ok", false);
        if (!out.ok) out.error = out.body.value("error", "ok:false without error");
      } else if (out.http_status == 200) {
        out.ok = true;  // response_url answers a plain "ok"
      } else {
        out.error = "HTTP " + std::to_string(out.http_status) +
                    (out.body.is_object() ? " " + out.body.value("error", "") : "");
      }
      return out;
    }
    return out;
  }
};

HttpsWebApi::HttpsWebApi(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->opt = std::move(options);
  detail::configure_client_context(impl_->ctx, impl_->opt.tls);
  std::string base = impl_->opt.api_base_url;
  if (base.empty() || base.back() != '/') base += '/';
  impl_->base = parse_url(base);
  if (!impl_->base || impl_->base->scheme != "https")
    throw std::runtime_error("SLACK_API_URL '" + impl_->opt.api_base_url + "' is not an https:// URL");
}

HttpsWebApi::~HttpsWebApi() = default;

ApiResult HttpsWebApi::call(const std::string& method, const nlohmann::json& args) {
  Url u = *impl_->base;
  u.target += method;
  return impl_->post(u, protocol::dump(args), impl_->opt.token);
}

ApiResult HttpsWebApi::post_url(const std::string& url, const nlohmann::json& body) {
  auto u = parse_url(url);
  ApiResult r;
  if (!u || u->scheme != "https") {
    r.error = "response_url is not https";
    return r;
  }
  return impl_->post(*u, protocol::dump(body), "");
}

int HttpsWebApi::connections_opened() const { return impl_->opened.load(); }

}  // namespace docbot::bot::net
