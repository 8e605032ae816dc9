#pragma once
// The `experiment:` block of a taxonomy sweep file (scenarios/taxonomy/*.yaml,
// docs/TAXONOMY.md): what `tinyfleet reproduce taxonomy` tabulates and checks
// for one experiment of taxonomy.md §2. The rest of the file is a plain sweep
// (scenarios/SWEEPS.md), which `tinyfleet sweep` runs as it is.
//
//   experiment:
//     id: E2
//     title: abrupt real drift (class swap)
//     rows: group                 # one table row per group, or a swept key
//     sections: none              # none | group | a swept key | a list of them
//     metrics:                    # the table's columns, in order
//       - {name: "A", field: accuracy, scale: 100}
//       - {name: "A_w after", series: accuracy_window, from: 100s, to: 200s, reduce: min}
//       - {name: "rounds", fleet_field: federation.rounds, groups: [federated]}
//     expect:
//       - claim: "the hybrid recovers faster than the passive kNN"
//         tag: "[I]"
//         left: {row: hybrid, metric: "recovery (s)"}
//         op: "<"
//         right: {row: passive, metric: "recovery (s)"}   # or a number
//     figures:                    # optional, drawn with gnuplot into report.html
//       - {kind: series, series: accuracy_window, title: "...", scale: 100}
//       - {kind: series, series: energy_window_j, limit: energy_budget_j, title: "..."}
//       - {kind: scatter, x: "false alarms / h", y: "MTD (s)", title: "..."}
//       - {kind: lines, x: "labels", y: "A (%)", split: fleet.0.labels.delay, logx: true, title:
//       "..."}
//       - {kind: rounds, group: federated, title: "..."}
//     quick: {set: {duration: 10m}, seeds: [1, 2]}
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace tinyfleet {

// One column: a number of the group's entry of summary.json (`field`,
// flattened like the gathered `group.<g>.<field>` columns), a number of its
// run-wide blocks (`fleet_field`: `fleet.*`, `federation.*`,
// `fleet_detection.*`, the same in every group's cell unless `groups` names
// the groups it concerns), or a reduction of a metrics.csv series over a
// time span (`series`, in the row's group).
struct TaxonomyMetric {
  std::string name;
  std::string field;                // e.g. "accuracy", "detection.mean_detection_delay_s"
  std::string fleet_field;          // e.g. "federation.rounds", "fleet_detection.false_alarms"
  std::vector<std::string> groups;  // fleet_field: only these groups' cells (empty: all)
  std::string series;               // e.g. "accuracy_window"
  double from_s = 0, to_s = 0;
  std::string reduce = "mean";  // series: mean | min | max | last
  double scale = 1;             // shown value = value × scale
  int digits = 3;               // decimals shown
};

struct TaxonomyOperand {
  std::string row, metric, section;  // section empty: the only / first section
  std::optional<double> number;      // a constant instead
};

struct TaxonomyExpectation {
  std::string claim, tag;
  TaxonomyOperand left, right;
  std::string op;     // <, <=, >, >=, ~ (within `within` of each other)
  double within = 0;  // op ~: the tolerance, in the metric's units
};

// A figure of report.html (analysis/taxonomy_figures.hpp): a metrics.csv
// series per row over time (mean over seeds; rows: group only); one point per
// (section, row) at the means of two metric columns (scatter), or those
// points joined into a line per row and `split` value (lines); or per row
// (a swept key) a group's series and the federated rounds' cumulative bytes
// over time (rounds).
struct TaxonomyFigure {
  std::string kind;  // series | scatter | lines | rounds | matrix (docs/TAXONOMY.md)
  std::string title;
  std::string series;             // series, rounds (default accuracy_window)
  std::string limit;              // series: a bound on it, drawn dashed (E9: energy_budget_j)
  double scale = 1;               // series, rounds (and the limit)
  std::string x, y;               // scatter, lines: metric names
  std::string split;              // lines: a section key whose values make separate lines
  bool logx = false;              // scatter, lines
  std::string group;              // rounds: the group whose series is drawn (empty: the fleet's)
  std::vector<std::string> rows;  // scatter, rounds: draw only these rows (empty: every row)
};

struct TaxonomyExperiment {
  std::string file, id, title;
  std::string rows = "group";
  std::string sections = "none";          // none | group | params (then section_keys)
  std::vector<std::string> section_keys;  // swept keys, for sections: params
  std::vector<TaxonomyMetric> metrics;
  std::vector<TaxonomyExpectation> expectations;
  std::vector<TaxonomyFigure> figures;
  // --quick: values set on the base scenario (dotted sweep paths) and seeds.
  std::vector<std::pair<std::string, YAML::Node>> quick_set;
  std::vector<uint64_t> quick_seeds;
  YAML::Mark quick_mark;
};

// Reads the `experiment:` block of a sweep file. Throws ScenarioError
// ("E2.yaml:12:9: experiment.metrics[1]: ...") on a malformed block.
TaxonomyExperiment load_taxonomy_experiment(const std::string& sweep_file);

}  // namespace tinyfleet
