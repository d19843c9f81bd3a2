// Boost.Beast sessions, after Beast's advanced_server_flex and websocket/server/async-ssl examples:
// one class per connection, one strand per connection, async steps as do_x()/on_x(ec) pairs, one write queue.
#include "server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <atomic>
#include <deque>
#include <optional>

#include <nlohmann/json.hpp>

#include "hub.hpp"

namespace slack_emulator::detail {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTlsHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kHttpIdleTimeout = std::chrono::seconds(60);  // keep-alive clients (undici, axios) reuse sockets
constexpr auto kShutdownTimeout = std::chrono::seconds(5);
constexpr std::uint64_t kBodyLimit = 4 * 1024 * 1024;

/// Errors that only mean "the peer went away"; not worth more than a log line.
bool expected_close(const beast::error_code& ec) {
  return ec == net::error::operation_aborted || ec == websocket::error::closed || ec == ssl::error::stream_truncated ||
         ec == net::error::eof || ec == net::error::connection_reset || ec == http::error::end_of_stream ||
         ec == beast::error::timeout || ec == net::error::bad_descriptor;
}

// ------------------------------------------------------------------------------------------------ pong gate

/// A pass-through layer between the WebSocket and TLS that can swallow the server's Pong frames.
///
/// Why: Beast answers every Ping inside async_read and offers no way to opt out (control_callback only
/// observes), and a pending read cannot be cancelled without failing the stream. Sitting above TLS, this
/// layer sees plaintext frames: while `mute_pongs` is on, a write that is exactly one server Pong frame
/// (0x8A, unmasked, length < 126 — Beast writes each Pong as its own buffer) is reported as written and
/// dropped. Everything else passes untouched, so reading (acks), envelopes and server pings go on: the
/// client sees a server that is alive but silent to its pings, from the next Ping on.
template <class NextLayer>
class pong_gate {
 public:
  using next_layer_type = NextLayer;
  using executor_type = typename NextLayer::executor_type;

  template <class... Args>
  explicit pong_gate(Args&&... args) : next_(std::forward<Args>(args)...) {}

  executor_type get_executor() noexcept { return next_.get_executor(); }
  next_layer_type& next_layer() noexcept { return next_; }
  const next_layer_type& next_layer() const noexcept { return next_; }

  /// Swallow Pong frames from now on (true) or send them again (false). Call on the stream's strand.
  void mute_pongs(bool on) { muted_ = on; }
  std::uint64_t swallowed() const { return swallowed_; }

  template <class MutableBufferSequence, class ReadHandler>
  auto async_read_some(const MutableBufferSequence& buffers, ReadHandler&& handler) {
    return next_.async_read_some(buffers, std::forward<ReadHandler>(handler));
  }

  template <class ConstBufferSequence, class WriteHandler>
  auto async_write_some(const ConstBufferSequence& buffers, WriteHandler&& handler) {
    if (!muted_ || !is_pong_frame(buffers)) return next_.async_write_some(buffers, std::forward<WriteHandler>(handler));
    ++swallowed_;
    const std::size_t n = beast::buffer_bytes(buffers);
    return net::async_initiate<WriteHandler, void(beast::error_code, std::size_t)>(
        [this, n](auto h) {
          // Complete as if written, never inline (the caller's composed op expects an async completion).
          net::post(get_executor(), [h = std::move(h), n]() mutable { h(beast::error_code{}, n); });
        },
        handler);
  }

 private:
  template <class ConstBufferSequence>
  static bool is_pong_frame(const ConstBufferSequence& buffers) {
    const std::size_t n = beast::buffer_bytes(buffers);
    if (n < 2 || n > 2 + 125) return false;
    unsigned char head[2];
    net::buffer_copy(net::buffer(head), buffers);
    return head[0] == 0x8A && (head[1] & 0x80) == 0 && n == 2u + head[1];
  }

  NextLayer next_;
  bool muted_ = false;
  std::uint64_t swallowed_ = 0;
};

// Closing the WebSocket tears down the layer below: TLS close_notify, then TCP (Beast finds these by ADL).
template <class NextLayer>
void teardown(beast::role_type role, pong_gate<NextLayer>& s, beast::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, s.next_layer(), ec);
}

