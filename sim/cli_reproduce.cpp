#include "sim/cli_reproduce.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "analysis/report_gnuplot.hpp"
#include "analysis/taxonomy_figures.hpp"
#include "analysis/taxonomy_html.hpp"
#include "analysis/taxonomy_markdown.hpp"
#include "analysis/taxonomy_pareto.hpp"
#include "analysis/writers.hpp"
#include "scenarios/loader.hpp"
#include "sim/sweep_expand.hpp"
#include "sim/sweep_gather.hpp"
#include "sim/sweep_path.hpp"
#include "sim/sweep_runner.hpp"
#include "sim/sweep_slurm.hpp"

#ifndef TINYFLEET_TAXONOMY_DIR
#define TINYFLEET_TAXONOMY_DIR "scenarios/taxonomy"
#endif

namespace fs = std::filesystem;

namespace tinyfleet {
namespace {

struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string suite_dir(const ReproduceOptions& o) {
  if (!o.suite_dir.empty()) return o.suite_dir;
  if (fs::is_directory("scenarios/taxonomy")) return "scenarios/taxonomy";
  return TINYFLEET_TAXONOMY_DIR;
}

// "E2" < "E10": by the number after the letter, then as text.
bool id_less(const std::string& a, const std::string& b) {
  auto num = [](const std::string& s) {
    std::size_t i = 0;
    while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return std::make_pair(s.substr(0, i), i < s.size() ? std::atol(s.c_str() + i) : -1L);
  };
  return num(a) != num(b) ? num(a) < num(b) : a < b;
}

std::vector<TaxonomyExperiment> select_experiments(const ReproduceOptions& o) {
  const std::string dir = suite_dir(o);
  if (!fs::is_directory(dir))
    throw BadInput("no experiment directory '" + dir + "' (give --suite DIR)");
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<TaxonomyExperiment> all;
  std::set<std::string> ids;
  for (const auto& f : files) {
    all.push_back(load_taxonomy_experiment(f));
    if (!ids.insert(all.back().id).second)
      throw BadInput(f + ": experiment id '" + all.back().id + "' is used by another file of " +
                     dir);
  }
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return id_less(a.id, b.id); });
  if (o.experiments.empty()) return all;
  std::vector<TaxonomyExperiment> picked;
  for (const auto& id : o.experiments) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& x) { return x.id == id; });
    if (it == all.end()) {
      std::string known;
      for (const auto& x : all) known += " " + x.id;
      throw BadInput("no experiment '" + id + "' in " + dir + " (there are:" + known + ")");
    }
    if (std::none_of(picked.begin(), picked.end(), [&](const auto& x) { return x.id == id; }))
      picked.push_back(*it);
  }
  std::sort(picked.begin(), picked.end(),
            [](const auto& a, const auto& b) { return id_less(a.id, b.id); });
  return picked;
}

// The sweep of an experiment, with --quick's values set on the base and its seeds.
SweepSpec experiment_sweep(const TaxonomyExperiment& x, bool quick) {
  SweepSpec spec = load_sweep_file(x.file);
  if (!quick) return spec;
  spec.base = YAML::Clone(spec.base);
  for (const auto& [key, value] : x.quick_set) {
    try {
      set_at_path(spec.base, parse_sweep_path(key), value);
    } catch (const SweepPathError& e) {
      throw ScenarioError(x.file, x.quick_mark.line + 1, x.quick_mark.column + 1,
                          "experiment.quick.set: '" + key + "': " + e.what());
    }
  }
  if (!x.quick_seeds.empty()) {
    SweepDimension seeds;
    SweepKey key;
    key.text = "seed";
    key.path = parse_sweep_path("seed");
    key.mark = x.quick_mark;
    seeds.keys.push_back(key);
    for (uint64_t s : x.quick_seeds) {
      seeds.values.push_back({YAML::Node(std::to_string(s))});
      seeds.marks.push_back({x.quick_mark});
    }
    auto& dims = spec.dimensions;
    if (!dims.empty() && dims.back().keys.size() == 1 && dims.back().keys[0].text == "seed")
      dims.back() = seeds;
    else
      dims.push_back(seeds);
  }
  return spec;
}

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error("taxonomy.sqlite: " + msg + " (in: " + sql.substr(0, 200) + ")");
  }
}

