#pragma once
// `tinyfleet sweep slurm`: SLURM batch scripts for an expanded sweep.
//   DIR/sweep.sbatch   a job array; task C runs points [C*K, (C+1)*K) with
//                      `tinyfleet sweep run DIR --chunk-index C --chunk K`
//   DIR/gather.sbatch  `tinyfleet sweep gather DIR`, submitted with
//                      --dependency=afterany:<array job> so that it runs even
//                      if some points failed (gather records them as failed)
// Chunks keep big sweeps under the cluster's MaxArraySize and amortise the
// scheduler's per-task latency. Job logs go to DIR/slurm/.
#include <cstddef>
#include <string>

namespace tinyfleet {

struct SlurmOptions {
  std::size_t chunk = 0;          // points per array task; 0 = as few tasks as fit in 1000
  std::size_t max_parallel = 0;   // --array=...%M; 0 = no limit
  std::size_t jobs_per_task = 1;  // CPUs per task and `sweep run -j`
  std::string partition, time;    // passed to #SBATCH when not empty
  std::string executable;         // absolute path of tinyfleet on the cluster nodes
};

struct SlurmScripts {
  std::size_t points = 0, chunk = 0, tasks = 0;
};

// The options as given on a command line (`--chunk`, `--max-parallel`,
// `--jobs-per-task`, `--partition`, `--time`), checked, with this executable;
// throws std::invalid_argument naming the rule that was broken.
SlurmOptions slurm_options(int chunk, int max_parallel, int jobs_per_task,
                           const std::string& partition, const std::string& time);

SlurmScripts write_slurm_scripts(const std::string& dir, const SlurmOptions& options);

struct SlurmJobs {
  std::string array_job, gather_job;
};

// Runs sbatch on both scripts (throws std::runtime_error with sbatch's message).
SlurmJobs submit_slurm_scripts(const std::string& dir);

}  // namespace tinyfleet