template <class NextLayer, class TeardownHandler>
void async_teardown(beast::role_type role, pong_gate<NextLayer>& s, TeardownHandler&& handler) {
  using boost::beast::websocket::async_teardown;
  async_teardown(role, s.next_layer(), std::forward<TeardownHandler>(handler));
}

// ------------------------------------------------------------------------------------------------ WebSocket

class ws_session : public link, public std::enable_shared_from_this<ws_session> {
 public:
  ws_session(beast::ssl_stream<beast::tcp_stream>&& stream, hub& h, std::uint64_t id, bool debug_reconnects)
      : ws_(std::move(stream)),
        hub_(h),
        id_(id),
        debug_reconnects_(debug_reconnects),
        ping_timer_(ws_.get_executor()),
        warn_timer_(ws_.get_executor()),
        refresh_timer_(ws_.get_executor()),
        close_timer_(ws_.get_executor()) {}

  void run(http::request<http::string_body> req) {
    // The stream was used for HTTP with its own deadline; from here on liveness is our ping/ack business.
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(10);  // also bounds the closing handshake
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;  // server pings are a test knob, sent by do_ping()
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "docbot-slack-emulator"); }));
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::ping) hub_.on_client_ping();
      if (kind == websocket::frame_type::pong) hub_.on_client_pong();
    });
    ws_.async_accept(req, beast::bind_front_handler(&ws_session::on_accept, shared_from_this()));
  }

  // ---- link (thread-safe: everything is posted to our strand)
  std::uint64_t id() const override { return id_; }

  void send_text(std::string frame) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), f = std::move(frame)]() mutable {
      self->enqueue({frame_kind::text, std::move(f)});
    });
  }

  void begin_disconnect(std::string reason, std::chrono::milliseconds close_delay) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), reason, close_delay] {
      self->do_disconnect(reason, close_delay);
    });
  }

  void drop() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      self->log("dropped at TCP level (control)");
      beast::get_lowest_layer(self->ws_).close();
    });
  }

  void set_server_pings(bool enabled) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), enabled] {
      self->pings_ = enabled;
      if (enabled)
        self->arm_ping();
      else
        self->ping_timer_.cancel();
    });
  }

  void set_answer_pings(bool enabled) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), enabled] {
      auto& gate = self->ws_.next_layer();
      gate.mute_pongs(!enabled);
      self->log(enabled ? "answering pings again (" + std::to_string(gate.swallowed()) + " pong(s) swallowed)"
                        : "not answering pings (pongs swallowed, reading goes on)");
    });
  }

  void schedule_refresh(std::chrono::milliseconds lifetime) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), lifetime] { self->arm_refresh(lifetime); });
  }

 private:
  enum class frame_kind { text, ping, close };
  struct frame {
    frame_kind kind;
    std::string data;
  };

  void log(const std::string& what) { hub_.logger().log("conn#" + std::to_string(id_) + " " + what); }

  void fail(beast::error_code ec, const char* stage) {
    if (!expected_close(ec)) log(std::string(stage) + " failed: " + ec.message());
  }

  void on_accept(beast::error_code ec) {
    if (ec) return fail(ec, "websocket accept");
    log(std::string("websocket open") + (debug_reconnects_ ? " (debug_reconnects)" : ""));
    hub_.attach(shared_from_this(), debug_reconnects_);  // queues hello before anything else
    do_read();
  }

  void do_read() {
    if (closed_) return;
    ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return finish(ec, "read");
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    hub_.on_client_text(id_, text);
    do_read();
  }

  void finish(beast::error_code ec, const char* stage) {
    if (closed_) return;
    closed_ = true;
    hub_.retire(id_);
    ping_timer_.cancel();
    warn_timer_.cancel();
    refresh_timer_.cancel();
    close_timer_.cancel();
    if (!writing_) queue_.clear();  // an in-flight write still references its frame
    // websocket::error::closed is the normal end (client Close frame, e.g. Node after refresh_requested).
    log(std::string("closed (") + stage + ": " + ec.message() + ")");
  }

  void enqueue(frame f) {
    if (closed_) return;
    queue_.push_back(std::move(f));
    if (!writing_) do_write();
  }

  void do_write() {
    if (queue_.empty() || closed_) return;
    writing_ = true;
    frame& f = queue_.front();
    switch (f.kind) {
      case frame_kind::text:
        ws_.text(true);
        ws_.async_write(net::buffer(f.data), beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
        break;
      case frame_kind::ping:
        ws_.async_ping(websocket::ping_data("emulator"),
                       [self = shared_from_this()](beast::error_code ec) { self->on_write(ec, 0); });
        break;
      case frame_kind::close:
        ws_.async_close(websocket::close_code::normal,
                        [self = shared_from_this()](beast::error_code ec) { self->on_write(ec, 0); });
        break;
    }
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (closed_) {
      queue_.clear();
      return;
    }
    if (ec) {
      queue_.clear();
      // A write failing is final for this socket; make sure the pending read ends too.
      fail(ec, "write");
      beast::get_lowest_layer(ws_).close();
      return;
    }
    if (!queue_.empty()) queue_.pop_front();
    do_write();
  }

  void arm_ping() {
    ping_timer_.expires_after(hub_.config().server_ping_interval);  // cancels a previous wait
    ping_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;  // operation_aborted: pings switched off, re-armed, or closed
      if (!self->pings_ || self->closed_) return;
      self->enqueue({frame_kind::ping, {}});
      self->arm_ping();
    });
  }

  void arm_refresh(std::chrono::milliseconds lifetime) {
    const auto& cfg = hub_.config();
    if (cfg.send_refresh_warning && lifetime > cfg.refresh_warning_lead) {
      warn_timer_.expires_after(lifetime - cfg.refresh_warning_lead);
      warn_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec) return;
        self->do_disconnect("warning", std::chrono::milliseconds(0));
      });
    }
    refresh_timer_.expires_after(lifetime);
    refresh_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->hub_.retire(self->id_);
      self->do_disconnect("refresh_requested", self->hub_.config().disconnect_close_delay);
    });
  }

  void do_disconnect(const std::string& reason, std::chrono::milliseconds close_delay) {
    if (closed_ || closing_) return;
    nlohmann::json msg = {{"type", "disconnect"},
                          {"reason", reason},
                          {"debug_info", {{"host", "wss-emulator-" + std::to_string(id_)}}}};
    log("<- disconnect " + reason);
    enqueue({frame_kind::text, msg.dump()});
    if (reason == "warning") return;  // the socket stays usable until refresh_requested
    closing_ = true;
    warn_timer_.cancel();
    refresh_timer_.cancel();
    close_timer_.expires_after(close_delay);
    close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      if (self->closed_) return;  // the client closed first (Node does, right after refresh_requested)
      self->log("server close after disconnect");
      self->enqueue({frame_kind::close, {}});
    });
  }

  websocket::stream<pong_gate<beast::ssl_stream<beast::tcp_stream>>> ws_;
  hub& hub_;
  std::uint64_t id_;
  bool debug_reconnects_;
  beast::flat_buffer buffer_;
  std::deque<frame> queue_;
  bool writing_ = false;
  bool closing_ = false;
  bool closed_ = false;
  bool pings_ = false;
  net::steady_timer ping_timer_, warn_timer_, refresh_timer_, close_timer_;
};

