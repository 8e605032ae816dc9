#pragma once
// Numbers, durations and rates as a scenario writes them ("90s", "1.5h",
// "10/min", "5Hz"). Strict: the whole text must be consumed.
#include <optional>
#include <string>
#include <string_view>

namespace tinyfleet {

// Seconds. Units ms, s, m|min, h, d; a plain number is seconds. Negative values
// parse (callers check ranges, so they can say which range). Throws
// std::invalid_argument whose what() says what was expected and what was given.
double parse_duration(const std::string& text);

// Events per second. "N/s", "N/min", "N/h" (any duration unit, also "1/30s"),
// "NHz", or a plain number of Hz. Throws std::invalid_argument like parse_duration.
double parse_rate(const std::string& text);

// A finite decimal number (optional sign, fraction, exponent); nullopt otherwise.
std::optional<double> parse_number(std::string_view text);
// A decimal integer that fits in long long; nullopt otherwise ("3.0" is not one).
std::optional<long long> parse_integer(std::string_view text);

// Shortest text that reads back as `value` ("64", "0.1", "1e+06").
std::string format_number(double value);

}  // namespace tinyfleet
