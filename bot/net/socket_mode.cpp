// Socket Mode client (Beast WebSocket over TLS). Shape follows Beast's example/websocket/client/async-ssl:
// one Session object per connection with do_x/on_x steps on its own strand, one write queue per connection
// (acks, pings and the Close frame all go through it), and a Manager that owns the sessions and decides
// when to open a new one (refresh: new before old) or back off and reconnect.
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <future>
#include <list>
#include <mutex>
#include <random>
#include <thread>

#include "bot/core/limits.hpp"
#include "bot/core/url.hpp"
#include "bot/net/net.hpp"
#include "bot/net/tls_common.hpp"

namespace docbot::bot::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

class Session;

/// What a session reports to its owner (always invoked on the manager's strand).
struct SessionOwner {
  virtual ~SessionOwner() = default;
  virtual void on_hello(const std::shared_ptr<Session>& s) = 0;
  virtual void on_disconnect_request(const std::shared_ptr<Session>& s, const std::string& reason) = 0;
  virtual void on_closed(const std::shared_ptr<Session>& s, bool dead) = 0;
  virtual bool taking_events() const = 0;
  virtual void deliver(protocol::Frame f) = 0;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  enum class State { resolving, connecting, tls, upgrading, waiting_hello, open, closing, closed };

  Session(asio::io_context& ioc, ssl::context& ctx, Url url, const SocketModeClient::Options& opt, int id,
          std::weak_ptr<SessionOwner> owner, asio::any_io_executor owner_strand, Log& log, Metrics& metrics)
      : strand_(asio::make_strand(ioc)),
        resolver_(strand_),
        ws_(strand_, ctx),
        timer_(strand_),
        url_(std::move(url)),
        opt_(opt),
        id_(id),
        owner_(std::move(owner)),
        owner_strand_(std::move(owner_strand)),
        log_(log),
        metrics_(metrics) {}

  int id() const { return id_; }
  bool is_open() const { return state_ == State::open; }

  void run() {
    asio::dispatch(strand_, [self = shared_from_this()] {
      self->started_ = steady::now();
      self->do_watchdog();
      self->do_resolve();
    });
  }

  /// Graceful close: a Close frame (1000) through the write queue.
  void close(const std::string& why) {
    asio::dispatch(strand_, [self = shared_from_this(), why] {
      if (self->state_ == State::closing || self->state_ == State::closed) return;
      if (self->state_ != State::open && self->state_ != State::waiting_hello)
        return self->kill("close before open: " + why);
      self->set_state(State::closing, why);
      self->enqueue({Out::close, ""});
    });
  }

 private:
  struct Out {
    enum Kind { text, ping, close } kind;
    std::string data;
  };

  void set_state(State s, const std::string& why) {
    static constexpr const char* kNames[] = {"resolving",     "connecting", "tls",     "upgrading",
                                             "waiting_hello", "open",       "closing", "closed"};
    log_.info("socket", "conn " + std::to_string(id_) + ": " + kNames[static_cast<int>(state_)] + " -> " +
                            kNames[static_cast<int>(s)] + (why.empty() ? "" : " (" + why + ")"));
    state_ = s;
  }

  void fail(beast::error_code ec, const char* stage) {
    // Expected endings: our own cancel/close (operation_aborted), the peer's Close (websocket closed),
    // a peer that drops TLS without close_notify (stream_truncated). All end the session the same way.
    if (state_ == State::closed) return;
    const bool expected = ec == asio::error::operation_aborted || ec == websocket::error::closed ||
                          ec == ssl::error::stream_truncated;
    if (expected || state_ == State::closing)
      log_.info("socket", "conn " + std::to_string(id_) + ": " + stage + " ended: " + ec.message());
    else
      log_.warn("socket", "conn " + std::to_string(id_) + ": " + stage + " failed: " + ec.message());
    finish(false);
  }

  /// Abrupt end: close the TCP socket (pending operations complete with errors).
  void kill(const std::string& why) {
    if (state_ == State::closed) return;
    log_.warn("socket", "conn " + std::to_string(id_) + ": dropping connection: " + why);
    finish(why.rfind("watchdog", 0) == 0);
  }

  void finish(bool dead) {
    if (state_ == State::closed) return;
    set_state(State::closed, dead ? "dead" : "");
    timer_.cancel();
    resolver_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close();
    asio::post(owner_strand_, [owner = owner_, self = shared_from_this(), dead] {
      if (auto o = owner.lock()) o->on_closed(self, dead);
    });
  }