// ------------------------------------------------------------------------------------------------ HTTPS

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(tcp::socket&& socket, ssl::context& ctx, hub& h, std::atomic<std::uint64_t>& ids)
      : stream_(std::move(socket), ctx), hub_(h), ids_(ids) {}

  void run() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&http_session::on_run, shared_from_this()));
  }

 private:
  void on_run() {
    beast::get_lowest_layer(stream_).expires_after(kTlsHandshakeTimeout);
    stream_.async_handshake(ssl::stream_base::server,
                            beast::bind_front_handler(&http_session::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return fail(ec, "tls handshake");
    do_read();
  }

  void do_read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    beast::get_lowest_layer(stream_).expires_after(kHttpIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&http_session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return do_close();  // client finished with a keep-alive socket
    if (ec) return fail(ec, "http read");
    auto req = parser_->release();

    if (websocket::is_upgrade(req)) {
      bool debug = false;
      const std::string target(req.target());
      if (hub_.accept_ticket(target, debug)) {
        auto id = ++ids_;
        std::make_shared<ws_session>(std::move(stream_), hub_, id, debug)->run(std::move(req));
        return;
      }
      auto res = std::make_shared<http::response<http::string_body>>(http::status::unauthorized, req.version());
      res->set(http::field::content_type, "text/plain");
      res->body() = "invalid_ticket";
      res->keep_alive(false);
      res->prepare_payload();
      hub_.logger().log("ws upgrade " + target.substr(0, 80) + " -> 401");
      return do_write(res);
    }

    http_request hr;
    hr.method = std::string(req.method_string());
    hr.target = std::string(req.target());
    hr.content_type = std::string(req[http::field::content_type]);
    hr.authorization = std::string(req[http::field::authorization]);
    hr.body = std::move(req.body());
    http_response out = hub_.handle_http(hr);

    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(out.status),
                                                                   req.version());
    res->set(http::field::server, "docbot-slack-emulator");
    res->set(http::field::content_type, out.content_type);
    for (auto& [k, v] : out.headers) res->set(k, v);
    res->keep_alive(req.keep_alive());
    res->body() = std::move(out.body);
    res->prepare_payload();
    do_write(res);
  }

  void do_write(std::shared_ptr<http::response<http::string_body>> res) {
    beast::get_lowest_layer(stream_).expires_after(kHttpIdleTimeout);
    const bool keep = res->keep_alive();
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep](beast::error_code ec, std::size_t) {
      self->on_write(keep, ec);
    });
  }

  void on_write(bool keep_alive, beast::error_code ec) {
    if (ec) return fail(ec, "http write");
    if (!keep_alive) return do_close();
    do_read();
  }

  void do_close() {
    beast::get_lowest_layer(stream_).expires_after(kShutdownTimeout);
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      // Clients often drop TCP without close_notify (stream_truncated); nothing to do either way.
    });
  }

  void fail(beast::error_code ec, const char* stage) {
    if (!expected_close(ec)) hub_.logger().log(std::string("https ") + stage + " failed: " + ec.message());
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  hub& hub_;
  std::atomic<std::uint64_t>& ids_;
};

}  // namespace

