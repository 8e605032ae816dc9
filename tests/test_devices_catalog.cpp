// Board catalog files, link presets and the device cost/energy/memory/battery ledgers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "devices/battery.hpp"
#include "devices/cost_model.hpp"
#include "devices/energy_ledger.hpp"
#include "devices/link_preset.hpp"
#include "devices/memory_ledger.hpp"
#include "devices/profile.hpp"

using namespace tinyfleet;
namespace fs = std::filesystem;

namespace {

const fs::path kBoardDir = fs::path(TINYFLEET_SOURCE_DIR) / "devices" / "boards";

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> board_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kBoardDir))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

Profile load_board(const std::string& stem) {
  return parse_board(slurp(kBoardDir / (stem + ".yaml")), "devices/boards/" + stem + ".yaml");
}

// Every numeric field of the schema, as named in Profile::sources.
std::vector<std::string> numeric_fields() {
  std::vector<std::string> f = {"clock_hz",           "ram_bytes",   "flash_bytes",
                                "ram_reserved_bytes", "battery_mah", "battery_v"};
  for (auto op : kOpNames) f.push_back("cycles." + std::string(op));
  for (auto s : {"active", "idle", "sleep", "radio_tx", "radio_rx"})
    f.push_back("power_w." + std::string(s));
  return f;
}

bool near_rel(double a, double b, double rel) {
  return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

}  // namespace

TEST_CASE("every shipped board file parses and its name matches the file") {
  const auto files = board_files();
  REQUIRE(files.size() >= 4);
  std::vector<std::string> names;
  for (const auto& path : files) {
    CAPTURE(path.string());
    const Profile p = parse_board(slurp(path), path.string());
    CHECK(p.name == path.stem().string());
    CHECK_FALSE(p.board.empty());
    CHECK_FALSE(p.core.empty());
    names.push_back(p.name);
  }
  for (auto required : {"nrf52840", "stm32f401re", "stm32l476rg", "esp32s3"})
    CHECK(std::find(names.begin(), names.end(), required) != names.end());
}

TEST_CASE("every numeric field of every board has a tagged source") {
  for (const auto& path : board_files()) {
    const Profile p = parse_board(slurp(path), path.string());
    CHECK(p.sources.size() == numeric_fields().size());
    for (const auto& field : numeric_fields()) {
      CAPTURE(path.stem().string());
      CAPTURE(field);
      auto it = std::find_if(p.sources.begin(), p.sources.end(),
                             [&](const auto& s) { return s.first == field; });
      REQUIRE(it != p.sources.end());
      // Each source states how sure it is, with mcu.md's status tags.
      const std::string& src = it->second;
      CHECK((src.find("[doc") != std::string::npos || src.find("[derived") != std::string::npos ||
             src.find("[unverified") != std::string::npos));
    }
  }
}

TEST_CASE("board figures are physically sane") {
  for (const auto& path : board_files()) {
    const Profile p = parse_board(slurp(path), path.string());
    CAPTURE(p.name);
    CHECK(p.power.sleep < p.power.idle);
    CHECK(p.power.idle < p.power.active);
    CHECK(p.power.radio_tx >= p.power.radio_rx);
    CHECK(p.power.sleep < 1e-2);  // sleep keeps only RAM and an RTC: at most mW
    CHECK(p.clock_hz >= 1e6);
    CHECK(p.clock_hz <= 1e9);
    for (std::size_t i = 0; i < kOpClasses; ++i) {
      CHECK(p.cycles_per_op[i] >= 0.1);
      CHECK(p.cycles_per_op[i] <= 100);
    }
    CHECK(p.cycles_per_op[static_cast<std::size_t>(Op::Add)] <=
          p.cycles_per_op[static_cast<std::size_t>(Op::Div)]);
    CHECK(p.ram_reserved_bytes < p.ram_bytes);
    CHECK(p.ram_bytes % 1024 == 0);
    CHECK(p.flash_bytes >= p.ram_bytes);
    CHECK(p.battery_joules() > 100);
    CHECK(p.battery_joules() < 1e5);
  }
  const Profile nrf = load_board("nrf52840");
  CHECK(nrf.clock_hz == 64e6);
  CHECK(nrf.cycles_per_op[static_cast<std::size_t>(Op::Int8Mac)] == 2);  // 1 / 0.5 MAC/cycle
  CHECK(nrf.battery_joules() == doctest::Approx(225 * 3.6 * 3.0));       // CR2032
}

