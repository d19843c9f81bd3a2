#pragma once
// Shared by the Beast translation units of net/ only (not a public header).
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl.hpp>
#include <string>

#include "bot/net/net.hpp"

namespace docbot::bot::net::detail {

/// TLS client context: TLS 1.2+, peer verification against the system store or the given CA file.
inline void configure_client_context(boost::asio::ssl::context& ctx, const TlsOptions& tls) {
  ctx.set_options(boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
                  boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
                  boost::asio::ssl::context::no_tlsv1_1);
  ctx.set_verify_mode(boost::asio::ssl::verify_peer);
  if (!tls.ca_file.empty())
    ctx.load_verify_file(tls.ca_file);  // throws with a clear message when unreadable
  else
    ctx.set_default_verify_paths();
}

/// SNI (names only, never IP literals) and host-name/IP verification done by OpenSSL itself.
/// Returns false when OpenSSL refused the settings.
inline bool prepare_ssl(SSL* ssl, const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  const bool is_ip = !ec;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (is_ip) return X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
  if (!SSL_set_tlsext_host_name(ssl, host.c_str())) return false;
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0) == 1;
}

}  // namespace docbot::bot::net::detail