  // ---- connect: resolve → TCP → TLS → WebSocket upgrade → hello
  void do_resolve() {
    set_state(State::resolving, url_.host + ":" + url_.port);
    resolver_.async_resolve(url_.host, url_.port,
                            beast::bind_front_handler(&Session::on_resolve, shared_from_this()));
  }
  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return fail(ec, "resolve");
    set_state(State::connecting, "");
    beast::get_lowest_layer(ws_).expires_after(opt_.connect_timeout);
    beast::get_lowest_layer(ws_).async_connect(
        results, beast::bind_front_handler(&Session::on_connect, shared_from_this()));
  }
  void on_connect(beast::error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (ec) return fail(ec, "connect");
    if (!detail::prepare_ssl(ws_.next_layer().native_handle(), url_.host))
      return fail(asio::error::invalid_argument, "tls setup");
    set_state(State::tls, "");
    beast::get_lowest_layer(ws_).expires_after(opt_.connect_timeout);
    ws_.next_layer().async_handshake(ssl::stream_base::client,
                                     beast::bind_front_handler(&Session::on_tls, shared_from_this()));
  }
  void on_tls(beast::error_code ec) {
    if (ec) return fail(ec, "tls handshake");
    // From here the websocket stream manages time. Beast's suggested client settings have no idle timeout
    // and send no pings; we keep the handshake timeout and run our own ping + pong-age watchdog instead.
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = opt_.connect_timeout;
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws_.set_option(t);
    ws_.read_message_max(opt_.max_message_bytes);
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      // Runs inside our own async_read on the strand. Beast answers server pings by itself.
      if (kind == websocket::frame_type::pong) last_pong_ = steady::now();
    });
    set_state(State::upgrading, "");
    const std::string host = url_.port == "443" ? url_.host : url_.host + ":" + url_.port;
    ws_.async_handshake(host, url_.target,
                        beast::bind_front_handler(&Session::on_upgrade, shared_from_this()));
  }
  void on_upgrade(beast::error_code ec) {
    if (ec) return fail(ec, "websocket upgrade");
    set_state(State::waiting_hello, "");
    last_pong_ = steady::now();
    do_read();
    enqueue({Out::ping, "docbot"});  // first ping at once, like the SDKs: proves the path both ways
  }

  // ---- read loop: always one async_read pending (Beast answers pings only while reading)
  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == websocket::error::message_too_big) {
      // Beast has failed the connection for a frame above read_message_max; count it and reconnect.
      ++metrics_.malformed;
      return fail(ec, "read (oversized frame)");
    }
    if (ec) return fail(ec, "read");
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    handle_frame(text);
    if (state_ != State::closed) do_read();
  }

  void handle_frame(const std::string& text) {
    protocol::Frame f = protocol::parse_frame(text);
    auto owner = owner_.lock();
    switch (f.kind) {
      case protocol::FrameKind::hello:
        if (state_ == State::waiting_hello) {
          set_state(State::open,
                    "hello, approximate_connection_time=" + std::to_string(f.approximate_connection_time));
          last_pong_ = steady::now();
          asio::post(owner_strand_, [owner = owner_, self = shared_from_this()] {
            if (auto o = owner.lock()) o->on_hello(self);
          });
        }
        return;
      case protocol::FrameKind::disconnect:
        log_.info("socket", "conn " + std::to_string(id_) + ": disconnect requested: " + f.disconnect_reason);
        asio::post(owner_strand_, [owner = owner_, self = shared_from_this(), r = f.disconnect_reason] {
          if (auto o = owner.lock()) o->on_disconnect_request(self, r);
        });
        return;
      case protocol::FrameKind::malformed:
        ++metrics_.malformed;
        log_.warn("socket", "conn " + std::to_string(id_) + ": malformed frame ignored: " + f.error);
        return;
      case protocol::FrameKind::unknown:
        ++metrics_.malformed;
        log_.warn("socket", "conn " + std::to_string(id_) + ": unknown frame ignored: " + f.error);
        // Ack anything with an envelope id so Slack does not redeliver what we will never understand.
        if (!f.envelope_id.empty() && owner && owner->taking_events()) {
          enqueue({Out::text, protocol::build_ack(f.envelope_id)});
          ++metrics_.acks;
        }
        return;
      case protocol::FrameKind::envelope:
        ++metrics_.events;
        if (!owner || !owner->taking_events()) {
          log_.info("socket", "draining: envelope " + f.envelope_id + " left unacked for redelivery");
          return;
        }
        // Ack first, then the slow work: the ack is queued before the handler even sees the event.
        enqueue({Out::text, protocol::build_ack(f.envelope_id)});
        ++metrics_.acks;
        owner->deliver(std::move(f));
        return;
    }
  }

  // ---- one write queue: text frames, pings, the Close frame
  void enqueue(Out o) {
    if (state_ == State::closed) return;
    queue_.push_back(std::move(o));
    if (queue_.size() == 1) do_write();
  }
  void do_write() {
    Out& o = queue_.front();
    auto self = shared_from_this();
    switch (o.kind) {
      case Out::text:
        ws_.text(true);
        ws_.async_write(asio::buffer(o.data), beast::bind_front_handler(&Session::on_write, self));
        break;
      case Out::ping:
        ws_.async_ping(websocket::ping_data(o.data.c_str()),
                       [self](beast::error_code ec) { self->on_write(ec, 0); });
        break;
      case Out::close:
        ws_.async_close(websocket::close_code::normal, [self](beast::error_code ec) { self->on_close(ec); });
        break;
    }
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return fail(ec, "write");
    queue_.pop_front();
    if (!queue_.empty() && state_ != State::closed) do_write();
  }
  void on_close(beast::error_code ec) {
    queue_.clear();
    // The read loop sees websocket::error::closed once the server echoes the Close frame; finish either way.
    if (ec) return fail(ec, "close");
    log_.info("socket", "conn " + std::to_string(id_) + ": closed cleanly");
    finish(false);
  }

  // ---- watchdog: pings, pong age, connect/hello deadline
  void do_watchdog() {
    timer_.expires_after(std::min(opt_.ping_interval, opt_.connect_timeout));
    timer_.async_wait(asio::bind_executor(strand_, [self = shared_from_this()](beast::error_code ec) {
      if (ec == asio::error::operation_aborted) return;  // session finished
      self->on_watchdog();
    }));
  }
  void on_watchdog() {
    if (state_ == State::closed) return;
    const auto now = steady::now();
    if (state_ != State::open && state_ != State::closing) {
      if (now - started_ > opt_.connect_timeout) return kill("watchdog: no hello within connect timeout");
    } else if (now - last_pong_ > opt_.pong_timeout) {
      ++metrics_.dead_connections;
      return kill(
          "watchdog: no pong for " +
          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now - last_pong_).count()) +
          " ms");
    } else if (state_ == State::open && now - last_ping_ >= opt_.ping_interval) {
      last_ping_ = now;
      enqueue({Out::ping, "docbot"});
    }
    do_watchdog();
  }

  asio::strand<asio::io_context::executor_type> strand_;
  tcp::resolver resolver_;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::deque<Out> queue_;
  Url url_;
  const SocketModeClient::Options& opt_;
  int id_;
  std::weak_ptr<SessionOwner> owner_;
  asio::any_io_executor owner_strand_;
  Log& log_;
  Metrics& metrics_;
  State state_ = State::resolving;
  steady::time_point started_{}, last_pong_{}, last_ping_{};
};

}  // namespace

