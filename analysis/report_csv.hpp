#pragma once
// Reading the CSV files of a run directory as analysis/writers.cpp writes them
// (comma-separated, RFC 4180 double quotes where a field needs them), and the
// `key=value key=value` details of events.
#include <cstddef>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinyfleet {

// A run directory or one of its files is missing or malformed (exit code 2).
struct ReportInputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<std::string> split_csv_line(const std::string& line);

// Calls `row(fields, line_number)` for every data row of `path` (1-based line
// numbers, the header is line 1). Throws ReportInputError if the file cannot
// be opened, its header differs from `header`, or a row has another number of
// fields.
void for_each_csv_row(const std::string& path, const std::vector<std::string>& header,
                      const std::function<void(const std::vector<std::string>&, std::size_t)>& row);

// A finite number spanning the whole field, else ReportInputError "PATH:LINE: ...".
double parse_csv_number(const std::string& field, const std::string& path, std::size_t line);

// "session=1 round=2 bytes_up=30" → {session: "1", round: "2", bytes_up: "30"};
// words without '=' are skipped.
std::map<std::string, std::string> parse_key_values(const std::string& detail);

}  // namespace tinyfleet
