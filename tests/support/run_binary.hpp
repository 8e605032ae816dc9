#pragma once
// End-to-end test helpers: run the tinyfleet binary and read what it wrote.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tinyfleet_test {

struct Result {
  int code;
  std::string output;  // stdout and stderr
};

inline Result sh(const std::string& cmd) {
  Result r{0, ""};
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) r.output += buf;
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string tf() {
  return TINYFLEET_BINARY;
}
inline std::string src(const std::string& rel) {
  return std::string(TINYFLEET_SOURCE_DIR) + "/" + rel;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// An empty directory under the system temp dir (removed first if it exists).
inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("tinyfleet-test-" + name);
  std::filesystem::remove_all(d);
  return d;
}

}  // namespace tinyfleet_test
