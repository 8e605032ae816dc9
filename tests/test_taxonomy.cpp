// Unit tests of the taxonomy suite's pieces (analysis/taxonomy_*.hpp): the
// `experiment:` block reader and its errors, the verdict rule, the row
// labels, the markdown layout; and the `relabel` parameter of the dataset
// generator that makes E2's class swap (needs the digits data set, fetched by
// scripts/fetch-datasets.sh).
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "analysis/taxonomy_markdown.hpp"
#include "analysis/taxonomy_spec.hpp"
#include "analysis/taxonomy_table.hpp"
#include "analysis/taxonomy_verdict.hpp"
#include "drift/stream.hpp"
#include "scenarios/loader.hpp"
#include "tests/support/run_binary.hpp"

using namespace tinyfleet;
namespace fs = std::filesystem;
using tinyfleet_test::fresh_dir;
using tinyfleet_test::write_file;

namespace {

const char* kGood = R"(experiment:
  id: E9
  title: test
  rows: group
  metrics:
    - {name: "A", field: accuracy, scale: 100, digits: 1}
    - {name: "W", series: accuracy_window, from: 10s, to: 1m, reduce: min}
  expect:
    - claim: "a beats b"
      tag: "[I]"
      left: {row: a, metric: "A"}
      op: ">"
      right: {row: b, metric: "A"}
    - claim: "a above 50"
      left: {row: a, metric: "A"}
      op: ">="
      right: 50
  quick: {set: {duration: 5m}, seeds: [1, 2]}
base: x.yaml
seeds: [1, 2, 3]
)";

std::string write_experiment(const std::string& name, const std::string& text) {
  const fs::path dir = fresh_dir("taxonomy-" + name);
  fs::create_directories(dir);
  const fs::path file = dir / "E.yaml";
  write_file(file, text);
  return file.string();
}

