// GET /healthz and GET /metrics over plain HTTP/1.1 (Beast), on its own small I/O thread.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "bot/net/net.hpp"

namespace docbot::bot::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

/// One HTTP connection: read one request, answer, close (scrapers open a connection per scrape).
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket s, const StatusServer::Handler& h) : stream_(std::move(s)), handler_(h) {}
  void run() { do_read(); }

 private:
  void do_read() {
    stream_.expires_after(std::chrono::seconds(10));  // a slow or idle client cannot hold the socket
    http::async_read(stream_, buffer_, req_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return;  // client went away or timed out: nothing to answer
    StatusServer::Reply r = handler_(std::string(req_.method_string()), std::string(req_.target()));
    res_.result(static_cast<http::status>(r.status));
    res_.version(req_.version());
    res_.set(http::field::content_type, r.content_type);
    res_.set(http::field::server, "docbot");
    res_.keep_alive(false);
    res_.body() = std::move(r.body);
    res_.prepare_payload();
    stream_.expires_after(std::chrono::seconds(10));
    http::async_write(stream_, res_, beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
  }
  void on_write(beast::error_code, std::size_t) {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  const StatusServer::Handler& handler_;
};

}  // namespace

struct StatusServer::Impl {
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  Handler handler;
  Log* log = nullptr;
  std::thread thread;
  std::uint16_t port = 0;

  void do_accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;  // stop()
      if (!ec) std::make_shared<HttpSession>(std::move(s), handler)->run();
      do_accept();
    });
  }
};

StatusServer::StatusServer(const std::string& listen, Handler handler, Log& log)
    : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  impl_->log = &log;
  const auto colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const auto port = colon == std::string::npos ? 0 : std::stoi(listen.substr(colon + 1));
  beast::error_code ec;
  const auto addr = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("http.listen: '" + host + "' is not an IP address");
  tcp::endpoint ep(addr, static_cast<unsigned short>(port));
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("http.listen: cannot listen on " + listen + ": " + ec.message());
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->do_accept();
  impl_->thread = std::thread([d = impl_.get()] { d->ioc.run(); });
  log.info("http",
           "health/metrics on http://" + listen.substr(0, colon) + ":" + std::to_string(this->port()));
}

StatusServer::~StatusServer() { stop(); }

std::uint16_t StatusServer::port() const { return impl_->port; }

void StatusServer::stop() {
  if (!impl_->thread.joinable()) return;
  asio::post(impl_->ioc, [d = impl_.get()] {
    beast::error_code ignored;
    d->acceptor.close(ignored);
  });
  impl_->ioc.stop();
  impl_->thread.join();
}

}  // namespace docbot::bot::net
