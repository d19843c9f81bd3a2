// TLS listener and the two kinds of connection (HTTPS request/response, WSS Socket Mode). The only translation
// unit that includes Boost.Beast.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <string>

#include "tls.hpp"

namespace slack_emulator::detail {

class hub;

class server {
 public:
  server(boost::asio::io_context& ioc, hub& h, const tls_material& tls);
  ~server();
  /// @brief Bind and listen; returns the bound port. Throws on failure.
  std::uint16_t listen(const std::string& address, std::uint16_t port);
  /// @brief Start accepting.
  void start();
  /// @brief Stop accepting (thread-safe).
  void stop();

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace slack_emulator::detail
