#pragma once
// `tinyfleet sweep run`: runs the points of an expanded sweep, each as a child
// process `EXE run points/NNNN/scenario.yaml -o points/NNNN/run.tmp.<pid> -q`,
// N at a time from a Boost.Asio thread pool.
//
// Resume and atomicity: a point is done when points/NNNN/run exists; that
// directory only ever appears by renaming a finished run.tmp.<pid> (rename is
// atomic), so a killed run leaves a tmp directory, never a half result. While
// a point runs, its runner holds an exclusive flock on points/NNNN/.lock
// (released by the kernel even on kill -9): a second runner skips the point
// instead of running it twice, and whoever takes the lock removes the stale
// tmp directories it finds. A failed point leaves points/NNNN/error.log (exit
// status and output) and is tried again by the next `sweep run`.
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace tinyfleet {

// Which points this runner takes (all, one index, shard K of N, or chunk C of size K).
struct PointSelection {
  enum class Mode { All, Index, Shard, Chunk };
  Mode mode = Mode::All;
  std::size_t a = 0, b = 0;  // Index: a; Shard: a of b; Chunk: index a, size b
  std::vector<std::size_t> pick(std::size_t point_count) const;
};

struct SweepRunOptions {
  std::string executable = "/proc/self/exe";
  int jobs = 1;
  PointSelection selection;
  bool progress_bar = false;  // else one line per finished point
  std::ostream* log = nullptr;
};

struct SweepRunReport {
  std::size_t selected = 0, already_done = 0, ran = 0, busy = 0;
  std::vector<std::size_t> failed;  // point indices
};

// Throws std::runtime_error if DIR holds no manifest.
SweepRunReport run_sweep(const std::string& dir, const SweepRunOptions& options);

// True when points/NNNN/run holds a finished run.
bool point_complete(const std::string& point_dir);

}  // namespace tinyfleet
