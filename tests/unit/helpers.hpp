#pragma once
// Test helpers: a scratch directory per test and file writing.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace docbot::test {

/// A fresh directory under the system temp dir, removed when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "docbot-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& p) const { return path_ / p; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& content) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

inline std::string shared_dir() { return DOCBOT_SHARED_DIR; }
inline bool have_shared_corpora() {
  return std::filesystem::is_directory(std::string(DOCBOT_SHARED_DIR) + "/corpora/kubernetes");
}

}  // namespace docbot::test
