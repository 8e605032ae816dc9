#pragma once
// Child processes for sweeps: each point runs in its own process because
// SimGrid allows one engine per process.
#include <string>
#include <vector>

namespace tinyfleet {

struct ChildExit {
  bool exited = false;  // normal exit (else killed by a signal)
  int code = 0;         // exit code, or the signal number
  bool ok() const { return exited && code == 0; }
  std::string describe() const;  // "exit code 2", "killed by signal 9 (Killed)"
};

// Runs argv[0] (a path, no PATH search) with argv, stdout and stderr appended
// to `log_file`, and waits. The child is killed if the calling thread dies
// (PR_SET_PDEATHSIG), so `kill -9` of a sweep leaves no orphans running.
// Safe to call from several threads at once.
ChildExit run_child(const std::vector<std::string>& argv, const std::string& log_file);

// Runs a program found on PATH and returns its stdout; throws
// std::runtime_error with its stderr if it cannot start or exits non-zero.
std::string run_capture(const std::vector<std::string>& argv);

// The absolute path of the running executable (/proc/self/exe resolved).
std::string self_executable();

}  // namespace tinyfleet
