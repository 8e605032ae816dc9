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

std::string gp_label(std::string s) {
  std::replace(s.begin(), s.end(), '"', '\'');
  return "\"" + s + "\"";
}

}  // namespace tinyfleet
