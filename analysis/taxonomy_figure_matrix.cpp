#include "analysis/taxonomy_figure_matrix.hpp"

#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

namespace tinyfleet {
namespace {

// Sum and count of one cell of R over the points.
struct Mean {
  double sum = 0;
  int n = 0;
};
using Matrix = std::map<std::pair<int, int>, Mean>;

// "group.<row>.continual.accuracy_matrix.<i>.<j>" (sim/sweep_gather.cpp's
// flattening of summary.json) → row, i, j.
bool parse_column(const std::string& c, std::string& row, int& i, int& j) {
  const std::string pre = "group.", mid = ".continual.accuracy_matrix.";
  if (c.rfind(pre, 0) != 0) return false;
  const auto at = c.find(mid);
  if (at == std::string::npos) return false;
  row = c.substr(pre.size(), at - pre.size());
  return std::sscanf(c.c_str() + at + mid.size(), "%d.%d", &i, &j) == 2;
}

std::map<std::string, Matrix> read_matrices(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error(path + ": cannot open");
  }
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> own(db, sqlite3_close);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT * FROM runs ORDER BY point", -1, &raw, nullptr) != SQLITE_OK)
    throw std::runtime_error(path + ": " + sqlite3_errmsg(db));
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> s(raw, sqlite3_finalize);
  struct Column {
    int index;
    std::string row;
    int i, j;
  };
  std::vector<Column> columns;
  for (int c = 0; c < sqlite3_column_count(raw); ++c) {
    Column col{c, "", 0, 0};
    if (parse_column(sqlite3_column_name(raw, c), col.row, col.i, col.j)) columns.push_back(col);
  }
  std::map<std::string, Matrix> out;
  while (sqlite3_step(raw) == SQLITE_ROW)
    for (const auto& c : columns) {
      if (sqlite3_column_type(raw, c.index) == SQLITE_NULL) continue;
      Mean& m = out[c.row][{c.i, c.j}];
      m.sum += sqlite3_column_double(raw, c.index);
      m.n += 1;
    }
  return out;
}

}  // namespace

std::optional<Figure> matrix_figure(const TaxonomyFigure& f, const TaxonomyTable& t,
                                    const std::string& results_sqlite, std::string& why_not) {
  const auto matrices = read_matrices(results_sqlite);
  std::vector<std::string> rows;  // table order
  for (const auto& r : t.rows)
    if (matrices.count(r)) rows.push_back(r);
  if (rows.empty()) {
    why_not = "no group has continual.accuracy_matrix (the stream has no tasks)";
    return std::nullopt;
  }
  const int panels = static_cast<int>(rows.size());
  const int cols = std::min(panels, 4), lines = (panels + cols - 1) / cols;
  Figure fig;
  fig.title = f.title;
  fig.caption =
      "Accuracy (%) on the probe set of task j (column) after training on tasks 0..i (row), mean "
      "over the points (seeds); below the diagonal: what is kept of old tasks.";
  fig.width = 300 * cols + 100;
  fig.height = 290 * lines + 60;
  std::string plots;
  for (std::size_t p = 0; p < rows.size(); ++p) {
    const Matrix& m = matrices.at(rows[p]);
    int n = 0;
    for (const auto& [ij, v] : m) n = std::max({n, ij.first + 1, ij.second + 1});
    const std::string name = "$r" + std::to_string(p);
    fig.data += name + " << EOD\n";
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        const auto it = m.find({i, j});
        const bool known = it != m.end() && it->second.n > 0;
        fig.data += std::to_string(j) + " " + std::to_string(i) + " " +
                    (known ? gp_num(100.0 * it->second.sum / it->second.n) : "NaN") + "\n";
      }
    fig.data += "EOD\n";
    const std::string range = "[-0.5:" + gp_num(n - 0.5) + "]";
    plots += "set title " + gp_string(rows[p]) + "\n";
    plots += "set xrange " + range + "\nset yrange [" + gp_num(n - 0.5) + ":-0.5]\n";
    plots += "plot " + name + " using 1:2:3 with image notitle, " + name +
             " using 1:2:(sprintf('%.0f', $3)) with labels font ',8' notitle\n";
  }
  std::string& b = fig.body;
  b += "set cbrange [0:100]\nset palette defined (0 '#ffffff', 50 '#9ecae1', 100 '#08519c')\n";
  b += "set xlabel 'task j'\nset ylabel 'after task i'\nset xtics 1\nset ytics 1\n";
  b += "unset colorbox\n";  // the values are printed in the cells
  b += "set multiplot layout " + std::to_string(lines) + "," + std::to_string(cols) + "\n";
  b += plots + "unset multiplot\n";
  return fig;
}

}  // namespace tinyfleet