/// The manager: owns sessions, the reconnect policy and the I/O thread.
struct SocketModeClient::Impl : SessionOwner, std::enable_shared_from_this<SocketModeClient::Impl> {
  Impl(Options o, OpenUrl u, OnEnvelope e, Log& l, Metrics& m)
      : opt(std::move(o)),
        open_url(std::move(u)),
        on_envelope(std::move(e)),
        log(l),
        metrics(m),
        strand(asio::make_strand(ioc)),
        reconnect_timer(strand),
        backoff(opt.backoff_initial, opt.backoff_max, opt.seed ? opt.seed : std::random_device{}()) {
    detail::configure_client_context(ctx, opt.tls);
  }

  Options opt;
  OpenUrl open_url;
  OnEnvelope on_envelope;
  Log& log;
  Metrics& metrics;
  asio::io_context ioc;
  ssl::context ctx{ssl::context::tls_client};
  asio::strand<asio::io_context::executor_type> strand;
  asio::steady_timer reconnect_timer;
  Backoff backoff;
  std::thread io_thread;
  std::thread fetch_thread;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;

  // Manager state — touched on `strand` only.
  std::shared_ptr<Session> active, pending;
  std::list<std::shared_ptr<Session>> retiring;
  bool fetching = false;
  bool stopping = false;
  int next_id = 1;
  std::promise<void> all_closed;
  bool all_closed_set = false;

  std::atomic<bool> taking{true};
  std::atomic<bool> is_connected{false};
  std::atomic<std::uint64_t> hello_count{0};

  bool taking_events() const override { return taking.load(); }
  void deliver(protocol::Frame f) override { on_envelope(std::move(f)); }

