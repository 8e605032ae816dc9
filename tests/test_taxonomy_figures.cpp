// The taxonomy suite's run-wide columns and figures: `fleet_field` metrics and
// the `lines`/`rounds` figure kinds in the experiment block (with their
// errors), a fleet column and a rounds figure read from gathered summary.json
// and events.csv files, the federation numbers E8's fleet columns read, and
// the energy-vs-accuracy Pareto front. Figures are
// checked as gnuplot scripts (data inline): no gnuplot needed.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/taxonomy_figures.hpp"
#include "analysis/taxonomy_markdown.hpp"
#include "analysis/taxonomy_pareto.hpp"
#include "analysis/taxonomy_spec.hpp"
#include "analysis/taxonomy_table.hpp"
#include "analysis/writers.hpp"
#include "scenarios/loader.hpp"
#include "sim/sweep_gather.hpp"
#include "sim/sweep_manifest.hpp"
#include "tests/support/run_binary.hpp"

using namespace tinyfleet;
namespace fs = std::filesystem;
using tinyfleet_test::fresh_dir;
using tinyfleet_test::write_file;

namespace {

const char* kFleet = R"(experiment:
  id: E8
  title: test
  rows: name
  sections: group
  metrics:
    - {name: "A", field: accuracy, scale: 100}
    - {name: "rounds", fleet_field: federation.rounds, groups: [federated]}
    - {name: "quorum MTD", fleet_field: fleet_detection.mean_detection_delay_s}
  figures:
    - {kind: rounds, group: federated, scale: 100, title: r}
    - {kind: lines, x: rounds, y: A, logx: true, title: l}
base: x.yaml
seeds: [1]
)";

std::string write_experiment(const std::string& name, const std::string& text) {
  const fs::path dir = fresh_dir("taxonomy-fig-" + name);
  fs::create_directories(dir);
  write_file(dir / "E.yaml", text);
  return (dir / "E.yaml").string();
}

std::string load_error(const std::string& name, const std::string& text) {
  try {
    load_taxonomy_experiment(write_experiment(name, text));
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string summary(int rounds, const std::string& delay, double acc) {
  return R"({"scenario": {"seed": 1},
  "groups": [{"group": "local", "accuracy": )" +
         std::to_string(acc) + R"(, "efficiency": {"energy_per_correct_j": 2e-6}},
             {"group": "federated", "accuracy": 0.5, "efficiency": {"energy_per_correct_j": null}}],
  "fleet": {"devices": 4, "accuracy": 0.6},
  "federation": {"rounds": )" +
         std::to_string(rounds) + R"(, "uplink_bytes": 100.0},
  "fleet_detection": {"fleet_alarms": 1, "mean_detection_delay_s": )" +
         delay + R"(}})";
}

// Two points of a sweep over `name` (periodic, triggered), gathered: the
// periodic one ran two rounds (bytes 100 + 10, then 200 + 20), the
// triggered one none; the federated group's windowed accuracy at 0, 60, 120 s.
fs::path gathered_sweep() {
  const fs::path dir = fresh_dir("taxonomy-fig-sweep");
  SweepManifest m;
  m.sweep_file = "s.yaml";
  m.parameters = {"name"};
  const char* names[] = {"periodic", "triggered"};
  for (std::size_t i = 0; i < 2; ++i) {
    m.points.push_back({i, point_dir_name(i, 2), {{"name", names[i]}}});
    const fs::path run = dir / m.points[i].dir / "run";
    fs::create_directories(run);
    write_file(run / "summary.json", i == 0 ? summary(2, "120.5", 0.8) : summary(0, "null", 0.9));
    write_file(run / "metrics.csv",
               "time_s,device,metric,value\n0,group:federated,accuracy_window,0.2\n"
               "60,group:federated,accuracy_window,0.4\n120,group:federated,accuracy_window," +
                   std::string(i == 0 ? "0.8" : "0.6") + "\n60,group:local,accuracy_window,0.9\n");
    write_file(run / "events.csv",
               i == 0 ? "time_s,device,event,detail\n30,fleet,round_end,session=1 round=1 "
                        "bytes_up=100 bytes_down=10\n90,fleet,round_end,session=1 round=2 "
                        "bytes_up=200 bytes_down=20\n100,a/0,drift,abrupt\n"
                      : "time_s,device,event,detail\n100,a/0,drift,abrupt\n");
  }
  write_file_atomically((dir / "manifest.json").string(), manifest_json(m));
  gather_sweep(dir.string());
  return dir;
}

// Two points (seeds) of groups a and b with a budget: energy_window_j and
// energy_budget_j at 1 h and 3 h. a's budget is 0.5 then 0.25 J; b's is a's when
// b_budget is 0.5, else b_budget throughout.
fs::path budget_sweep(const std::string& name, double b_budget) {
  const fs::path dir = fresh_dir("taxonomy-fig-" + name);
  SweepManifest m;
  m.sweep_file = "s.yaml";
  m.parameters = {"seed"};
  for (std::size_t i = 0; i < 2; ++i) {
    m.points.push_back({i, point_dir_name(i, 2), {{"seed", std::to_string(i + 1)}}});
    const fs::path run = dir / m.points[i].dir / "run";
    fs::create_directories(run);
    write_file(run / "summary.json",
               R"({"scenario": {"seed": 1}, "groups": [{"group": "a", "accuracy": 0.5},
               {"group": "b", "accuracy": 0.6}], "fleet": {"devices": 2, "accuracy": 0.55}})");
    const std::string used_a = i == 0 ? "0.25" : "0.75";  // mean 0.5
    const std::string b1 = gp_num(b_budget), b3 = gp_num(b_budget == 0.5 ? 0.25 : b_budget);
    write_file(run / "metrics.csv",
               "time_s,device,metric,value\n3600,group:a,energy_window_j," + used_a +
                   "\n3600,group:a,energy_budget_j,0.5\n3600,group:b,energy_window_j,0.125\n"
                   "3600,group:b,energy_budget_j," +
                   b1 +
                   "\n10800,group:a,energy_window_j,0.5\n10800,group:a,energy_budget_j,0.25\n"
                   "10800,group:b,energy_window_j,0.125\n10800,group:b,energy_budget_j," +
                   b3 + "\n");
    write_file(run / "events.csv", "time_s,device,event,detail\n");
  }
  write_file_atomically((dir / "manifest.json").string(), manifest_json(m));
  gather_sweep(dir.string());
  return dir;
}

