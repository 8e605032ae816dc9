#pragma once
// Readers of the real data sets' own file formats (docs/DATASETS.md; shapes and
// sources: /work/shared/reference/taxonomy.md §4). Each throws DatasetError
// naming the file and what is wrong. The .rda reader is in drift/data_rda.hpp.
#include <string>
#include <vector>

#include "drift/dataset.hpp"

namespace tinyfleet {

// scikit-learn's digits.csv(.gz): no header, 64 integer pixels in 0..16 then
// the digit, one row per image (1797 rows, 10 classes).
Dataset read_digits_csv(const std::string& path);

// vega-datasets' seattle-weather.csv: header date,precipitation,temp_max,
// temp_min,wind,weather; one row per day in date order. Features: the four
// numeric columns; classes: the weather names sorted (drizzle, fog, rain, snow,
// sun). time_ordered; change_rows holds the label-source switch measured in
// taxonomy.md §4 (see kSeattleSwitchRow).
Dataset read_seattle_weather(const std::string& path);
// 0-based row of the first day after the last day labelled the old way
// (2013-03-30 is row 454; from row 459, 2013-04-04, wet days are labelled fog
// or sun): the change is taken to start at row 455.
constexpr int kSeattleSwitchRow = 455;

// FANN training-data text: "n n_in n_out", then per sample a line of n_in
// numbers and a line of n_out numbers (one-hot: the class is the index of
// the largest output).
Dataset read_fann(const std::string& path);

// Rows of `b` appended to `a` (same features and classes; ranges widened).
Dataset concat_datasets(Dataset a, const Dataset& b);

// statsmodels' nile.csv: header year,volume; returns the volumes in year order.
std::vector<double> read_nile_series(const std::string& path);

}  // namespace tinyfleet
