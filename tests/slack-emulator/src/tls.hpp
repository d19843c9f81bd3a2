// Self-signed CA + server certificate generated at start-up (OpenSSL 3 API), so clients trust the emulator
// explicitly (`--ca-file` for our bot, NODE_EXTRA_CA_CERTS for Node) instead of disabling verification.
#pragma once

#include <string>
#include <vector>

namespace slack_emulator::detail {

/// @brief PEM texts of a freshly generated CA and a server certificate it signed.
struct tls_material {
  std::string ca_cert_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
};

/// @brief Generate an EC P-256 CA and a server certificate for `dns_names` and `ip_addresses` (SAN).
/// Throws std::runtime_error with the OpenSSL error text on failure.
tls_material make_tls_material(const std::vector<std::string>& dns_names,
                               const std::vector<std::string>& ip_addresses);

}  // namespace slack_emulator::detail
