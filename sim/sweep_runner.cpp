#include "sim/sweep_runner.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "analysis/writers.hpp"
#include "sim/sweep_manifest.hpp"
#include "sim/sweep_process.hpp"
#include "sim/sweep_progress.hpp"

namespace fs = std::filesystem;

namespace tinyfleet {
namespace {

// The point's lock, held while this runner owns the point.
class PointLock {
 public:
  explicit PointLock(const fs::path& point_dir) {
    fd_ = open((point_dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot open " + (point_dir / ".lock").string());
    if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~PointLock() {
    if (fd_ >= 0) close(fd_);  // closing releases the flock
  }
  PointLock(const PointLock&) = delete;
  PointLock& operator=(const PointLock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Left by a runner that was killed. Its child gets SIGKILL with it but may
// take a moment to die, so a removal racing its last writes is retried.
void remove_stale_runs(const fs::path& point_dir) {
  for (const auto& entry : fs::directory_iterator(point_dir)) {
    if (entry.path().filename().string().rfind("run.tmp.", 0) != 0) continue;
    for (int attempt = 0;; ++attempt) {
      std::error_code ec;
      fs::remove_all(entry.path(), ec);
      if (!ec) break;
      if (attempt == 20) throw fs::filesystem_error("cannot remove stale run", entry.path(), ec);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

enum class Outcome { Ok, Failed, AlreadyDone, Busy };

struct PointRun {
  Outcome outcome = Outcome::Ok;
  std::string note;
};

PointRun run_point(const fs::path& sweep_dir, const SweepManifestPoint& point,
                   const std::string& executable) {
  const fs::path dir = sweep_dir / point.dir;
  PointLock lock(dir);
  if (!lock.held()) return {Outcome::Busy, "another runner has it"};
  if (point_complete(dir.string())) return {Outcome::AlreadyDone, ""};
  remove_stale_runs(dir);
  const fs::path tmp = dir / ("run.tmp." + std::to_string(getpid()));
  fs::create_directories(tmp);
  const fs::path log = tmp / "run.log";
  const ChildExit exit =
      run_child({executable, "run", (dir / "scenario.yaml").string(), "-o", tmp.string(), "-q"},
                log.string());
  const bool ok = exit.ok() && fs::exists(tmp / "summary.json");
  if (ok) {
    if (fs::file_size(log) == 0) fs::remove(log);
    fs::rename(tmp, dir / "run");
    fs::remove(dir / "error.log");
    return {Outcome::Ok, ""};
  }
  const std::string status = exit.ok() ? "exit code 0 but no summary.json" : exit.describe();
  write_file_atomically(
      (dir / "error.log").string(),
      "tinyfleet run " + (dir / "scenario.yaml").string() + ": " + status + "\n" + read_text(log));
  fs::remove_all(tmp);
  return {Outcome::Failed, status + ", see " + (dir / "error.log").string()};
}

}  // namespace

std::vector<std::size_t> PointSelection::pick(std::size_t point_count) const {
  std::vector<std::size_t> out;
  switch (mode) {
    case Mode::All:
      for (std::size_t i = 0; i < point_count; ++i) out.push_back(i);
      break;
    case Mode::Index:
      if (a >= point_count)
        throw std::invalid_argument("--index " + std::to_string(a) +
                                    " is out of range: the sweep has " +
                                    std::to_string(point_count) + " points");
      out.push_back(a);
      break;
    case Mode::Shard:
      for (std::size_t i = a; i < point_count; i += b) out.push_back(i);
      break;
    case Mode::Chunk:
      // A chunk past the end is empty, not an error: array sizes get rounded up.
      for (std::size_t i = a * b; i < point_count && i < (a + 1) * b; ++i) out.push_back(i);
      break;
  }
  return out;
}

bool point_complete(const std::string& point_dir) {
  return fs::is_regular_file(fs::path(point_dir) / "run" / "summary.json");
}

SweepRunReport run_sweep(const std::string& dir, const SweepRunOptions& options) {
  const SweepManifest manifest = read_manifest(dir);
  std::ostream& log = options.log ? *options.log : std::cout;
  SweepRunReport report;
  std::vector<std::size_t> to_run;
  for (std::size_t i : options.selection.pick(manifest.points.size())) {
    ++report.selected;
    if (point_complete((fs::path(dir) / manifest.points[i].dir).string()))
      ++report.already_done;
    else
      to_run.push_back(i);
  }
  if (report.already_done > 0)
    log << report.already_done << " of " << report.selected
        << " selected points already done; skipping them\n";
  SweepProgress progress(log, to_run.size(), options.progress_bar);
  std::mutex mutex;
  {
    boost::asio::thread_pool pool(static_cast<std::size_t>(std::max(1, options.jobs)));
    for (std::size_t i : to_run) {
      boost::asio::post(pool, [&, i] {
        const auto t0 = std::chrono::steady_clock::now();
        PointRun r;
        try {
          r = run_point(dir, manifest.points[i], options.executable);
        } catch (const std::exception& e) {
          r = {Outcome::Failed, e.what()};
        }
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        {
          std::lock_guard<std::mutex> lock(mutex);
          switch (r.outcome) {
            case Outcome::Ok:
              ++report.ran;
              break;
            case Outcome::AlreadyDone:
              ++report.already_done;
              break;
            case Outcome::Busy:
              ++report.busy;
              break;
            case Outcome::Failed:
              report.failed.push_back(i);
              break;
          }
        }
        const bool ok = r.outcome != Outcome::Failed;
        std::string note = r.note;
        if (r.outcome == Outcome::AlreadyDone) note = "done meanwhile by another runner";
        progress.finished(manifest.points[i].dir, s, ok, note);
      });
    }
    pool.join();
  }
  progress.close();
  std::sort(report.failed.begin(), report.failed.end());
  log << "sweep " << dir << ": " << report.ran << " ran, " << report.already_done
      << " already done, " << report.busy << " busy elsewhere, " << report.failed.size()
      << " failed (of " << report.selected << " selected)\n";
  for (std::size_t i : report.failed)
    log << "  failed: " << manifest.points[i].dir << " (see "
        << (fs::path(dir) / manifest.points[i].dir / "error.log").string() << ")\n";
  return report;
}

}  // namespace tinyfleet
