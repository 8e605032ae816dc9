#include "sim/cli_sweep.hpp"

#include <unistd.h>

#include <charconv>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "scenarios/loader.hpp"
#include "sim/sweep_expand.hpp"
#include "sim/sweep_gather.hpp"
#include "sim/sweep_runner.hpp"
#include "sim/sweep_slurm.hpp"

namespace tinyfleet {
namespace {

struct BadArgument : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct SweepArgs {
  std::string sweep_file, dir;
  // run
  long long index = -1, chunk_index = -1, chunk = 0;
  std::string shard;
  int jobs = 1;
  bool quiet = false;
  // gather
  bool per_device = false;
  // slurm
  long long slurm_chunk = 0, max_parallel = 0, jobs_per_task = 1;
  std::string partition, time;
  bool submit = false;
};

PointSelection selection(const SweepArgs& a) {
  PointSelection s;
  const int given = (a.index >= 0) + !a.shard.empty() + (a.chunk_index >= 0 || a.chunk > 0);
  if (given > 1) throw BadArgument("give at most one of --index, --shard, --chunk-index/--chunk");
  if (a.index >= 0) {
    s.mode = PointSelection::Mode::Index;
    s.a = static_cast<std::size_t>(a.index);
  } else if (!a.shard.empty()) {
    const auto slash = a.shard.find('/');
    std::size_t k = 0, n = 0;
    const char* b = a.shard.data();
    const char* e = b + a.shard.size();
    const bool ok = slash != std::string::npos &&
                    std::from_chars(b, b + slash, k).ptr == b + slash &&
                    std::from_chars(b + slash + 1, e, n).ptr == e && slash > 0 &&
                    slash + 1 < a.shard.size() && n > 0 && k < n;
    if (!ok)
      throw BadArgument("--shard expects K/N with 0 <= K < N (e.g. 0/4), got '" + a.shard + "'");
    s.mode = PointSelection::Mode::Shard;
    s.a = k;
    s.b = n;
  } else if (a.chunk_index >= 0 || a.chunk > 0) {
    if (a.chunk_index < 0 || a.chunk <= 0)
      throw BadArgument("--chunk-index C needs --chunk K (points per chunk, K >= 1) and back");
    s.mode = PointSelection::Mode::Chunk;
    s.a = static_cast<std::size_t>(a.chunk_index);
    s.b = static_cast<std::size_t>(a.chunk);
  }
  return s;
}

int cmd_expand(const SweepArgs& a) {
  std::vector<SweepPoint> points;
  SweepSpec spec;
  try {
    spec = load_sweep_file(a.sweep_file);
    points = expand_sweep(spec, default_schema_catalog());
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  }
  try {
    write_sweep(a.dir, spec, points);
  } catch (const std::invalid_argument& e) {
    std::cerr << "tinyfleet sweep expand: " << e.what() << "\n";
    return kExitBadInput;
  }
  std::cout << "expanded " << a.sweep_file << " into " << points.size() << " points in " << a.dir
            << " (manifest.json, points/*/scenario.yaml)\n";
  return 0;
}

int cmd_run(const SweepArgs& a) {
  SweepRunOptions o;
  o.jobs = a.jobs;
  o.progress_bar = !a.quiet && isatty(STDOUT_FILENO);
  try {
    o.selection = selection(a);
    read_manifest(a.dir);
  } catch (const std::exception& e) {
    std::cerr << "tinyfleet sweep run: " << e.what() << "\n";
    return kExitBadInput;
  }
  SweepRunReport r;
  try {
    r = run_sweep(a.dir, o);
  } catch (const std::invalid_argument& e) {
    std::cerr << "tinyfleet sweep run: " << e.what() << "\n";
    return kExitBadInput;
  }
  return r.failed.empty() ? 0 : kExitFailure;
}

int cmd_gather(const SweepArgs& a) {
  GatherOptions o;
  o.per_device_metrics = a.per_device;
  GatherReport r;
  try {
    read_manifest(a.dir);
  } catch (const std::exception& e) {
    std::cerr << "tinyfleet sweep gather: " << e.what() << "\n";
    return kExitBadInput;
  }
  r = gather_sweep(a.dir, o);
  std::cout << "gathered " << r.ok << " of " << r.points << " points into " << a.dir
            << "/results.sqlite and results.csv";
  if (!r.failed.empty()) std::cout << "; " << r.failed.size() << " failed";
  if (!r.missing.empty()) std::cout << "; " << r.missing.size() << " not run yet";
  std::cout << "\n";
  return r.ok == r.points ? 0 : kExitFailure;
}

int cmd_slurm(const SweepArgs& a) {
  SlurmOptions o;
  try {
    o = slurm_options(a.slurm_chunk, a.max_parallel, a.jobs_per_task, a.partition, a.time);
  } catch (const std::invalid_argument& e) {
    std::cerr << "tinyfleet sweep slurm: " << e.what() << "\n";
    return kExitBadInput;
  }
  SlurmScripts s;
  try {
    s = write_slurm_scripts(a.dir, o);
  } catch (const std::exception& e) {
    std::cerr << "tinyfleet sweep slurm: " << e.what() << "\n";
    return kExitBadInput;
  }
  std::cout << "wrote " << a.dir << "/sweep.sbatch (" << s.tasks << " array tasks of " << s.chunk
            << " points, " << s.points << " points) and " << a.dir << "/gather.sbatch\n";
  if (!a.submit) return 0;
  const SlurmJobs jobs = submit_slurm_scripts(a.dir);
  std::cout << "submitted array job " << jobs.array_job << " and gather job " << jobs.gather_job
            << " (afterany:" << jobs.array_job << ")\n";
  return 0;
}

}  // namespace

CliCommand add_sweep_command(CLI::App& app) {
  auto args = std::make_shared<SweepArgs>();
  auto* sweep = app.add_subcommand("sweep", "parameter sweeps: expand, run, gather, slurm");
  sweep->require_subcommand(1);

  auto* expand = sweep->add_subcommand("expand", "write a sweep's numbered point scenarios");
  expand->add_option("sweep", args->sweep_file, "sweep YAML file")->required();
  expand->add_option("-o,--output", args->dir, "sweep directory")->required();

  auto* run = sweep->add_subcommand("run", "run the points that have no result yet");
  run->add_option("dir", args->dir, "sweep directory (from sweep expand)")->required();
  run->add_option("--index", args->index, "run only point I")->check(CLI::NonNegativeNumber);
  run->add_option("--shard", args->shard, "run points i with i % N == K (K/N)");
  run->add_option("--chunk-index", args->chunk_index, "run chunk C: points [C*K, (C+1)*K)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("--chunk", args->chunk, "points per chunk (K)")->check(CLI::PositiveNumber);
  run->add_option("-j,--jobs", args->jobs, "points run at once (default 1)")
      ->check(CLI::Range(1, 1024));
  run->add_flag("-q,--quiet", args->quiet, "no progress bar (one line per point instead)");

  auto* gather = sweep->add_subcommand("gather", "collect results into results.sqlite/.csv");
  gather->add_option("dir", args->dir, "sweep directory")->required();
  gather->add_flag("--per-device", args->per_device, "also each device's metric rows");

  auto* slurm = sweep->add_subcommand("slurm", "write (and submit) SLURM batch scripts");
  slurm->add_option("dir", args->dir, "sweep directory")->required();
  slurm->add_option("--chunk", args->slurm_chunk, "points per array task (default: fit 1000)");
  slurm->add_option("--max-parallel", args->max_parallel, "array tasks running at once (%M)");
  slurm->add_option("--jobs-per-task", args->jobs_per_task, "CPUs per task and its -j");
  slurm->add_option("--partition", args->partition, "SLURM partition");
  slurm->add_option("--time", args->time, "time limit per job (SLURM syntax)");
  slurm->add_flag("--submit", args->submit, "submit both jobs with sbatch");

  return {sweep, [=] {
            if (*expand) return cmd_expand(*args);
            if (*run) return cmd_run(*args);
            if (*gather) return cmd_gather(*args);
            return cmd_slurm(*args);
          }};
}

}  // namespace tinyfleet
