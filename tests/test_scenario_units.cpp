// Durations, rates and typo suggestions used by the scenario loader.
#include <doctest/doctest.h>

#include <stdexcept>

#include "scenarios/suggest.hpp"
#include "scenarios/units.hpp"

using namespace tinyfleet;

TEST_CASE("parse_duration accepts every unit and plain seconds") {
  CHECK(parse_duration("90s") == 90);
  CHECK(parse_duration("1.5h") == 5400);
  CHECK(parse_duration("20m") == 1200);
  CHECK(parse_duration("20min") == 1200);
  CHECK(parse_duration("500ms") == doctest::Approx(0.5));
  CHECK(parse_duration("2d") == 172800);
  CHECK(parse_duration("42") == 42);
  CHECK(parse_duration("0.25") == 0.25);
  CHECK(parse_duration(" 3 h ") == 10800);
  CHECK(parse_duration("-5s") == -5);  // format is fine; ranges are the caller's
}

TEST_CASE("parse_duration rejects malformed text with a message saying what it expected") {
  for (const char* bad : {"two hours", "", "h", "5 hours", "5x", "1e999s", "inf", "nan", "5s5"})
    CHECK_THROWS_AS(parse_duration(bad), std::invalid_argument);
  CHECK_THROWS_WITH(parse_duration("two hours"),
                    "expected a duration like '90s', '2h' or a number of seconds, got 'two hours'");
}

TEST_CASE("parse_rate accepts per-unit, Hz and plain numbers") {
  CHECK(parse_rate("1/s") == 1);
  CHECK(parse_rate("2/s") == 2);
  CHECK(parse_rate("10/min") == doctest::Approx(10.0 / 60));
  CHECK(parse_rate("1/h") == doctest::Approx(1.0 / 3600));
  CHECK(parse_rate("5Hz") == 5);
  CHECK(parse_rate("0.5") == 0.5);
  CHECK(parse_rate("1/30s") == doctest::Approx(1.0 / 30));
  CHECK(parse_rate("100/ms") == doctest::Approx(100000));
}

TEST_CASE("parse_rate rejects malformed text") {
  for (const char* bad : {"fast", "1/", "1/x", "1/30", "1/0s", "5 kHz", "/s", "1//s"})
    CHECK_THROWS_AS(parse_rate(bad), std::invalid_argument);
  CHECK_THROWS_WITH(parse_rate("fast"),
                    "expected a rate like '1/s', '10/min', '5Hz' or a number of Hz, got 'fast'");
}

TEST_CASE("parse_integer and parse_number are strict") {
  CHECK(parse_integer("12") == 12);
  CHECK(parse_integer("+3") == 3);
  CHECK(parse_integer("-3") == -3);
  CHECK_FALSE(parse_integer("3.0"));
  CHECK_FALSE(parse_integer("many"));
  CHECK_FALSE(parse_integer(""));
  CHECK(parse_number("1e-3") == 0.001);
  CHECK_FALSE(parse_number("0.1.2"));
  CHECK_FALSE(parse_number(".inf"));
}

TEST_CASE("format_number prints whole numbers in full and fractions shortest") {
  CHECK(format_number(1000000) == "1000000");
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(-2) == "-2");
}

TEST_CASE("edit_distance counts a swap of neighbours as one edit") {
  CHECK(edit_distance("budjet", "budget") == 1);
  CHECK(edit_distance("nrf52480", "nrf52840") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("closest_match suggests only likely typos") {
  const std::vector<std::string> keys = {"kind", "k", "budget", "detector"};
  CHECK(closest_match("budjet", keys) == "budget");
  CHECK(closest_match("detecter", keys) == "detector");
  CHECK(closest_match("KIND", keys) == "kind");
  CHECK_FALSE(closest_match("xyz", keys));
  CHECK_FALSE(closest_match("threshold", keys));
  CHECK(closest_match("nrf52480", {"esp32s3", "nrf52840", "stm32f401re"}) == "nrf52840");
}

TEST_CASE("join_names shortens long lists") {
  CHECK(join_names({"a", "b", "c"}) == "a, b, c");
  CHECK(join_names({"a", "b", "c"}, 2) == "a, b, ...");
  CHECK(join_names({}) == "");
}