// DIR/taxonomy.sqlite: <E>_runs, <E>_metrics, <E>_events copied from each
// experiment's results.sqlite, plus `cells` and `verdicts` (temp + rename).
void write_taxonomy_sqlite(const std::string& out_dir, const std::vector<TaxonomyResult>& results) {
  const fs::path final_path = fs::path(out_dir) / "taxonomy.sqlite";
  const fs::path tmp = fs::path(out_dir) / ("taxonomy.sqlite.tmp." + std::to_string(getpid()));
  fs::remove(tmp);
  sqlite3* raw = nullptr;
  if (sqlite3_open(tmp.c_str(), &raw) != SQLITE_OK) {
    sqlite3_close(raw);
    throw std::runtime_error(tmp.string() + ": cannot create");
  }
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, sqlite3_close);
  exec(db.get(), "BEGIN");
  exec(db.get(),
       "CREATE TABLE cells(experiment TEXT, section TEXT, row TEXT, metric TEXT, mean REAL, "
       "std REAL, n INTEGER, points INTEGER)");
  exec(db.get(),
       "CREATE TABLE verdicts(experiment TEXT, claim TEXT, tag TEXT, outcome TEXT, numbers TEXT)");
  sqlite3_stmt* cell = nullptr;
  sqlite3_stmt* verdict = nullptr;
  sqlite3_prepare_v2(db.get(), "INSERT INTO cells VALUES(?,?,?,?,?,?,?,?)", -1, &cell, nullptr);
  sqlite3_prepare_v2(db.get(), "INSERT INTO verdicts VALUES(?,?,?,?,?)", -1, &verdict, nullptr);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> c_guard(cell, sqlite3_finalize),
      v_guard(verdict, sqlite3_finalize);
  auto text = [](sqlite3_stmt* s, int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.c_str(), -1, SQLITE_TRANSIENT);
  };
  for (const auto& r : results) {
    const std::string id = r.experiment.id;
    for (const auto& section : r.table.sections)
      for (const auto& row : r.table.rows)
        for (std::size_t m = 0; m < r.experiment.metrics.size(); ++m) {
          const TaxonomyCell* c = r.table.find(section, row, m);
          if (!c) continue;
          sqlite3_reset(cell);
          text(cell, 1, id);
          text(cell, 2, section);
          text(cell, 3, row);
          text(cell, 4, r.experiment.metrics[m].name);
          if (c->values.empty()) {
            sqlite3_bind_null(cell, 5);
            sqlite3_bind_null(cell, 6);
          } else {
            sqlite3_bind_double(cell, 5, c->mean());
            sqlite3_bind_double(cell, 6, c->stddev());
          }
          sqlite3_bind_int64(cell, 7, static_cast<sqlite3_int64>(c->values.size()));
          sqlite3_bind_int64(cell, 8, static_cast<sqlite3_int64>(c->points));
          if (sqlite3_step(cell) != SQLITE_DONE)
            throw std::runtime_error("taxonomy.sqlite: insert");
        }
    for (const auto& v : r.verdicts) {
      sqlite3_reset(verdict);
      text(verdict, 1, id);
      text(verdict, 2, v.claim);
      text(verdict, 3, v.tag);
      text(verdict, 4, v.outcome);
      text(verdict, 5, v.numbers);
      if (sqlite3_step(verdict) != SQLITE_DONE) throw std::runtime_error("taxonomy.sqlite: insert");
    }
  }
  exec(db.get(), "COMMIT");
  for (const auto& r : results) {
    const std::string id = r.experiment.id;
    const std::string src = (fs::path(out_dir) / id / "results.sqlite").string();
    std::string attach = "ATTACH DATABASE '";
    for (char ch : src) attach += ch == '\'' ? std::string("''") : std::string(1, ch);
    exec(db.get(), attach + "' AS src");
    for (const char* t : {"runs", "metrics", "events"})
      exec(db.get(), "CREATE TABLE " + quoted(id + "_" + t) + " AS SELECT * FROM src." + t);
    exec(db.get(), "DETACH DATABASE src");
  }
  db.reset();
  fs::rename(tmp, final_path);
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Draws one figure into DIR/figures; false (and a note) when it cannot.
bool draw(const Figure& fig, const fs::path& fig_dir, bool have_gnuplot, const std::string& who,
          std::vector<std::string>& notes, std::vector<RenderedFigure>& into) {
  if (!have_gnuplot) {
    notes.push_back(who + ": " + fig.title +
                    ": gnuplot is not installed (Debian package gnuplot-nox)");
    return false;
  }
  try {
    fs::create_directories(fig_dir);
    render_figure(fig, fig_dir.string());
  } catch (const ReportToolError& e) {
    notes.push_back(who + ": " + fig.title + ": " + e.what());
    return false;
  }
  into.push_back({fig, read_bytes(fig_dir / (fig.id + ".png")), "figures/" + fig.id + ".svg"});
  return true;
}

