#include "analysis/prediction_log.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <unordered_map>

namespace tinyfleet {
namespace {

constexpr int kMaxIntegerLabel = 65535;

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Splits one CSV line; false if a quoted field is not closed.
bool split_csv(const std::string& line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"' && trim(field).empty()) {
      quoted = was_quoted = true;
      field.clear();
    } else if (c == ',') {
      fields.push_back(was_quoted ? field : trim(field));
      field.clear();
      was_quoted = false;
    } else {
      field += c;
    }
  }
  if (quoted) return false;
  fields.push_back(was_quoted ? field : trim(field));
  return true;
}

bool canonical_integer(const std::string& s, int& out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size() && out >= 0 &&
         out <= kMaxIntegerLabel;
}

}  // namespace

PredictionLog read_prediction_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PredictionLogError(path + ": cannot open file");
  auto fail = [&path](uint64_t line, const std::string& what) {
    return PredictionLogError(path + ":" + std::to_string(line) + ": " + what);
  };

  std::string line;
  std::vector<std::string> fields;
  uint64_t line_no = 0;
  std::vector<std::string> header;
  while (header.empty() && std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    if (!split_csv(line, header)) throw fail(line_no, "unterminated quoted field");
  }
  if (header.empty()) throw PredictionLogError(path + ": empty file (no header)");
  const uint64_t header_line = line_no;
  int col_true = -1, col_pred = -1, col_alarm = -1, col_drift = -1, col_conf = -1;
  for (std::size_t i = 0; i < header.size(); ++i) {
    int* slot = header[i] == "y_true"       ? &col_true
                : header[i] == "y_pred"     ? &col_pred
                : header[i] == "alarm"      ? &col_alarm
                : header[i] == "drift"      ? &col_drift
                : header[i] == "confidence" ? &col_conf
                                            : nullptr;
    if (!slot) continue;
    if (*slot >= 0) throw fail(header_line, "column '" + header[i] + "' appears twice");
    *slot = static_cast<int>(i);
  }
  if (col_true < 0 || col_pred < 0)
    throw fail(header_line,
               std::string("header lacks a '") + (col_true < 0 ? "y_true" : "y_pred") + "' column");

  PredictionLog log;
  log.has_alarm_column = col_alarm >= 0;
  log.has_drift_column = col_drift >= 0;
  log.has_confidence = col_conf >= 0;
  std::vector<std::string> true_text, pred_text;
  auto flag = [&](int col, uint64_t row, std::vector<uint64_t>& out) {
    const std::string& v = fields[static_cast<std::size_t>(col)];
    if (v == "1")
      out.push_back(row);
    else if (v != "0")
      throw fail(line_no, "column '" + header[static_cast<std::size_t>(col)] +
                              "' must be 0 or 1, got '" + v + "'");
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    if (!split_csv(line, fields)) throw fail(line_no, "unterminated quoted field");
    if (fields.size() != header.size())
      throw fail(line_no, "expected " + std::to_string(header.size()) + " fields, got " +
                              std::to_string(fields.size()));
    const std::string& t = fields[static_cast<std::size_t>(col_true)];
    const std::string& p = fields[static_cast<std::size_t>(col_pred)];
    if (t.empty()) throw fail(line_no, "empty y_true");
    if (p.empty()) throw fail(line_no, "empty y_pred");
    const uint64_t row = true_text.size();
    if (col_alarm >= 0) flag(col_alarm, row, log.alarms);
    if (col_drift >= 0) flag(col_drift, row, log.drifts);
    if (col_conf >= 0) {
      const std::string& v = fields[static_cast<std::size_t>(col_conf)];
      double c = -1;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), c);
      if (ec != std::errc() || end != v.data() + v.size() || !(c >= 0 && c <= 1))
        throw fail(line_no, "column 'confidence' must be a number in [0, 1], got '" + v + "'");
      log.confidence.push_back(c);
    }
    true_text.push_back(t);
    pred_text.push_back(p);
  }
  if (in.bad()) throw PredictionLogError(path + ": read error");
  if (true_text.empty()) throw PredictionLogError(path + ": no rows after the header");

  const std::size_t n = true_text.size();
  log.y_true.resize(n);
  log.y_pred.resize(n);
  for (std::size_t i = 0; i < n && log.integer_labels; ++i)
    log.integer_labels = canonical_integer(true_text[i], log.y_true[i]) &&
                         canonical_integer(pred_text[i], log.y_pred[i]);
  if (log.integer_labels) {
    int top = 0;
    for (std::size_t i = 0; i < n; ++i) top = std::max({top, log.y_true[i], log.y_pred[i]});
    for (int k = 0; k <= top; ++k) log.class_names.push_back(std::to_string(k));
    return log;
  }
  std::unordered_map<std::string, int> ids;
  auto id_of = [&](const std::string& text) {
    const auto [it, added] = ids.emplace(text, static_cast<int>(log.class_names.size()));
    if (added) log.class_names.push_back(text);
    return it->second;
  };
  for (std::size_t i = 0; i < n; ++i) {
    log.y_true[i] = id_of(true_text[i]);
    log.y_pred[i] = id_of(pred_text[i]);
  }
  return log;
}

}  // namespace tinyfleet