const char* kBudget = R"(experiment:
  id: E9
  title: test
  rows: group
  metrics:
    - {name: "A", field: accuracy}
  figures:
    - {kind: series, series: energy_window_j, limit: energy_budget_j, scale: 1000, title: e}
base: x.yaml
seeds: [1, 2]
)";

}  // namespace

TEST_CASE("taxonomy: fleet_field metrics and lines/rounds figures are read from the block") {
  const auto x = load_taxonomy_experiment(write_experiment("good", kFleet));
  REQUIRE(x.metrics.size() == 3);
  CHECK(x.metrics[1].fleet_field == "federation.rounds");
  CHECK(x.metrics[1].field.empty());
  CHECK(x.metrics[1].groups == std::vector<std::string>{"federated"});
  CHECK(x.metrics[2].groups.empty());
  REQUIRE(x.figures.size() == 2);
  CHECK(x.figures[0].kind == "rounds");
  CHECK(x.figures[0].group == "federated");
  CHECK(x.figures[0].series == "accuracy_window");
  CHECK(x.figures[0].scale == 100);
  CHECK(x.figures[1].kind == "lines");
  CHECK(x.figures[1].logx);
  CHECK(x.figures[1].x == "rounds");
}

TEST_CASE("taxonomy: bad fleet_field metrics and figures name file, line, column and key") {
  auto err = load_error("block", replaced(kFleet, "federation.rounds", "devices.rounds"));
  CHECK(err.find("E.yaml:8:37") != std::string::npos);
  CHECK(err.find("'devices.rounds' is not BLOCK.KEY") != std::string::npos);

  err = load_error("bare", replaced(kFleet, "federation.rounds", "federation"));
  CHECK(err.find("'federation' is not BLOCK.KEY") != std::string::npos);

  err = load_error("both", replaced(kFleet, "fleet_field: federation.rounds",
                                    "field: rounds, fleet_field: federation.rounds"));
  CHECK(err.find("E.yaml:8:7") != std::string::npos);
  CHECK(err.find("exactly one of 'field'") != std::string::npos);

  err = load_error("groups", replaced(kFleet, "field: accuracy,", "field: accuracy, groups: [a],"));
  CHECK(err.find("experiment.metrics[0].groups: only for a 'fleet_field' metric") !=
        std::string::npos);

  err = load_error("empty", replaced(kFleet, "groups: [federated]", "groups: []"));
  CHECK(err.find("empty list") != std::string::npos);

  err = load_error("rounds-rows",
                   replaced(kFleet, "  rows: name\n  sections: group\n", "  rows: group\n"));
  CHECK(err.find("a rounds figure needs rows from a swept key") != std::string::npos);

  err = load_error("split", replaced(kFleet, "logx: true,", "split: fleet.0.k,"));
  CHECK(err.find("E.yaml:12:45") != std::string::npos);
  CHECK(err.find("'fleet.0.k' is not one of experiment.sections' swept keys") != std::string::npos);

  err = load_error("foreign", replaced(kFleet, "group: federated,", "x: A,"));
  CHECK(err.find("experiment.figures[0].x: not a key of a rounds figure") != std::string::npos);

  err = load_error("kind", replaced(kFleet, "kind: lines", "kind: bars"));
  CHECK(err.find("'bars'") != std::string::npos);
}

