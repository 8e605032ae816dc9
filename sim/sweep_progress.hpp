#pragma once
// Progress of `sweep run`: on a terminal, one bar redrawn in place with the
// estimated time left; in logs (not a tty), one line per finished point:
//   point 0007  1.84 s  ok  8/24
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace tinyfleet {

class SweepProgress {
 public:
  SweepProgress(std::ostream& out, std::size_t total, bool bar);
  ~SweepProgress();
  SweepProgress(const SweepProgress&) = delete;
  SweepProgress& operator=(const SweepProgress&) = delete;
  // Called from worker threads.
  void finished(const std::string& point, double seconds, bool ok, const std::string& note);
  void close();  // ends the bar's line

 private:
  void draw_bar();
  std::ostream& out_;
  std::size_t total_, done_ = 0, failed_ = 0;
  bool bar_, closed_ = false;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread ticker_;  // redraws the bar every second while points run
};

// "1:05", "12:03:09".
std::string clock_text(double seconds);

}  // namespace tinyfleet