// DIR/figures/<E>-<n>.{gp,png,svg}, DIR/figures/pareto.* and DIR/report.html.
// Without gnuplot, or when it fails, the page has the tables and says why the
// figures are missing.
void write_report(const std::string& out_dir, const std::vector<TaxonomyResult>& results,
                  const std::vector<ParetoPoint>& pareto, bool quick) {
  std::map<std::string, std::vector<RenderedFigure>> rendered;
  std::vector<RenderedFigure> overall;
  std::vector<std::string> notes;
  const fs::path fig_dir = fs::path(out_dir) / "figures";
  const bool have_gnuplot = !find_on_path("gnuplot").empty();
  for (const auto& r : results) {
    const std::string db = (fs::path(out_dir) / r.experiment.id / "results.sqlite").string();
    for (auto& fig : taxonomy_figures(r.experiment, r.table, db, notes))
      draw(fig, fig_dir, have_gnuplot, r.experiment.id, notes, rendered[r.experiment.id]);
  }
  std::string why;
  if (auto fig = pareto_figure(pareto, why))
    draw(*fig, fig_dir, have_gnuplot, "all", notes, overall);
  else
    notes.push_back("all: energy vs accuracy: " + why);
  write_file_atomically((fs::path(out_dir) / "report.html").string(),
                        taxonomy_html(results, rendered, notes, quick, overall));
  for (const auto& n : notes) std::cerr << "tinyfleet reproduce taxonomy: no figure: " << n << "\n";
}

}  // namespace