TEST_CASE("taxonomy: a fleet column comes from summary.json's run-wide blocks, per point") {
  const fs::path dir = gathered_sweep();
  const auto x = load_taxonomy_experiment(write_experiment("table", kFleet));
  const TaxonomyTable t = build_taxonomy_table(x, (dir / "results.sqlite").string());
  CHECK(t.sections == std::vector<std::string>{"local", "federated"});
  CHECK(t.rows == std::vector<std::string>{"periodic", "triggered"});
  // federation.rounds only in the federated group's cells.
  CHECK(t.find("federated", "periodic", 1)->values == std::vector<double>{2});
  CHECK(t.find("federated", "triggered", 1)->values == std::vector<double>{0});
  CHECK(t.find("local", "periodic", 1)->points == 0);
  CHECK(format_cell(t.find("local", "periodic", 1), x.metrics[1]) == "—");
  // fleet_detection's delay in both groups; null (nothing detected) counts, no value.
  CHECK(t.find("local", "periodic", 2)->values == std::vector<double>{120.5});
  CHECK(t.find("federated", "periodic", 2)->values == std::vector<double>{120.5});
  CHECK(t.find("federated", "triggered", 2)->values.empty());
  CHECK(t.find("federated", "triggered", 2)->points == 1);
  // A `groups` entry that names no group of the runs is an error naming it.
  auto bad = x;
  bad.metrics[1].groups = {"fed"};
  CHECK_THROWS_WITH_AS(build_taxonomy_table(bad, (dir / "results.sqlite").string()),
                       doctest::Contains("groups: no group 'fed'"), std::runtime_error);
}

TEST_CASE("taxonomy: the rounds figure steps the rounds' bytes under the group's accuracy") {
  const fs::path dir = gathered_sweep();
  const auto x = load_taxonomy_experiment(write_experiment("rounds", kFleet));
  const std::string db = (dir / "results.sqlite").string();
  const TaxonomyTable t = build_taxonomy_table(x, db);
  std::vector<std::string> omitted;
  const auto figs = taxonomy_figures(x, t, db, omitted);
  REQUIRE(figs.size() == 2);
  CHECK(omitted.empty());
  const Figure& r = figs[0];
  CHECK(r.id == "E8-1");
  // Periodic: accuracy × 100 at each tick, bytes so far (110 after 30 s, 330 after 90 s).
  CHECK(r.data.find("$r0 << EOD\n# time accuracy_window bytes\n0 20 0\n1 40 110\n2 80 330\nEOD") !=
        std::string::npos);
  CHECK(r.data.find("$r1 << EOD\n# time accuracy_window bytes\n0 20 0\n1 40 0\n2 60 0\nEOD") !=
        std::string::npos);
  CHECK(r.body.find("plot $r0 using 1:2 with lines lw 2 lc rgb '#0072B2' title 'periodic (2 "
                    "rounds per point)'") != std::string::npos);
  CHECK(r.body.find("plot $r0 using 1:3 with steps lw 2 lc rgb '#0072B2' notitle") !=
        std::string::npos);
  CHECK(r.body.find("'triggered (0 rounds per point)'") != std::string::npos);
  CHECK(r.body.find("set arrow 1 from 1.6666666666666667") != std::string::npos);  // drift at 100 s
  // Lines: rounds (log x: triggered's 0 is dropped) against accuracy, one line per row.
  const Figure& l = figs[1];
  CHECK(l.body.find("set logscale x") != std::string::npos);
  CHECK(l.data.find("$l0 << EOD\n2 50\nEOD") != std::string::npos);
  CHECK(l.data.find("$l1") == std::string::npos);
  CHECK(l.caption.find("1 points with x ≤ 0 are not drawn") != std::string::npos);
  // A group without that series: no figure, and why.
  auto other = x;
  other.figures = {x.figures[0]};
  other.figures[0].group = "local";
  other.figures[0].series = "ece_window";
  omitted.clear();
  CHECK(taxonomy_figures(other, t, db, omitted).empty());
  REQUIRE(omitted.size() == 1);
  CHECK(omitted[0].find("no 'ece_window' series of group local") != std::string::npos);
}

