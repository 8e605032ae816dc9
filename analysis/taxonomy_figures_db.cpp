#include "analysis/taxonomy_figures_db.hpp"

#include <algorithm>
#include <stdexcept>

namespace tinyfleet {

TaxonomyDb::TaxonomyDb(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error(path + ": cannot open");
  }
}

TaxonomyDb::~TaxonomyDb() {
  sqlite3_close(db);
}

TaxonomyStmt TaxonomyDb::prepare(const std::string& sql) const {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("results.sqlite: ") + sqlite3_errmsg(db));
  return TaxonomyStmt(s, sqlite3_finalize);
}

std::optional<double> TaxonomyDb::first_drift_mean_s() const {
  auto d = prepare(
      "SELECT AVG(first) FROM (SELECT MIN(time_s) AS first FROM events WHERE event = 'drift' "
      "GROUP BY point)");
  if (sqlite3_step(d.get()) != SQLITE_ROW || sqlite3_column_type(d.get(), 0) == SQLITE_NULL)
    return std::nullopt;
  return sqlite3_column_double(d.get(), 0);
}

std::string gp_label(std::string s) {
  std::replace(s.begin(), s.end(), '"', '\'');
  return "\"" + s + "\"";
}

}  // namespace tinyfleet
