#include "analysis/report_csv.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tinyfleet {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

void for_each_csv_row(
    const std::string& path, const std::vector<std::string>& header,
    const std::function<void(const std::vector<std::string>&, std::size_t)>& row) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ReportInputError(path + ": cannot open file");
  std::string line;
  std::size_t line_no = 0;
  auto expected_header = [&] {
    std::string h;
    for (const auto& col : header) h += (h.empty() ? "" : ",") + col;
    return h;
  };
  if (!std::getline(in, line) || split_csv_line(line) != header)
    throw ReportInputError(path + ":1: expected the header '" + expected_header() + "'");
  line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    const auto fields = split_csv_line(line);
    if (fields.size() != header.size())
      throw ReportInputError(path + ":" + std::to_string(line_no) + ": expected " +
                             std::to_string(header.size()) + " fields, got " +
                             std::to_string(fields.size()));
    row(fields, line_no);
  }
  if (in.bad()) throw ReportInputError(path + ": read error");
}

double parse_csv_number(const std::string& field, const std::string& path, std::size_t line) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(field.c_str(), &end);
  if (field.empty() || end != field.c_str() + field.size() || !std::isfinite(v) || errno == ERANGE)
    throw ReportInputError(path + ":" + std::to_string(line) + ": not a finite number: '" + field +
                           "'");
  return v;
}

std::map<std::string, std::string> parse_key_values(const std::string& detail) {
  std::map<std::string, std::string> out;
  std::istringstream words(detail);
  std::string word;
  while (words >> word) {
    const auto eq = word.find('=');
    if (eq != std::string::npos && eq > 0) out[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return out;
}

}  // namespace tinyfleet