TEST_CASE("taxonomy: lines split by a section key join the sections in x order") {
  TaxonomyExperiment x;
  x.id = "E6";
  x.section_keys = {"fleet.0.labels.fraction", "fleet.0.labels.delay"};
  x.sections = "params";
  TaxonomyMetric labels, acc;
  labels.name = "labels";
  acc.name = "A";
  x.metrics = {labels, acc};
  TaxonomyFigure f;
  f.kind = "lines";
  f.title = "t";
  f.x = "labels";
  f.y = "A";
  f.split = "fleet.0.labels.delay";
  x.figures = {f};
  TaxonomyTable t;
  t.rows = {"random"};
  auto cell = [](double v) {
    TaxonomyCell c;
    c.values = {v};
    c.points = 1;
    return c;
  };
  // Three fractions × two delays; labels used fall with the fraction.
  const double fractions[] = {1, 0.1, 0.01};
  for (double fr : fractions)
    for (const char* delay : {"delay=0", "delay=100s"}) {
      const std::string section = "fraction=" + gp_num(fr) + ", " + delay;
      t.sections.push_back(section);
      t.section_parts[section] = {"fraction=" + gp_num(fr), delay};
      t.cells[{section, "random"}] = {
          cell(3000 * fr), cell(std::string(delay) == "delay=0" ? 90 * fr + 5 : 80 * fr)};
    }
  const fs::path dir = gathered_sweep();  // any results.sqlite: lines read the table only
  std::vector<std::string> omitted;
  const auto figs = taxonomy_figures(x, t, (dir / "results.sqlite").string(), omitted);
  REQUIRE(figs.size() == 1);
  CHECK(figs[0].data.find("$l0 << EOD\n30 5.9\n300 14\n3000 95\nEOD") != std::string::npos);
  CHECK(figs[0].data.find("$l1 << EOD\n30 0.8\n300 8\n3000 80\nEOD") != std::string::npos);
  CHECK(figs[0].body.find("'random, delay=0'") != std::string::npos);
  CHECK(figs[0].body.find("'random, delay=100s'") != std::string::npos);
  CHECK(figs[0].body.find("dt 2") != std::string::npos);  // the second delay dashed
}

TEST_CASE("taxonomy: the Pareto front keeps the points no other is cheaper and better than") {
  std::vector<ParetoPoint> p = {
      {"E1", "", "a", 1.0, 50, false},    // cheapest: front
      {"E1", "", "b", 2.0, 40, false},    // dominated by a
      {"E2", "", "c", 3.0, 80, false},    // front
      {"E2", "", "d", 3.0, 70, false},    // same energy as c, less accurate: dominated
      {"E3", "s", "e", 10.0, 80, false},  // as accurate as c, dearer: dominated
      {"E3", "s", "f", 20.0, 95, false},  // most accurate: front
      {"E3", "s", "g", 20.0, 95, false},  // equal to f: both on the front
  };
  mark_pareto_front(p);
  std::vector<std::string> front;
  for (const auto& q : p)
    if (q.front) front.push_back(q.row);
  CHECK(front == std::vector<std::string>{"a", "c", "f", "g"});

  std::string why;
  const auto fig = pareto_figure(p, why);
  REQUIRE(fig);
  CHECK(fig->id == "pareto");
  // Numbered cheapest first; f and g are the same point: one number for both.
  CHECK(fig->data.find("$front << EOD\n1 50 \"1\"\n3 80 \"2\"\n20 95 \"3\"\nEOD") !=
        std::string::npos);
  CHECK(fig->caption.find("Front, cheapest first: 1 E1 a; 2 E2 c; 3 E3 f [s] & E3 g [s].") !=
        std::string::npos);
  CHECK(fig->data.find("$e2 << EOD\n10 80\n20 95\n20 95\nEOD") != std::string::npos);
  CHECK(fig->body.find("set logscale x") != std::string::npos);
  CHECK(!pareto_figure({}, why));
  CHECK(why.find("no cell") != std::string::npos);

  // taxonomy.md lists the front, cheapest first.
  const std::string md = taxonomy_markdown({}, false, p);
  CHECK(md.find("The Pareto front of 7 cells") != std::string::npos);
  CHECK(md.find("| E1 | — | a | 1.000 | 50.0 |\n| E2 | — | c | 3.000 | 80.0 |\n| E3 | s | f |") !=
        std::string::npos);
  CHECK(md.find("| b |") == std::string::npos);
}