  /// Opens a new connection unless one is already on its way.
  void do_open() {
    if (stopping || fetching || pending) return;
    fetching = true;
    if (fetch_thread.joinable()) fetch_thread.join();
    // apps.connections.open is a blocking HTTPS call: run it off the I/O thread so pings keep flowing on
    // the current connection while the replacement is being set up.
    fetch_thread = std::thread([self = shared_from_this()] {
      ApiResult r = self->open_url();
      asio::post(self->strand, [self, r] { self->on_url(r); });
    });
  }

  void on_url(const ApiResult& r) {
    fetching = false;
    if (stopping) return maybe_all_closed();
    std::string url = r.ok && r.body.is_object() ? r.body.value("url", "") : "";
    auto parsed = parse_url(url);
    if (!parsed || parsed->scheme != "wss") {
      log.error("socket", "apps.connections.open failed: " + (r.ok ? "no wss:// url in response" : r.error));
      return schedule_reconnect();
    }
    pending =
        std::make_shared<Session>(ioc, ctx, *parsed, opt, next_id++, weak_from_this(), strand, log, metrics);
    pending->run();
  }

  void schedule_reconnect() {
    if (stopping) return;
    const auto delay = backoff.next();
    log.info("socket", "reconnecting in " + std::to_string(delay.count()) + " ms (attempt " +
                           std::to_string(backoff.attempts()) + ")");
    reconnect_timer.expires_after(delay);
    reconnect_timer.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->do_open();
    });
  }

  void on_hello(const std::shared_ptr<Session>& s) override {
    if (s != pending) return;
    if (hello_count++ > 0) ++metrics.reconnects;
    auto old = std::move(active);
    active = std::move(pending);
    pending.reset();
    backoff.reset();
    is_connected = true;
    if (stopping) return active->close("stopping");
    // New before old: the replacement is open, so the old one can go without losing an event.
    if (old) {
      retiring.push_back(old);
      old->close("replaced by conn " + std::to_string(active->id()));
    }
  }

  void on_disconnect_request(const std::shared_ptr<Session>& s, const std::string& reason) override {
    if (reason == "too_many_websockets") {
      // Slack refuses this one; keep the others.
      if (s != active || pending) s->close(reason);
      return;
    }
    if (reason == "link_disabled")
      log.error("socket", "Socket Mode was disabled for this app (link_disabled)");
    // warning / refresh_requested / anything else: open the replacement now; this one closes after its hello.
    if (s == active) do_open();
  }

  void on_closed(const std::shared_ptr<Session>& s, bool dead) override {
    retiring.remove(s);
    if (s == pending) {
      pending.reset();
      if (!stopping) schedule_reconnect();
    } else if (s == active) {
      active.reset();
      is_connected = false;
      // A replacement already on its way covers us; otherwise reconnect (at once after a clean refresh close,
      // with backoff when the connection died).
      if (!stopping && !pending && !fetching) {
        if (dead)
          schedule_reconnect();
        else
          do_open();
      }
    }
    maybe_all_closed();
  }

  void maybe_all_closed() {
    if (stopping && !active && !pending && retiring.empty() && !fetching && !all_closed_set) {
      all_closed_set = true;
      all_closed.set_value();
    }
  }
};

SocketModeClient::SocketModeClient(Options options, OpenUrl open_url, OnEnvelope on_envelope, Log& log,
                                   Metrics& metrics)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(open_url), std::move(on_envelope), log,
                                   metrics)) {}

SocketModeClient::~SocketModeClient() { close(std::chrono::milliseconds(1000)); }

void SocketModeClient::start() {
  auto& d = *impl_;
  d.work.emplace(d.ioc.get_executor());
  d.io_thread = std::thread([&d] { d.ioc.run(); });
  asio::post(d.strand, [self = impl_] { self->do_open(); });
}

void SocketModeClient::stop_taking() { impl_->taking = false; }

void SocketModeClient::close(std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  if (!d.io_thread.joinable()) return;
  d.taking = false;
  auto done = d.all_closed.get_future();
  asio::post(d.strand, [self = impl_] {
    self->stopping = true;
    self->reconnect_timer.cancel();
    if (self->active) self->active->close("shutdown");
    if (self->pending) self->pending->close("shutdown");
    for (auto& s : self->retiring) s->close("shutdown");
    self->maybe_all_closed();
  });
  if (done.wait_for(timeout) != std::future_status::ready)
    d.log.warn("socket", "close: timed out waiting for sockets");
  d.work.reset();
  d.ioc.stop();
  d.io_thread.join();
  if (d.fetch_thread.joinable()) d.fetch_thread.join();
  d.is_connected = false;
}

bool SocketModeClient::connected() const { return impl_->is_connected.load(); }
std::uint64_t SocketModeClient::hellos() const { return impl_->hello_count.load(); }

}  // namespace docbot::bot::net
