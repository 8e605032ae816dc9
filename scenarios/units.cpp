#include "scenarios/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace tinyfleet {
namespace {

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// from_chars rejects a leading '+', which people write ("+5").
std::string_view without_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  return text;
}

struct NumberAndRest {
  double number = 0;
  std::string_view rest;  // the unit, trimmed
};

// Splits "1.5h" into 1.5 and "h". nullopt when the text does not start with a number.
std::optional<NumberAndRest> split_leading_number(std::string_view text) {
  text = without_plus(trim(text));
  double value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || !std::isfinite(value)) return std::nullopt;
  return NumberAndRest{value, trim(std::string_view(stop, end - stop))};
}

std::optional<double> seconds_per_unit(std::string_view unit) {
  static constexpr std::array<std::pair<std::string_view, double>, 7> kUnits = {
      {{"", 1}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"min", 60}, {"h", 3600}, {"d", 86400}}};
  for (const auto& [name, seconds] : kUnits)
    if (unit == name) return seconds;
  return std::nullopt;
}

[[noreturn]] void reject(const std::string& expected, const std::string& text) {
  throw std::invalid_argument("expected " + expected + ", got '" + text + "'");
}

const char* const kDurationHint = "a duration like '90s', '2h' or a number of seconds";
const char* const kRateHint = "a rate like '1/s', '10/min', '5Hz' or a number of Hz";

// The denominator of "N/unit" or "N/30s": a unit alone means one of it.
std::optional<double> rate_period_seconds(std::string_view denominator) {
  denominator = trim(denominator);
  if (auto unit = seconds_per_unit(denominator); unit && !denominator.empty()) return *unit;
  auto period = split_leading_number(denominator);
  if (!period || period->rest.empty()) return std::nullopt;  // "1/30" has no unit: ambiguous
  auto unit = seconds_per_unit(period->rest);
  if (!unit) return std::nullopt;
  return period->number * *unit;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  auto parsed = split_leading_number(text);
  if (!parsed || !parsed->rest.empty()) return std::nullopt;
  return parsed->number;
}

std::optional<long long> parse_integer(std::string_view text) {
  text = without_plus(trim(text));
  long long value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

std::string format_number(double value) {
  // Whole numbers read better in full ("1000000" rather than the shorter "1e+06").
  if (std::trunc(value) == value && std::fabs(value) < 1e15)
    return std::to_string(static_cast<long long>(value));
  std::array<char, 32> buffer{};
  auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (error != std::errc()) return "?";
  return std::string(buffer.data(), end);
}

double parse_duration(const std::string& text) {
  auto parsed = split_leading_number(text);
  if (!parsed) reject(kDurationHint, text);
  auto unit = seconds_per_unit(parsed->rest);
  if (!unit) reject(kDurationHint, text);
  return parsed->number * *unit;
}

double parse_rate(const std::string& text) {
  auto parsed = split_leading_number(text);
  if (!parsed) reject(kRateHint, text);
  std::string_view rest = parsed->rest;
  if (rest.empty() || rest == "Hz" || rest == "hz") return parsed->number;
  if (rest.front() != '/') reject(kRateHint, text);
  auto period = rate_period_seconds(rest.substr(1));
  if (!period || *period <= 0) reject(kRateHint, text);
  return parsed->number / *period;
}

}  // namespace tinyfleet
