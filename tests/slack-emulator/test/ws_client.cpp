#include "ws_client.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace test_support {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {
void setup_ctx(ssl::context& ctx, const std::string& ca_file) {
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.load_verify_file(ca_file);
}
}  // namespace

https_result https_call(std::uint16_t port, const std::string& ca_file, const std::string& method,
                        const std::string& target, const std::string& content_type, const std::string& body,
                        const std::string& authorization) {
  net::io_context ioc;
  ssl::context ctx(ssl::context::tls_client);
  setup_ctx(ctx, ca_file);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  stream.set_verify_callback(ssl::host_name_verification("localhost"));
  SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
  beast::get_lowest_layer(stream).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  stream.handshake(ssl::stream_base::client);
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (!content_type.empty()) req.set(http::field::content_type, content_type);
  if (!authorization.empty()) req.set(http::field::authorization, authorization);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res);
  https_result out;
  out.status = res.result_int();
  out.body = res.body();
  for (auto& f : res) out.headers[std::string(f.name_string())] = std::string(f.value());
  beast::error_code ec;
  stream.shutdown(ec);  // stream_truncated etc. are irrelevant here
  return out;
}

struct wss_client::impl {
  impl(std::uint16_t p, std::string ca) : port(p), ctx(ssl::context::tls_client), ws(ioc, ctx) {
    setup_ctx(ctx, ca);
  }
  std::uint16_t port;
  net::io_context ioc;
  ssl::context ctx;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws;
  beast::flat_buffer buf;
  std::deque<std::string> inbox;
  std::vector<std::string> pongs;
  int server_pings = 0;
  bool closed = false;

  void start_read() {
    ws.async_read(buf, [this](beast::error_code ec, std::size_t) {
      if (ec) {
        closed = true;
        return;
      }
      inbox.push_back(beast::buffers_to_string(buf.data()));
      buf.consume(buf.size());
      start_read();
    });
  }

  template <class Pred>
  void run_until(Pred done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      ioc.restart();
      ioc.run_one_for(deadline - std::chrono::steady_clock::now());
    }
  }
};

wss_client::wss_client(std::uint16_t port, std::string ca_file) : impl_(std::make_unique<impl>(port, ca_file)) {}
wss_client::~wss_client() = default;

bool wss_client::connect(const std::string& url, std::string* error) {
  auto& d = *impl_;
  try {
    const std::string target = url.substr(url.find("/link"));
    auto& ssl_stream = d.ws.next_layer();
    ssl_stream.set_verify_callback(ssl::host_name_verification("localhost"));
    SSL_set_tlsext_host_name(ssl_stream.native_handle(), "localhost");
    beast::get_lowest_layer(d.ws).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), d.port));
    ssl_stream.handshake(ssl::stream_base::client);
    d.ws.control_callback([&d](websocket::frame_type kind, beast::string_view payload) {
      if (kind == websocket::frame_type::pong) d.pongs.emplace_back(payload);
      if (kind == websocket::frame_type::ping) ++d.server_pings;
    });
    d.ws.handshake("127.0.0.1:" + std::to_string(d.port), target);
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
  d.start_read();
  return true;
}

std::optional<nlohmann::json> wss_client::read_json(std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  d.run_until([&] { return !d.inbox.empty() || d.closed; }, timeout);
  if (d.inbox.empty()) return std::nullopt;
  std::string s = std::move(d.inbox.front());
  d.inbox.pop_front();
  return nlohmann::json::parse(s);
}

std::optional<std::string> wss_client::read_text(std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  d.run_until([&] { return !d.inbox.empty() || d.closed; }, timeout);
  if (d.inbox.empty()) return std::nullopt;
  std::string s = std::move(d.inbox.front());
  d.inbox.pop_front();
  return s;
}

void wss_client::send_json(const nlohmann::json& j) {
  auto& d = *impl_;
  auto text = std::make_shared<std::string>(j.dump());
  bool done = false;
  d.ws.text(true);
  d.ws.async_write(net::buffer(*text), [&done, text](beast::error_code, std::size_t) { done = true; });
  d.run_until([&] { return done; }, std::chrono::seconds(5));
}

void wss_client::ping(const std::string& payload) {
  auto& d = *impl_;
  bool done = false;
  d.ws.async_ping(websocket::ping_data(payload.c_str()), [&done](beast::error_code) { done = true; });
  d.run_until([&] { return done; }, std::chrono::seconds(5));
}

void wss_client::pump(std::chrono::milliseconds dur) {
  auto& d = *impl_;
  d.run_until([] { return false; }, dur);
}

void wss_client::close() {
  auto& d = *impl_;
  if (d.closed) return;
  bool done = false;
  d.ws.async_close(websocket::close_code::normal, [&done](beast::error_code) { done = true; });
  d.run_until([&] { return done && d.closed; }, std::chrono::seconds(5));
}

bool wss_client::closed() const { return impl_->closed; }
std::vector<std::string> wss_client::pongs() const { return impl_->pongs; }
int wss_client::server_pings() const { return impl_->server_pings; }

}  // namespace test_support
