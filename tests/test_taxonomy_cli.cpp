// End to end: `tinyfleet reproduce taxonomy --quick` over every experiment of
// scenarios/taxonomy/. taxonomy.md must have, per experiment, its heading, a
// column per metric of its `experiment.metrics`, a row per learner (group of
// the base scenario, or value of the swept rows key) and a verdict line per
// expectation; every metric must have a value somewhere (the quick version
// exercises it); report.html has every figure; and taxonomy.md has the same
// bytes whatever -j.
// Needs the real data sets (scripts/fetch-datasets.sh).
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "analysis/taxonomy_spec.hpp"
#include "analysis/taxonomy_table.hpp"
#include "tests/support/run_binary.hpp"

using namespace tinyfleet;
using namespace tinyfleet_test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> suite_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(src("scenarios/taxonomy")))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// The row labels an experiment must show: its groups, or its rows axis's values.
std::set<std::string> expected_rows(const TaxonomyExperiment& x) {
  const YAML::Node sweep = YAML::LoadFile(x.file);
  std::set<std::string> rows;
  if (x.rows == "group") {
    for (const auto& g : sweep["base"]["fleet"]) rows.insert(g["group"].as<std::string>());
  } else {  // the rows key's values, from the grid or a zip group
    const YAML::Node axes = sweep["axes"];
    YAML::Node values = axes["grid"] ? axes["grid"][x.rows] : YAML::Node();
    if (!values && axes["zip"]) {
      const YAML::Node zip = axes["zip"];
      if (zip.IsMap()) values = zip[x.rows];
      for (std::size_t i = 0; !values && zip.IsSequence() && i < zip.size(); ++i)
        values = zip[i][x.rows];
    }
    REQUIRE(values);
    for (const auto& v : values) {
      YAML::Emitter e;
      e << YAML::Flow << v;
      rows.insert(taxonomy_value_label(e.c_str()));
    }
  }
  return rows;
}