TEST_CASE("taxonomy: Pareto points are the cells' accuracy and energy per correct prediction") {
  const fs::path dir = gathered_sweep();
  const auto x = load_taxonomy_experiment(write_experiment("pareto", kFleet));
  const auto p = taxonomy_pareto_points(x, (dir / "results.sqlite").string());
  // The federated group has no energy per correct prediction (null): only the local cells.
  REQUIRE(p.size() == 2);
  CHECK(p[0].section == "local");
  CHECK(p[0].row == "periodic");
  CHECK(p[0].accuracy == doctest::Approx(80));
  CHECK(p[0].energy_uj == doctest::Approx(2));
  CHECK(p[1].row == "triggered");
  CHECK(p[1].accuracy == doctest::Approx(90));
}

TEST_CASE("federation summary: byte totals, rounds to recover and round_end bytes agree") {
  // Every device of federated-drift.yaml is a member; recomputed here from the
  // per-device drifts and the round_end events.
  const fs::path out = fresh_dir("taxonomy-fig-federation");
  const auto r = tinyfleet_test::sh(tinyfleet_test::tf() + " run " +
                                    tinyfleet_test::src("scenarios/examples/federated-drift.yaml") +
                                    " -q -o " + out.string());
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(tinyfleet_test::slurp(out / "summary.json"));
  const auto& f = j["federation"];
  std::vector<double> ends;
  double up = 0, down = 0;
  std::istringstream events(tinyfleet_test::slurp(out / "events.csv"));
  std::string line;
  while (std::getline(events, line)) {
    if (line.find(",round_end,") == std::string::npos) continue;
    ends.push_back(std::stod(line));
    const auto kv = [&](const std::string& key) {
      const auto at = line.find(key + "=");
      REQUIRE(at != std::string::npos);
      return std::stod(line.substr(at + key.size() + 1));
    };
    up += kv("bytes_up");
    down += kv("bytes_down");
  }
  REQUIRE(ends.size() == f["rounds"].get<std::size_t>());
  CHECK(f["uplink_bytes"].get<double>() == doctest::Approx(up));
  CHECK(f["downlink_bytes"].get<double>() == doctest::Approx(down));
  CHECK(down > 0);
  CHECK(f["uplink_bytes_per_round"].get<double>() == doctest::Approx(up / ends.size()));
  int recovered = 0;
  double rounds = 0;
  for (const auto& d : j["devices"])
    for (const auto& drift : d["drifts"]) {
      if (drift["recovery"] != "recovered") continue;
      ++recovered;
      const double start = drift["start_s"], end = start + drift["recovery_s"].get<double>();
      for (double e : ends) rounds += e > start && e <= end;
    }
  REQUIRE(recovered > 0);
  CHECK(f["member_drifts_recovered"] == recovered);
  CHECK(f["rounds_to_recover_mean"].get<double>() == doctest::Approx(rounds / recovered));
  CHECK(f["rounds_to_recover_mean"].get<double>() >= 1);  // the alarm's session came first
  // The fleet detector found the drift: a delay; none found would be null, not 0.
  CHECK(j["fleet_detection"]["mean_detection_delay_s"].get<double>() > 0);
  fs::remove_all(out);
}

