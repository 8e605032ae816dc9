#pragma once
// `tinyfleet reproduce taxonomy [E1 E4 ...] [--quick] [-j N | --slurm ...] -o DIR`: the
// experiments of scenarios/taxonomy/ (docs/TAXONOMY.md). Each experiment's
// sweep is expanded into DIR/<E>/, run by the resumable sweep runner and
// gathered (sim/sweep_*.hpp); then DIR/taxonomy.sqlite holds every
// experiment's tables plus the aggregated cells and verdicts, and
// DIR/taxonomy.md the tables and verdicts (analysis/taxonomy_*.hpp).
#include <string>
#include <vector>

#include "sim/cli_command.hpp"

namespace tinyfleet {

struct ReproduceOptions {
  std::vector<std::string> experiments;  // ids; empty: all of the suite
  std::string suite_dir;                 // empty: scenarios/taxonomy here, else the source tree's
  std::string out_dir;
  bool quick = false;
  int jobs = 1;
  bool quiet = false;
  // --slurm: expand, write each experiment's SLURM scripts (sim/sweep_slurm.hpp)
  // and, with --submit, submit them; running the same command again without
  // --slurm once the jobs are done gathers and tabulates (nothing reruns).
  bool slurm = false, submit = false;
  long long chunk = 0, max_parallel = 0, jobs_per_task = 1;
  std::string partition, time;
};

// 0 if every point ran; 1 if a point failed (the tables show what ran); 2 for
// bad arguments or a bad experiment file (one error line on stderr).
int run_reproduce_taxonomy(const ReproduceOptions& options);

CliCommand add_reproduce_command(CLI::App& app);

}  // namespace tinyfleet