// ------------------------------------------------------------------------------------------------ listener

struct server::impl : std::enable_shared_from_this<server::impl> {
  impl(net::io_context& ioc, hub& h) : ioc(ioc), hub_(h), ctx(ssl::context::tls_server), acceptor(net::make_strand(ioc)) {}

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
      if (ec == net::error::operation_aborted) return;  // stop()
      if (!ec) std::make_shared<http_session>(std::move(s), self->ctx, self->hub_, self->ids)->run();
      else self->hub_.logger().log("accept failed: " + ec.message());
      self->do_accept();
    });
  }

  net::io_context& ioc;
  hub& hub_;
  ssl::context ctx;
  tcp::acceptor acceptor;
  std::atomic<std::uint64_t> ids{0};
};

server::server(net::io_context& ioc, hub& h, const tls_material& tls) : impl_(std::make_shared<impl>(ioc, h)) {
  auto& ctx = impl_->ctx;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  const std::string chain = tls.server_cert_pem + tls.ca_cert_pem;
  ctx.use_certificate_chain(net::buffer(chain));
  ctx.use_private_key(net::buffer(tls.server_key_pem), ssl::context::pem);
}

server::~server() = default;

std::uint16_t server::listen(const std::string& address, std::uint16_t port) {
  auto& a = impl_->acceptor;
  tcp::endpoint ep(net::ip::make_address(address), port);
  a.open(ep.protocol());
  a.set_option(net::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen(net::socket_base::max_listen_connections);
  return a.local_endpoint().port();
}

void server::start() {
  net::dispatch(impl_->acceptor.get_executor(), [self = impl_] { self->do_accept(); });
}

void server::stop() {
  net::dispatch(impl_->acceptor.get_executor(), [self = impl_] {
    beast::error_code ec;
    self->acceptor.close(ec);
  });
}

}  // namespace slack_emulator::detail