// The markdown between "### <id> " and the next experiment heading.
std::string experiment_text(const std::string& md, const std::string& id) {
  const auto start = md.find("### " + id + " ");
  if (start == std::string::npos) return "";
  const auto end = md.find("\n### ", start + 1);
  return md.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

TEST_CASE("reproduce taxonomy --quick: every experiment's rows, columns and verdicts, same bytes") {
  const fs::path a = fresh_dir("taxonomy-quick-a"), b = fresh_dir("taxonomy-quick-b");
  const std::string suite = " --suite " + src("scenarios/taxonomy");
  const auto ra = sh(tf() + " reproduce taxonomy --quick -q -j 2 -o " + a.string() + suite);
  INFO(ra.output);
  REQUIRE(ra.code == 0);
  const std::string md = slurp(a / "taxonomy.md");
  CHECK(fs::exists(a / "taxonomy.sqlite"));

  const auto files = suite_files();
  REQUIRE(files.size() >= 4);
  for (const auto& f : files) {
    const auto x = load_taxonomy_experiment(f);
    INFO(x.id);
    const std::string text = experiment_text(md, x.id);
    REQUIRE(!text.empty());
    std::string header = "| " + std::string(x.rows == "group" ? "learner (group)" : x.rows) + " |";
    for (const auto& m : x.metrics) header += " " + m.name + " |";
    CHECK(text.find(header + "\n") != std::string::npos);
    for (const auto& row : expected_rows(x)) {
      INFO(row);
      CHECK(text.find("\n| " + row + " |") != std::string::npos);
    }
    for (const auto& e : x.expectations) {
      INFO(e.claim);
      const bool verdict = text.find("- **held** — " + e.claim) != std::string::npos ||
                           text.find("- **did not hold** — " + e.claim) != std::string::npos ||
                           text.find("- **inconclusive** — " + e.claim) != std::string::npos;
      CHECK(verdict);
    }
    // Every column is computed in the quick run: a series has values, a
    // summary field is in the points' summary.json (null when, e.g., nothing
    // was detected: then the cells say so).
    const auto table = build_taxonomy_table(x, (a / x.id / "results.sqlite").string());
    CHECK(table.points_ok == table.points);
    const auto summary =
        nlohmann::json::parse(slurp(a / x.id / "points" / "0000" / "run" / "summary.json"));
    for (std::size_t m = 0; m < x.metrics.size(); ++m) {
      const auto& metric = x.metrics[m];
      INFO(metric.name);
      bool any = false;
      for (const auto& [key, cells] : table.cells) any = any || !cells[m].values.empty();
      if (!metric.field.empty()) {
        const auto pointer = nlohmann::json::json_pointer(
            "/" + std::regex_replace(metric.field, std::regex("\\."), "/"));
        for (const auto& g : summary["groups"]) any = any || g.contains(pointer);
      }
      if (!metric.fleet_field.empty())
        any = any || summary.contains(nlohmann::json::json_pointer(
                         "/" + std::regex_replace(metric.fleet_field, std::regex("\\."), "/")));
      CHECK(any);
    }
  }

  // E6's self-training row: pseudo-labels where true labels are scarce (p = 0.1),
  // some of them wrong after the class swap; none when every sample has a label.
  {
    const auto e6 = load_taxonomy_experiment(src("scenarios/taxonomy/E6-label-scarcity.yaml"));
    const auto table = build_taxonomy_table(e6, (a / "E6" / "results.sqlite").string());
    std::size_t pseudo = e6.metrics.size(), wrong = e6.metrics.size();
    for (std::size_t m = 0; m < e6.metrics.size(); ++m) {
      if (e6.metrics[m].field == "efficiency.self_labels") pseudo = m;
      if (e6.metrics[m].field == "efficiency.self_labels_wrong") wrong = m;
    }
    REQUIRE(pseudo < e6.metrics.size());
    REQUIRE(wrong < e6.metrics.size());
    const auto* scarce = table.find("fraction=0.1, delay=0", "self", pseudo);
    const auto* scarce_wrong = table.find("fraction=0.1, delay=0", "self", wrong);
    const auto* full = table.find("fraction=1, delay=0", "self", pseudo);
    const auto* random = table.find("fraction=0.1, delay=0", "random", pseudo);
    REQUIRE((scarce && scarce_wrong && full && random));
    CHECK(scarce->mean() > 100);
    CHECK(scarce_wrong->mean() > 0);
    CHECK(scarce_wrong->mean() < scarce->mean());
    CHECK(full->mean() == 0);
    CHECK(random->mean() == 0);
  }

  // report.html: a figure per `experiment.figures` entry and the energy-vs-accuracy
  // Pareto plot (gnuplot is installed by setup.sh); taxonomy.md lists the front.
  const std::string html = slurp(a / "report.html");
  std::size_t figures = 0;
  for (const auto& f : files) figures += load_taxonomy_experiment(f).figures.size();
  CHECK(figures >= 5);
  std::size_t imgs = 0;
  for (auto p = html.find("<img"); p != std::string::npos; p = html.find("<img", p + 1)) ++imgs;
  CHECK(imgs == figures + 1);
  CHECK(fs::exists(a / "figures" / "E3-1.svg"));
  CHECK(fs::exists(a / "figures" / "pareto.svg"));
  // E4's windowed-accuracy figure marks the hybrid kNN's alarms (it alarms on the
  // label-source switch of 2013 in every seed) in a strip on the second y axis.
  const std::string e4 = slurp(a / "figures" / "E4-1.gp");
  CHECK(e4.find("axes x1y2 with points") != std::string::npos);
  CHECK(e4.find("set y2range [0:1]") != std::string::npos);
  CHECK(md.find("## Energy vs accuracy across the experiments") != std::string::npos);
  CHECK(html.find("Figures not drawn") == std::string::npos);

  const auto rb = sh(tf() + " reproduce taxonomy --quick -q -j 1 -o " + b.string() + suite);
  REQUIRE(rb.code == 0);
  CHECK(slurp(b / "taxonomy.md") == md);
  // Resumed: a second run over the same directory reruns nothing, writes the same bytes.
  const auto rc = sh(tf() + " reproduce taxonomy --quick -j 2 -o " + a.string() + suite);
  REQUIRE(rc.code == 0);
  CHECK(rc.output.find(" 0 ran,") != std::string::npos);
  CHECK(slurp(a / "taxonomy.md") == md);
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST_CASE("reproduce taxonomy: bad arguments exit 2 with one clear line") {
  const fs::path out = fresh_dir("taxonomy-bad");
  const std::string suite = " --suite " + src("scenarios/taxonomy");
  auto r = sh(tf() + " reproduce taxonomy E99 --quick -o " + out.string() + suite);
  CHECK(r.code == 2);
  CHECK(r.output.find("no experiment 'E99'") != std::string::npos);
  CHECK(r.output.find("E2") != std::string::npos);
  r = sh(tf() + " reproduce taxonomy E2 --quick --submit -o " + out.string() + suite);
  CHECK(r.code == 2);
  CHECK(r.output.find("need --slurm") != std::string::npos);
  // --slurm without --submit writes each experiment's job scripts and runs nothing.
  r = sh(tf() + " reproduce taxonomy E2 E7 --quick --slurm --chunk 1 -o " + out.string() + suite);
  CHECK(r.code == 0);
  CHECK(fs::exists(out / "E2" / "sweep.sbatch"));
  CHECK(fs::exists(out / "E7" / "gather.sbatch"));
  CHECK(!fs::exists(out / "E2" / "points" / "0000" / "run"));
  CHECK(!fs::exists(out / "taxonomy.md"));
  r = sh(tf() + " reproduce taxonomy --quick -o " + out.string() + " --suite /nonexistent");
  CHECK(r.code == 2);
  CHECK(r.output.find("no experiment directory") != std::string::npos);
  // A bad quick override points at the experiment file.
  const fs::path suite_dir = fresh_dir("taxonomy-bad-suite");
  fs::create_directories(suite_dir);
  std::string text = slurp(src("scenarios/taxonomy/E2-class-swap.yaml"));
  text.replace(text.find("  quick:\n"), 9, "  quick:\n    set: {fleet.9.count: 2}\n");
  write_file(suite_dir / "E2.yaml", text);
  r = sh(tf() + " reproduce taxonomy --quick -o " + out.string() + " --suite " +
         suite_dir.string());
  CHECK(r.code == 2);
  CHECK(r.output.find("E2.yaml:") != std::string::npos);
  CHECK(r.output.find("fleet.9.count") != std::string::npos);
}
