#include "sim/sweep_progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tinyfleet {

std::string clock_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

SweepProgress::SweepProgress(std::ostream& out, std::size_t total, bool bar)
    : out_(out), total_(total), bar_(bar), start_(std::chrono::steady_clock::now()) {
  if (!bar_ || total_ == 0) return;
  draw_bar();
  ticker_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return closed_; })) draw_bar();
  });
}

SweepProgress::~SweepProgress() {
  close();
}

void SweepProgress::finished(const std::string& point, double seconds, bool ok,
                             const std::string& note) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  failed_ += ok ? 0 : 1;
  char line[256];
  std::snprintf(line, sizeof line, "%s  %.2f s  %s  %zu/%zu%s%s", point.c_str(), seconds,
                ok ? "ok" : "FAILED", done_, total_, note.empty() ? "" : "  ", note.c_str());
  if (!bar_) {
    out_ << line << "\n" << std::flush;
    return;
  }
  if (!ok) out_ << "\r\033[K" << line << "\n";  // failures stay visible above the bar
  draw_bar();
}

void SweepProgress::draw_bar() {
  constexpr std::size_t kWidth = 30;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::size_t filled = total_ ? done_ * kWidth / total_ : kWidth;
  std::string bar(filled, '#');
  bar.resize(kWidth, '.');
  std::string eta = "--:--";
  if (done_ > 0)
    eta = clock_text(elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_));
  char line[256];
  std::snprintf(line, sizeof line, "\r\033[K[%s] %zu/%zu  %3.0f%%  elapsed %s  ETA %s%s",
                bar.c_str(), done_, total_,
                total_ ? 100.0 * static_cast<double>(done_) / static_cast<double>(total_) : 100.0,
                clock_text(elapsed).c_str(), eta.c_str(),
                failed_ ? ("  " + std::to_string(failed_) + " failed").c_str() : "");
  out_ << line << std::flush;
}

void SweepProgress::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return;
    closed_ = true;
    if (bar_ && total_ > 0) out_ << "\n" << std::flush;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

}  // namespace tinyfleet
