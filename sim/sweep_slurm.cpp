#include "sim/sweep_slurm.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "analysis/writers.hpp"
#include "sim/sweep_manifest.hpp"
#include "sim/sweep_process.hpp"

namespace fs = std::filesystem;

namespace tinyfleet {

SlurmOptions slurm_options(int chunk, int max_parallel, int jobs_per_task,
                           const std::string& partition, const std::string& time) {
  if (chunk < 0 || max_parallel < 0 || jobs_per_task < 1)
    throw std::invalid_argument("--chunk, --max-parallel >= 0 and --jobs-per-task >= 1");
  SlurmOptions o;
  o.chunk = static_cast<std::size_t>(chunk);
  o.max_parallel = static_cast<std::size_t>(max_parallel);
  o.jobs_per_task = static_cast<std::size_t>(jobs_per_task);
  o.partition = partition;
  o.time = time;
  o.executable = self_executable();
  return o;
}
namespace {

constexpr std::size_t kMaxArrayTasks = 1000;  // SLURM's default MaxArraySize is 1001

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// #SBATCH lines are not shell: paths in them must not hold spaces.
std::string sbatch_path(const fs::path& p) {
  const std::string s = p.string();
  if (s.find_first_of(" \t\n") != std::string::npos)
    throw std::invalid_argument("the sweep directory '" + s +
                                "' holds whitespace, which #SBATCH lines cannot carry");
  return s;
}

std::string common_header(const std::string& name, const SlurmOptions& o) {
  std::string h = "#!/bin/bash\n#SBATCH --job-name=" + name + "\n#SBATCH --ntasks=1\n";
  if (!o.partition.empty()) h += "#SBATCH --partition=" + o.partition + "\n";
  if (!o.time.empty()) h += "#SBATCH --time=" + o.time + "\n";
  return h;
}

std::string job_id(const std::string& parsable) {
  // `sbatch --parsable` prints "ID" or "ID;CLUSTER".
  const std::string id = parsable.substr(0, parsable.find_first_of(";\n"));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("unexpected sbatch output: '" + parsable + "'");
  return id;
}

}  // namespace

SlurmScripts write_slurm_scripts(const std::string& dir, const SlurmOptions& o) {
  const SweepManifest manifest = read_manifest(dir);
  const fs::path root = fs::absolute(dir).lexically_normal();
  SlurmScripts s;
  s.points = manifest.points.size();
  s.chunk = o.chunk ? o.chunk
                    : std::max<std::size_t>(1, (s.points + kMaxArrayTasks - 1) / kMaxArrayTasks);
  s.tasks = std::max<std::size_t>(1, (s.points + s.chunk - 1) / s.chunk);
  const std::string logs = sbatch_path(root / "slurm");
  fs::create_directories(root / "slurm");
  const std::string exe = shell_quote(o.executable), where = shell_quote(root.string());

  std::string array = common_header("tinyfleet-sweep", o);
  array += "#SBATCH --cpus-per-task=" + std::to_string(o.jobs_per_task) + "\n";
  array += "#SBATCH --array=0-" + std::to_string(s.tasks - 1) +
           (o.max_parallel ? "%" + std::to_string(o.max_parallel) : "") + "\n";
  array += "#SBATCH --output=" + logs + "/sweep-%A_%a.out\n";
  array += "# " + std::to_string(s.points) + " points, " + std::to_string(s.chunk) +
           " per array task (written by `tinyfleet sweep slurm`)\n";
  array += "set -eu\nexec " + exe + " sweep run " + where +
           " --chunk-index \"$SLURM_ARRAY_TASK_ID\" --chunk " + std::to_string(s.chunk) + " -j " +
           std::to_string(o.jobs_per_task) + "\n";

  std::string gather = common_header("tinyfleet-gather", o);
  gather += "#SBATCH --output=" + logs + "/gather-%j.out\n";
  gather += "# submit with --dependency=afterany:<array job id>\n";
  gather += "set -eu\nexec " + exe + " sweep gather " + where + "\n";

  write_file_atomically((root / "sweep.sbatch").string(), array);
  write_file_atomically((root / "gather.sbatch").string(), gather);
  fs::permissions(root / "sweep.sbatch", fs::perms::owner_exec, fs::perm_options::add);
  fs::permissions(root / "gather.sbatch", fs::perms::owner_exec, fs::perm_options::add);
  return s;
}

SlurmJobs submit_slurm_scripts(const std::string& dir) {
  const fs::path root = fs::absolute(dir).lexically_normal();
  SlurmJobs jobs;
  jobs.array_job = job_id(run_capture({"sbatch", "--parsable", (root / "sweep.sbatch").string()}));
  jobs.gather_job =
      job_id(run_capture({"sbatch", "--parsable", "--dependency=afterany:" + jobs.array_job,
                          (root / "gather.sbatch").string()}));
  return jobs;
}

}  // namespace tinyfleet