TEST_CASE("board_catalog holds every board file, sorted, and find_board finds them") {
  const auto& catalog = board_catalog();
  std::vector<std::string> on_disk;
  for (const auto& path : board_files()) on_disk.push_back(path.stem().string());
  std::vector<std::string> names;
  for (const auto& p : catalog) names.push_back(p.name);
  CHECK(names == on_disk);
  CHECK(std::is_sorted(names.begin(), names.end()));
  REQUIRE(find_board("nrf52840") != nullptr);
  CHECK(find_board("nrf52840")->clock_hz == 64e6);
  CHECK(find_board("nrf52841") == nullptr);
}

TEST_CASE("describe_board prints the catalog line") {
  const std::string line = describe_board(load_board("nrf52840"));
  CHECK(line.rfind("nrf52840", 0) == 0);
  for (auto part : {"Arduino Nano 33 BLE Sense", "cortex-m4f", "64 MHz", "RAM   256 KiB",
                    "flash   1024 KiB", "9.90 mW", "4.50 µW", "225 mAh @ 3.0 V"}) {
    CAPTURE(part);
    CHECK(line.find(part) != std::string::npos);
  }
}

namespace {

// A small valid board; the error tests break one piece of it at a time.
const std::string kGood = R"(name: test_board
board: Test board
core: cortex-m4f
clock_hz: {value: 1e6, source: "s [doc]"}
cycles:
  int8_mac: {value: 2, source: s}
  int32_mac: {value: 1, source: s}
  fp32_mac: {value: 4, source: s}
  add: {value: 1, source: s}
  compare: {value: 2, source: s}
  div: {value: 12, source: s}
  load: {value: 2, source: s}
  store: {value: 1, source: s}
  popcount: {value: 12, source: s}
power_w:
  active: {value: 1e-2, source: s}
  idle: {value: 1e-3, source: s}
  sleep: {value: 1e-6, source: s}
  radio_tx: {value: 0, source: "no radio"}
  radio_rx: {value: 0, source: "no radio"}
ram_bytes: {value: 65536, source: s}
flash_bytes: {value: 262144, source: s}
ram_reserved_bytes: {value: 16384, source: s}
battery_mah: {value: 225, source: s}
battery_v: {value: 3.0, source: s}
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// "LINE:COL" (1-based) of the first occurrence of `needle` in `text`.
std::string line_col(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  const auto line = std::count(text.begin(), text.begin() + at, '\n') + 1;
  const auto line_start = text.rfind('\n', at);
  const auto col = at - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
  return std::to_string(line) + ":" + std::to_string(col);
}

std::string error_of(const std::string& text) {
  try {
    parse_board(text, "bad.yaml");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("the minimal test board parses, radio power may be zero") {
  const Profile p = parse_board(kGood, "good.yaml");
  CHECK(p.power.radio_tx == 0);
  CHECK(p.ram_bytes == 65536);
  CHECK(p.sources.front() == std::pair<std::string, std::string>{"clock_hz", "s [doc]"});
}

TEST_CASE("a bad board names the file, line and column") {
  SUBCASE("misspelt key") {
    const auto bad = replaced(kGood, "clock_hz:", "clok_hz:");
    CHECK(error_of(bad).rfind("bad.yaml:" + line_col(bad, "clok_hz") + ": unknown key 'clok_hz'",
                              0) == 0);
  }
  SUBCASE("missing op class") {
    const auto bad = replaced(kGood, "  popcount: {value: 12, source: s}\n", "");
    CHECK(error_of(bad) ==
          "bad.yaml:" + line_col(bad, "int8_mac") + ": missing 'popcount' in cycles");
  }
  SUBCASE("missing source") {
    const auto bad = replaced(kGood, "{value: 3.0, source: s}", "{value: 3.0}");
    CHECK(error_of(bad) ==
          "bad.yaml:" + line_col(bad, "{value: 3.0}") + ": missing 'source' in battery_v");
  }
  SUBCASE("empty source") {
    const auto bad = replaced(kGood, "{value: 225, source: s}", "{value: 225, source: \"\"}");
    CHECK(error_of(bad) ==
          "bad.yaml:" + line_col(bad, "\"\"") + ": battery_mah.source must be a non-empty string");
  }
  SUBCASE("negative power") {
    const auto bad = replaced(kGood, "{value: 1e-6", "{value: -1e-6");
    CHECK(error_of(bad) == "bad.yaml:" + line_col(bad, "-1e-6") + ": power_w.sleep must be > 0");
  }
  SUBCASE("zero cycles") {
    const auto bad = replaced(kGood, "div: {value: 12", "div: {value: 0");
    CHECK(error_of(bad) ==
          "bad.yaml:" + line_col(bad, "0, source: s}\n  load") + ": cycles.div must be > 0");
  }
  SUBCASE("not a number") {
    const auto bad = replaced(kGood, "{value: 1e6,", "{value: fast,");
    CHECK(error_of(bad) ==
          "bad.yaml:" + line_col(bad, "fast") + ": clock_hz.value must be a finite number");
  }
  SUBCASE("fractional bytes") {
    const auto bad = replaced(kGood, "{value: 65536,", "{value: 65536.5,");
    CHECK(error_of(bad) ==
          "bad.yaml:" + line_col(bad, "65536.5") + ": ram_bytes must be a whole number of bytes");
  }
  SUBCASE("reserve larger than RAM") {
    const auto bad = replaced(kGood, "{value: 16384,", "{value: 65536,");
    CHECK(error_of(bad) == "bad.yaml:" + line_col(bad, "65536, source: s}\nbattery") +
                               ": ram_reserved_bytes must be below ram_bytes (65536)");
  }
  SUBCASE("bare number without a source") {
    const auto bad = replaced(kGood, "{value: 225, source: s}", "225");
    CHECK(error_of(bad) == "bad.yaml:" + line_col(bad, "225") +
                               ": battery_mah must be {value: NUMBER, source: \"...\"}");
  }
  SUBCASE("bad catalog name") {
    const auto bad = replaced(kGood, "name: test_board", "name: Test-Board");
    CHECK(error_of(bad).rfind("bad.yaml:1:7: name 'Test-Board'", 0) == 0);
  }
  SUBCASE("YAML syntax error") {
    const auto bad = replaced(kGood, "board: Test board", "board: [Test board");
    CHECK(error_of(bad).rfind("bad.yaml:", 0) == 0);
    CHECK(error_of(bad).find("(no error)") == std::string::npos);
  }
  SUBCASE("not a map") {
    CHECK(error_of("- 1\n- 2\n") == "bad.yaml:1:1: a board file must be a map");
  }
  SUBCASE("empty text") {
    CHECK(error_of("") == "bad.yaml:1:1: a board file must be a map");
  }
}

TEST_CASE("CostModel turns op counts into cycles, seconds and joules") {
  Profile p;
  p.clock_hz = 64e6;
  p.cycles_per_op = {2, 1, 4, 1, 2, 12, 2, 1, 12};
  p.power.active = 9.9e-3;
  OpCounter ops;
  ops.add(Op::Int8Mac, 1000);
  ops.add(Op::Div, 10);
  ops.add(Op::Load, 100);
  ops.add(Op::Popcount);
  const CostModel cm(p);
  CHECK(cm.cycles(ops) == 1000 * 2 + 10 * 12 + 100 * 2 + 12);
  CHECK(cm.seconds(ops) == doctest::Approx(2332 / 64e6).epsilon(1e-12));
  CHECK(cm.active_joules(cm.seconds(ops)) == doctest::Approx(2332 / 64e6 * 9.9e-3));
  CHECK(cm.cycles(OpCounter{}) == 0);
  // The shipped nRF52840 figures: 1 M int8 MACs at 0.5 MAC/cycle take 2 M cycles = 31.25 ms.
  const Profile nrf = load_board("nrf52840");
  OpCounter macs;
  macs.add(Op::Int8Mac, 1'000'000);
  CHECK(CostModel(nrf).seconds(macs) == doctest::Approx(0.03125));
}

TEST_CASE("EnergyLedger: states and categories add up to the same total") {
  const Profile p = load_board("nrf52840");
  EnergyLedger ledger(p.power);
  for (int i = 0; i < 100; ++i) {
    ledger.compute(EnergyCategory::Sense, 1e-4 * (i % 7 + 1));
    ledger.compute(EnergyCategory::Infer, 3e-3);
    if (i % 10 == 0) ledger.compute(EnergyCategory::Learn, 0.02);
    if (i % 25 == 0) ledger.compute(EnergyCategory::Detect, 1e-3);
    if (i % 5 == 0) ledger.transmit(1.05e-3);
    if (i % 50 == 0) ledger.receive(0.7e-3);
    ledger.sleep(0.97 + 0.001 * i);
  }
  double by_state = 0;
  for (std::size_t s = 0; s < kPowerStates; ++s)
    by_state += ledger.seconds_in(PowerState(s)) * ledger.power_of(PowerState(s));
  double by_category = 0;
  for (std::size_t c = 0; c < kEnergyCategories; ++c)
    by_category += ledger.joules_in(EnergyCategory(c));
  CHECK(ledger.total_joules() > 0);
  CHECK(near_rel(ledger.total_joules(), by_state, 1e-12));
  CHECK(near_rel(ledger.total_joules(), by_category, 1e-12));

  // Radio time is billed as radio power plus the CPU idling meanwhile.
  EnergyLedger radio(p.power);
  radio.transmit(2e-3);
  radio.receive(1e-3);
  CHECK(radio.seconds_in(PowerState::Idle) == doctest::Approx(3e-3));
  CHECK(radio.joules_in(EnergyCategory::Radio) ==
        doctest::Approx(2e-3 * (p.power.radio_tx + p.power.idle) +
                        1e-3 * (p.power.radio_rx + p.power.idle)));
  CHECK(radio.joules_in(EnergyCategory::Sleep) == 0);
}

TEST_CASE("MemoryLedger tracks current, peak and budget") {
  MemoryLedger m(1000);
  m.set("model", 600);
  m.set("buffer", 300);
  CHECK(m.total() == 900);
  CHECK_FALSE(m.over_budget());
  m.set("buffer", 500);
  CHECK(m.total() == 1100);
  CHECK(m.over_budget());
  m.set("model", 100);
  CHECK(m.total() == 600);
  CHECK(m.peak() == 1100);
  CHECK_FALSE(m.over_budget());
  CHECK(m.items().size() == 2);
  CHECK(m.items()[0] == std::pair<std::string, uint64_t>{"model", 100});
  MemoryLedger exact(10);
  exact.set("x", 10);
  CHECK_FALSE(exact.over_budget());  // a full budget is not a breach
}

TEST_CASE("Battery drains linearly from the cell's nominal energy") {
  const Battery b(load_board("nrf52840").battery_joules());
  CHECK(b.capacity() == doctest::Approx(2430));
  CHECK(b.remaining(430) == doctest::Approx(2000));
  CHECK(b.fraction_left(1215) == doctest::Approx(0.5));
  CHECK_FALSE(b.depleted(2429.9));
  CHECK(b.depleted(2430));
  CHECK(b.remaining(5000) == 0);
  CHECK(b.fraction_left(5000) == 0);
  CHECK(Battery(0).fraction_left(0) == 0);
}

TEST_CASE("link presets: the four radios, their sources and airtimes") {
  for (auto name : {"ble", "ieee802154", "wifi", "lora_sf7", "lora_sf8", "lora_sf9", "lora_sf10",
                    "lora_sf11", "lora_sf12"}) {
    CAPTURE(name);
    const LinkPreset* l = find_link_preset(name);
    REQUIRE(l != nullptr);
    CHECK(l->bandwidth_bps > 0);
    CHECK(l->latency_s >= 0);
    CHECK(l->header_bytes > 0);
    CHECK(l->wakeup_s >= 0);
    CHECK(l->source.find("mcu.md §3.3") != std::string::npos);
    CHECK(l->airtime_s(100) > l->airtime_s(10));
    CHECK(describe_link_preset(*l).rfind(name, 0) == 0);
  }
  CHECK(find_link_preset("zigbee") == nullptr);
  CHECK(find_link_preset("lora_sf13") == nullptr);
  // BLE: 0.4 ms overhead + (64 + 17) B at 1 Mbps.
  CHECK(find_link_preset("ble")->airtime_s(64) == doctest::Approx(0.4e-3 + 81 * 8 / 1e6));
  // mcu.md §3.3: a 20 B LoRa PHY payload is ≈57 ms on air at SF7 and ≈1.3 s at SF12; our
  // header is the 13 B of LoRaWAN framing, so 7 B of application data fills those 20 B.
  CHECK(find_link_preset("lora_sf7")->airtime_s(7) == doctest::Approx(0.057).epsilon(0.02));
  CHECK(find_link_preset("lora_sf12")->airtime_s(7) == doctest::Approx(1.3).epsilon(0.02));
  // Semtech's formula by hand (SX1276 §4.1.1.7), SF9, 20 B: ceil((160 − 36 + 44) / 36) = 5
  // groups of 5 symbols + 8 = 33 payload symbols, + 12.25 preamble, × 4.096 ms.
  CHECK(lora_frame_airtime_s(9, 20) == doctest::Approx(45.25 * 4.096e-3));
  // Each SF step roughly doubles the airtime.
  for (int sf = 8; sf <= 12; ++sf)
    CHECK(lora_frame_airtime_s(sf, 20) > 1.6 * lora_frame_airtime_s(sf - 1, 20));
  // EU868: 1 % duty cycle, 99 × the airtime of silence after a transmission.
  const LinkPreset& sf12 = *find_link_preset("lora_sf12");
  CHECK(sf12.duty_cycle == 0.01);
  CHECK(sf12.quiet_after_s(1.0) == doctest::Approx(99.0));
  CHECK(find_link_preset("ble")->quiet_after_s(1.0) == 0);
  // Fragmentation: 600 B over BLE is three packets (244 + 244 + 112), each with its
  // 17 B header; the two extra packets pay 0.38 ms each.
  const LinkPreset& ble = *find_link_preset("ble");
  CHECK(ble.frames(244) == 1);
  CHECK(ble.frames(245) == 2);
  CHECK(ble.frames(600) == 3);
  CHECK(ble.framed_bytes(600) == 600 + 3 * 17);
  CHECK(ble.airtime_s(600) == doctest::Approx(0.4e-3 + 2 * 0.38e-3 + 651 * 8 / 1e6));
  // LoRa SF12 carries 51 B per uplink: 100 B are two uplinks of 51 and 49 B.
  CHECK(sf12.frames(100) == 2);
  CHECK(sf12.airtime_s(100) ==
        doctest::Approx(lora_frame_airtime_s(12, 64) + lora_frame_airtime_s(12, 62)));
  // Faster PHYs move a 1 kB payload sooner once the per-message overhead is paid.
  CHECK(find_link_preset("wifi")->airtime_s(1000) - find_link_preset("wifi")->airtime_s(0) <
        find_link_preset("ble")->airtime_s(1000) - find_link_preset("ble")->airtime_s(0));
}
