#pragma once
// Small text helpers shared by the data set readers (drift/dataset.cpp, drift/data_*.cpp).
#include <string>
#include <vector>

#include "drift/dataset.hpp"

namespace tinyfleet {

// Without surrounding blanks and one pair of surrounding double quotes.
std::string trim_cell(const std::string& s);
// One CSV line's cells (commas inside double quotes do not split), each trimmed.
std::vector<std::string> split_data_csv_line(const std::string& line);
// Whole text as a finite float; false otherwise.
bool parse_finite(const std::string& s, float& out);
// Sets ds.lo/ds.hi to each feature's min and max over ds.x.
void fill_ranges(Dataset& ds);
// Throws DatasetError("path: what").
[[noreturn]] void data_fail(const std::string& path, const std::string& what);

}  // namespace tinyfleet