std::string load_error(const std::string& name, const std::string& text) {
  try {
    load_taxonomy_experiment(write_experiment(name, text));
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TaxonomyTable table_with(const std::vector<std::pair<std::string, std::vector<double>>>& rows) {
  TaxonomyTable t;
  t.sections = {""};
  for (const auto& [row, values] : rows) {
    t.rows.push_back(row);
    TaxonomyCell a;
    a.values = values;
    for (std::size_t i = 0; i < values.size(); ++i)
      a.seeds.push_back(static_cast<long long>(i + 1));
    a.points = values.size();
    t.cells[{"", row}] = {a, TaxonomyCell{}};
  }
  return t;
}

}  // namespace

TEST_CASE("taxonomy: the experiment block is read with its metrics, checks and quick version") {
  const auto x = load_taxonomy_experiment(write_experiment("good", kGood));
  CHECK(x.id == "E9");
  REQUIRE(x.metrics.size() == 2);
  CHECK(x.metrics[0].field == "accuracy");
  CHECK(x.metrics[0].scale == 100);
  CHECK(x.metrics[1].series == "accuracy_window");
  CHECK(x.metrics[1].from_s == 10);
  CHECK(x.metrics[1].to_s == 60);
  CHECK(x.metrics[1].reduce == "min");
  REQUIRE(x.expectations.size() == 2);
  CHECK(x.expectations[0].op == ">");
  CHECK(x.expectations[1].right.number == 50);
  REQUIRE(x.quick_set.size() == 1);
  CHECK(x.quick_set[0].first == "duration");
  CHECK(x.quick_seeds == std::vector<uint64_t>{1, 2});
}

TEST_CASE("taxonomy: a malformed experiment block names file, line, column and key") {
  std::string text = kGood;
  text.replace(text.find("field: accuracy,"), 16, "field: accuracy, series: x,");
  auto err = load_error("both", text);
  CHECK(err.find("E.yaml:6:7") != std::string::npos);
  CHECK(err.find("exactly one of 'field'") != std::string::npos);

  text = kGood;
  text.replace(text.find("metric: \"A\"}\n      op: \">\""), 12, "metric: \"B\"}");
  err = load_error("metric", text);
  CHECK(err.find("no metric named 'B'") != std::string::npos);

  text = kGood;
  text.replace(text.find("op: \">=\""), 8, "op: \"=>\"");
  err = load_error("op", text);
  CHECK(err.find("E.yaml:") != std::string::npos);
  CHECK(err.find("'=>'") != std::string::npos);

  text = kGood;
  text.replace(
      text.find("  quick:"), 8,
      "  sections: [x.y]\n  figures:\n    - {kind: series, series: s, title: t}\n  quick:");
  err = load_error("figure", text);
  CHECK(err.find("needs `rows: group` and no sections") != std::string::npos);

  text = kGood;
  text.replace(text.find("  quick:"), 8,
               "  figures:\n    - {kind: scatter, x: A, y: Z, title: t}\n  quick:");
  err = load_error("scatter", text);
  CHECK(err.find("no metric named 'Z'") != std::string::npos);

  text = kGood;
  text.replace(text.find("  rows: group"), 13, "  rowz: group");
  err = load_error("key", text);
  CHECK(err.find("unknown key 'rowz'") != std::string::npos);
  CHECK(err.find("did you mean 'rows'") != std::string::npos);
}

TEST_CASE("taxonomy: the verdicts of a loaded experiment, its cells paired by seed") {
  // The rule itself: tests/test_taxonomy_verdict.cpp.
  const auto x = load_taxonomy_experiment(write_experiment("verdict", kGood));
  auto v = judge_expectations(x, table_with({{"a", {89, 90, 92}}, {"b", {79, 80, 81}}}));
  REQUIRE(v.size() == 2);
  CHECK(v[0].outcome == "held");
  CHECK(v[0].numbers ==
        "a A 90.3 ± 1.5 (n=3) > b A 80.0 ± 1.0 (n=3); paired t over 3 seeds: difference 10.33, "
        "95 % CI [8.90, 11.77] (df 2)");
  CHECK(v[1].outcome == "held");  // a >= 50
  v = judge_expectations(x, table_with({{"a", {39, 40, 41}}, {"b", {79, 80, 81}}}));
  CHECK(v[0].outcome == "did not hold");
  CHECK(v[1].outcome == "did not hold");
}

TEST_CASE("taxonomy: cells and row labels") {
  TaxonomyMetric m;
  m.digits = 2;
  TaxonomyCell c;
  CHECK(format_cell(nullptr, m) == "—");
  c.points = 3;
  CHECK(format_cell(&c, m) == "— (0/3)");
  c.values = {1.0, 3.0};
  CHECK(format_cell(&c, m) == "2.00 ± 1.41 (2/3)");
  c.points = 2;
  CHECK(format_cell(&c, m) == "2.00 ± 1.41");
  CHECK(taxonomy_value_label("{kind: adwin}") == "adwin");
  CHECK(taxonomy_value_label("{kind: page_hinkley, threshold: 25, mode: up}") ==
        "page_hinkley(threshold=25, mode=up)");
  CHECK(taxonomy_value_label("0.1") == "0.1");
}

TEST_CASE("taxonomy: markdown groups experiments by regime, in the survey's order") {
  const auto x = load_taxonomy_experiment(write_experiment("md", kGood));
  TaxonomyResult drift{x, table_with({{"a", {89, 90, 91}}, {"b", {79, 80, 81}}}), {}};
  drift.table.tags = {{"regime", "concept_drift"}};
  drift.verdicts = judge_expectations(x, drift.table);
  TaxonomyResult single = drift;
  single.experiment.id = "E1";
  single.table.tags = {{"regime", "single_change"}};
  const std::string md = taxonomy_markdown({drift, single}, true);
  CHECK(md.find("(quick run)") != std::string::npos);
  const auto s = md.find("## Single change"), d = md.find("## Concept drift");
  REQUIRE(s != std::string::npos);
  REQUIRE(d != std::string::npos);
  CHECK(s < d);
  CHECK(md.find("| learner (group) | A | W |") != std::string::npos);
  CHECK(md.find("| a | 90.0 ± 1.0 | — |") != std::string::npos);
  CHECK(md.find("- **held** — a beats b [I]: a A 90.0 ± 1.0 (n=3) > b A 80.0 ± 1.0 (n=3); paired "
                "t over 3 seeds: difference 10.00, 95 % CI [10.00, 10.00] (no spread)") !=
        std::string::npos);
  CHECK(md.find("paired over the seeds when both cells have one value for each of the same "
                "seeds") != std::string::npos);
}

TEST_CASE("dataset relabel: a drift's label map swaps two classes of the same rows") {
  auto params = [](const std::string& relabel) {
    Params p;
    for (const auto& s : generator_catalog()) {
      if (s.name != "dataset") continue;
      for (const auto& spec : s.params) {
        if (spec.type == ParamSpec::Type::Choice)
          p.strings[spec.name] = spec.choices.front();
        else if (spec.type == ParamSpec::Type::Text)
          p.strings[spec.name] = spec.text_default;
        else
          p.numbers[spec.name] = spec.default_number;
      }
    }
    p.strings["name"] = "digits";
    p.strings["relabel"] = relabel;
    return p;
  };
  auto plain = make_generator("dataset", params(""), 7);
  auto swapped = make_generator("dataset", params("4:6,6:4"), 7);
  std::vector<float> a(64), b(64);
  int fours = 0, sixes = 0;
  for (int i = 0; i < 1797; ++i) {
    const int ya = plain->next(a.data()), yb = swapped->next(b.data());
    REQUIRE(a == b);
    fours += ya == 4;
    sixes += ya == 6;
    CHECK(yb == (ya == 4 ? 6 : ya == 6 ? 4 : ya));
  }
  CHECK(fours > 100);
  CHECK(sixes > 100);
  CHECK_THROWS_WITH_AS(make_generator("dataset", params("4:10"), 7),
                       doctest::Contains("outside 0..9"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(make_generator("dataset", params("4-6"), 7), doctest::Contains("FROM:TO"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(make_generator("dataset", params("4:6,4:5"), 7),
                       doctest::Contains("maps class 4 twice"), std::invalid_argument);
}

TEST_CASE("taxonomy: a table from a gathered results.sqlite — fields, series, sections, nulls") {
  const fs::path dir = fresh_dir("taxonomy-table");
  fs::create_directories(dir);
  const std::string db_path = (dir / "results.sqlite").string();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  const char* sql =
      "CREATE TABLE runs(point INTEGER, status TEXT, \"param.fleet.0.k\" INTEGER, \"param.seed\" "
      "INTEGER, \"taxonomy.regime\" TEXT, \"group.a.accuracy\" REAL, \"group.a.x.y\" REAL, "
      "\"group.b.accuracy\" REAL, \"group.b.x.y\" REAL, \"group.a.calibration.accuracy\" REAL);"
      "INSERT INTO runs VALUES(0,'ok',1,1,'concept_drift',0.5,10,0.7,NULL,0.5);"
      "INSERT INTO runs VALUES(1,'ok',1,2,'concept_drift',0.7,20,0.9,NULL,0.7);"
      "INSERT INTO runs VALUES(2,'ok',3,1,'concept_drift',0.6,30,0.8,5,0.6);"
      "INSERT INTO runs VALUES(3,'failed',3,2,NULL,NULL,NULL,NULL,NULL,NULL);"
      "CREATE TABLE metrics(point INTEGER, time_s REAL, device TEXT, metric TEXT, value REAL);"
      "INSERT INTO metrics VALUES(0,10,'group:a','w',0.2),(0,20,'group:a','w',0.4),"
      "(0,30,'group:a','w',0.9),(0,20,'group:b','w',0.1),(1,20,'group:a','w',0.6),"
      "(2,20,'group:a','w',0.3);"
      "CREATE TABLE events(point INTEGER, time_s REAL, device TEXT, event TEXT, detail TEXT);";
  REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  TaxonomyExperiment x;
  x.id = "T";
  x.file = "T.yaml";
  x.sections = "params";
  x.section_keys = {"fleet.0.k"};
  TaxonomyMetric acc;
  acc.name = "A";
  acc.field = "accuracy";
  acc.scale = 100;
  TaxonomyMetric nested;
  nested.name = "N";
  nested.field = "x.y";
  TaxonomyMetric series;
  series.name = "W";
  series.series = "w";
  series.from_s = 15;
  series.to_s = 30;
  series.reduce = "min";
  x.metrics = {acc, nested, series};
  const TaxonomyTable t = build_taxonomy_table(x, db_path);
  CHECK(t.points == 4);
  CHECK(t.points_ok == 3);
  CHECK(t.tag("regime") == "concept_drift");
  CHECK(t.sections == std::vector<std::string>{"k=1", "k=3"});
  // group.a.calibration.accuracy is a block of group a, not a group "a.calibration".
  CHECK(t.rows == std::vector<std::string>{"a", "b"});
  // k=1, a: accuracy 50 and 70 (×100); x.y 10, 20; series min over [15, 30]: 0.4 and 0.6.
  const TaxonomyCell* a_acc = t.find("k=1", "a", 0);
  REQUIRE(a_acc);
  CHECK(a_acc->values == std::vector<double>{50, 70});
  CHECK(a_acc->seeds == std::vector<long long>{1, 2});  // param.seed of each value's point
  CHECK(a_acc->stddev() == doctest::Approx(14.1421356));
  CHECK(t.find("k=1", "a", 1)->values == std::vector<double>{10, 20});
  CHECK(t.find("k=1", "a", 2)->values == std::vector<double>{0.4, 0.6});
  // b's x.y is NULL on both k=1 points: counted, no value; its series has one point in span.
  CHECK(t.find("k=1", "b", 1)->values.empty());
  CHECK(t.find("k=1", "b", 1)->points == 2);
  CHECK(t.find("k=1", "b", 2)->values == std::vector<double>{0.1});
  CHECK(t.find("k=3", "b", 1)->values == std::vector<double>{5});
  CHECK(t.find("k=1", "b", 1)->seeds.empty());  // no value, no seed
  CHECK(t.find("k=1", "b", 2)->seeds == std::vector<long long>{1});
  // A rows key that is not swept is an error naming it.
  x.rows = "fleet.0.nope";
  CHECK_THROWS_WITH_AS(build_taxonomy_table(x, db_path), doctest::Contains("fleet.0.nope"),
                       std::runtime_error);
}

TEST_CASE("taxonomy: op ~ is read with its tolerance, and needs it") {
  std::string text = kGood;
  text.replace(text.find("      op: \">\"\n"), 14, "      op: \"~\"\n      within: 2\n");
  const auto x = load_taxonomy_experiment(write_experiment("approx", text));
  REQUIRE(x.expectations[0].op == "~");
  // `within` belongs to ~, and ~ needs it.
  std::string bad = kGood;
  bad.replace(bad.find("      op: \">\"\n"), 14, "      op: \"~\"\n");
  CHECK(load_error("approx-missing", bad).find("needs `within`") != std::string::npos);
}
