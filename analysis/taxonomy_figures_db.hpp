#pragma once
// What the taxonomy figure builders share (analysis/taxonomy_figures*.cpp):
// a read-only handle on an experiment's results.sqlite and gnuplot label
// quoting. Internal to those files.
#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>

namespace tinyfleet {

using TaxonomyStmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

struct TaxonomyDb {
  sqlite3* db = nullptr;
  explicit TaxonomyDb(const std::string& path);
  ~TaxonomyDb();
  TaxonomyDb(const TaxonomyDb&) = delete;
  TaxonomyDb& operator=(const TaxonomyDb&) = delete;
  TaxonomyStmt prepare(const std::string& sql) const;
  // The mean over the points of each point's first drift event; none without drifts.
  std::optional<double> first_drift_mean_s() const;
};

// A datablock row's label, quoted for gnuplot's `using ...:3` (no quotes inside).
std::string gp_label(std::string s);

}  // namespace tinyfleet