TEST_CASE("taxonomy: a series figure draws its limit (E9's energy budget) as dashed steps") {
  const auto x = load_taxonomy_experiment(write_experiment("budget", kBudget));
  REQUIRE(x.figures.size() == 1);
  CHECK(x.figures[0].limit == "energy_budget_j");
  // The same budget for both groups: one black line, 500 mJ then 250 mJ (hours on x).
  fs::path dir = budget_sweep("budget-same", 0.5);
  std::string db = (dir / "results.sqlite").string();
  std::vector<std::string> omitted;
  auto figs = taxonomy_figures(x, build_taxonomy_table(x, db), db, omitted);
  REQUIRE(figs.size() == 1);
  CHECK(omitted.empty());
  CHECK(figs[0].data.find("$limit << EOD\n1 500\n3 250\nEOD") != std::string::npos);
  CHECK(figs[0].data.find("$g0 << EOD\n1 500\n3 500\nEOD") != std::string::npos);
  CHECK(figs[0].body.find("plot $limit using 1:2 with steps dt 2 lw 2 lc rgb '#000000' title "
                          "'energy_budget_j'") != std::string::npos);
  CHECK(figs[0].body.find("$limit0") == std::string::npos);
  CHECK(figs[0].caption.find("black dashed steps: the limit in force, energy_budget_j") !=
        std::string::npos);
  // Different budgets: one dashed line per group, in its colour.
  dir = budget_sweep("budget-own", 0.125);
  db = (dir / "results.sqlite").string();
  figs = taxonomy_figures(x, build_taxonomy_table(x, db), db, omitted);
  REQUIRE(figs.size() == 1);
  CHECK(figs[0].data.find("$limit1 << EOD\n1 125\n3 125\nEOD") != std::string::npos);
  CHECK(figs[0].body.find("$limit0 using 1:2 with steps dt 2 lw 2 lc rgb '#0072B2' title 'a: "
                          "energy_budget_j'") != std::string::npos);
  CHECK(figs[0].body.find("$limit1 using 1:2 with steps dt 2 lw 2 lc rgb '#D55E00' title 'b: "
                          "energy_budget_j'") != std::string::npos);
  // No such series: the figure without it, and the caption says so.
  auto other = x;
  other.figures[0].limit = "ram_cap_bytes";
  figs = taxonomy_figures(other, build_taxonomy_table(other, db), db, omitted);
  REQUIRE(figs.size() == 1);
  CHECK(figs[0].body.find("$limit") == std::string::npos);
  CHECK(figs[0].caption.find("no ram_cap_bytes series to draw as its limit") != std::string::npos);
  // `limit` belongs to a series figure.
  const std::string err = load_error(
      "budget-scatter", replaced(kFleet, "{kind: lines, x: rounds, y: A, logx: true, title: l}",
                                 "{kind: lines, x: rounds, y: A, limit: b, title: l}"));
  CHECK(err.find("not a key of a lines figure") != std::string::npos);
}

TEST_CASE("taxonomy: a figure's `rows` list draws only those rows (rounds, scatter)") {
  const fs::path dir = gathered_sweep();
  const std::string text = replaced(
      replaced(kFleet, "{kind: rounds, group: federated, scale: 100, title: r}",
               "{kind: rounds, group: federated, scale: 100, rows: [triggered], title: r}"),
      "{kind: lines, x: rounds, y: A, logx: true, title: l}",
      "{kind: scatter, x: rounds, y: A, rows: [periodic], title: s}");
  const auto x = load_taxonomy_experiment(write_experiment("rows", text));
  REQUIRE(x.figures.size() == 2);
  CHECK(x.figures[0].rows == std::vector<std::string>{"triggered"});
  const std::string db = (dir / "results.sqlite").string();
  const TaxonomyTable t = build_taxonomy_table(x, db);
  std::vector<std::string> omitted;
  const auto figs = taxonomy_figures(x, t, db, omitted);
  REQUIRE(figs.size() == 2);
  CHECK(figs[0].body.find("'triggered (0 rounds per point)'") != std::string::npos);
  CHECK(figs[0].body.find("periodic") == std::string::npos);
  // Scatter: the periodic row's point only (2 rounds, 50 % in the federated section).
  CHECK(figs[1].data == "$s1 << EOD\n2 50 \"periodic\"\nEOD\n");
  CHECK(figs[1].data.find("triggered") == std::string::npos);
  // Not a key of every kind; a row nobody has leaves nothing to draw.
  CHECK(load_error("rows-lines", replaced(kFleet, "logx: true, title: l",
                                          "logx: true, rows: [periodic], title: l"))
            .find("experiment.figures[1].rows: not a key of a lines figure") != std::string::npos);
  auto none = x;
  none.figures = {x.figures[1]};
  none.figures[0].rows = {"hourly"};
  omitted.clear();
  CHECK(taxonomy_figures(none, t, db, omitted).empty());
  CHECK(omitted.size() == 1);
}