int run_reproduce_taxonomy(const ReproduceOptions& o) {
  if (!o.slurm && (o.submit || o.chunk || o.max_parallel || o.jobs_per_task != 1 ||
                   !o.partition.empty() || !o.time.empty())) {
    std::cerr << "tinyfleet reproduce taxonomy: --submit, --chunk, --max-parallel, "
                 "--jobs-per-task, --partition and --time need --slurm\n";
    return kExitBadInput;
  }
  std::vector<TaxonomyExperiment> experiments;
  std::vector<SweepSpec> sweeps;
  std::vector<std::vector<SweepPoint>> points;
  try {
    experiments = select_experiments(o);
    if (experiments.empty()) throw BadInput("the experiment directory has no *.yaml sweep");
    // Every sweep is checked before anything runs.
    for (const auto& x : experiments) {
      sweeps.push_back(experiment_sweep(x, o.quick));
      points.push_back(expand_sweep(sweeps.back(), default_schema_catalog()));
    }
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const BadInput& e) {
    std::cerr << "tinyfleet reproduce taxonomy: " << e.what() << "\n";
    return kExitBadInput;
  }
  fs::create_directories(o.out_dir);
  if (o.slurm) {
    SlurmOptions so;
    try {
      so = slurm_options(o.chunk, o.max_parallel, o.jobs_per_task, o.partition, o.time);
    } catch (const std::invalid_argument& e) {
      std::cerr << "tinyfleet reproduce taxonomy: " << e.what() << "\n";
      return kExitBadInput;
    }
    for (std::size_t i = 0; i < experiments.size(); ++i) {
      const std::string dir = (fs::path(o.out_dir) / experiments[i].id).string();
      try {
        write_sweep(dir, sweeps[i], points[i]);
        const SlurmScripts sc = write_slurm_scripts(dir, so);
        std::cout << experiments[i].id << ": " << sc.points << " points in " << sc.tasks
                  << " array tasks (" << dir << "/sweep.sbatch, gather.sbatch)";
        if (o.submit) {
          const SlurmJobs jobs = submit_slurm_scripts(dir);
          std::cout << "; submitted array job " << jobs.array_job << " and gather job "
                    << jobs.gather_job;
        }
        std::cout << "\n";
      } catch (const std::invalid_argument& e) {
        std::cerr << "tinyfleet reproduce taxonomy: " << experiments[i].id << ": " << e.what()
                  << "\n";
        return kExitBadInput;
      }
    }
    std::cout << "when the jobs are done, run the same command without --slurm to tabulate (it "
                 "runs only points that have no result)\n";
    return 0;
  }
  bool all_ok = true;
  std::vector<TaxonomyResult> results;
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    const auto& x = experiments[i];
    const std::string dir = (fs::path(o.out_dir) / x.id).string();
    try {
      write_sweep(dir, sweeps[i], points[i]);
    } catch (const std::invalid_argument& e) {
      std::cerr << "tinyfleet reproduce taxonomy: " << x.id << ": " << e.what() << "\n";
      return kExitBadInput;
    }
    if (!o.quiet)
      std::cout << x.id << ": " << points[i].size() << " points in " << dir << "\n" << std::flush;
    SweepRunOptions run;
    run.jobs = o.jobs;
    run.progress_bar = !o.quiet && isatty(STDOUT_FILENO);
    std::ostringstream sink;
    if (o.quiet) run.log = &sink;
    const SweepRunReport rep = run_sweep(dir, run);
    all_ok = all_ok && rep.failed.empty();
    gather_sweep(dir);
    TaxonomyResult r{x, build_taxonomy_table(x, (fs::path(dir) / "results.sqlite").string()), {}};
    r.verdicts = judge_expectations(x, r.table);
    results.push_back(std::move(r));
  }
  std::vector<ParetoPoint> pareto;
  for (const auto& r : results) {
    auto p = taxonomy_pareto_points(
        r.experiment, (fs::path(o.out_dir) / r.experiment.id / "results.sqlite").string());
    pareto.insert(pareto.end(), p.begin(), p.end());
  }
  mark_pareto_front(pareto);
  write_taxonomy_sqlite(o.out_dir, results);
  write_file_atomically((fs::path(o.out_dir) / "taxonomy.md").string(),
                        taxonomy_markdown(results, o.quick, pareto));
  write_report(o.out_dir, results, pareto, o.quick);
  if (!o.quiet) {
    std::size_t held = 0, failed = 0, open = 0;
    for (const auto& r : results)
      for (const auto& v : r.verdicts)
        (v.outcome == "held" ? held : v.outcome == "did not hold" ? failed : open)++;
    std::cout << "wrote " << o.out_dir
              << "/taxonomy.md, report.html and taxonomy.sqlite: " << results.size()
              << " experiments; expectations held " << held << ", did not hold " << failed
              << ", inconclusive " << open << "\n";
  }
  return all_ok ? 0 : kExitFailure;
}

CliCommand add_reproduce_command(CLI::App& app) {
  auto o = std::make_shared<ReproduceOptions>();
  auto* reproduce = app.add_subcommand("reproduce", "run a suite of experiments and tabulate it");
  reproduce->require_subcommand(1);
  auto* taxonomy = reproduce->add_subcommand(
      "taxonomy", "the survey's experiments E1-E9 (scenarios/taxonomy/, docs/TAXONOMY.md)");
  taxonomy->add_option("experiments", o->experiments, "experiment ids (default: all), e.g. E2 E4");
  taxonomy->add_option("-o,--output", o->out_dir, "output directory")->required();
  taxonomy->add_flag("--quick", o->quick, "each sweep's reduced `experiment.quick` version");
  taxonomy->add_option("-j,--jobs", o->jobs, "points run at once (default 1)")
      ->check(CLI::Range(1, 1024));
  taxonomy->add_option("--suite", o->suite_dir, "directory of the experiment sweeps");
  taxonomy->add_flag("-q,--quiet", o->quiet, "no progress output");
  taxonomy->add_flag("--slurm", o->slurm, "write SLURM job arrays instead of running here");
  taxonomy->add_flag("--submit", o->submit, "--slurm: submit them with sbatch");
  taxonomy->add_option("--chunk", o->chunk, "--slurm: points per array task");
  taxonomy->add_option("--max-parallel", o->max_parallel, "--slurm: array tasks at once");
  taxonomy->add_option("--jobs-per-task", o->jobs_per_task, "--slurm: CPUs and -j per task");
  taxonomy->add_option("--partition", o->partition, "--slurm: SLURM partition");
  taxonomy->add_option("--time", o->time, "--slurm: time limit per job");
  return {reproduce, [o] { return run_reproduce_taxonomy(*o); }};
}

}  // namespace tinyfleet
