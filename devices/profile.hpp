#pragma once
// A board's cost and power profile, loaded from the catalog (devices/boards/*.yaml,
// embedded in the binary). Every figure carries its source in the YAML file.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "devices/op_counter.hpp"

namespace tinyfleet {

struct PowerW {
  double active = 0;    // CPU running from flash, peripherals off
  double idle = 0;      // CPU idle, clocks on (e.g. waiting for the radio)
  double sleep = 0;     // deepest sleep that keeps RAM and an RTC
  double radio_tx = 0;  // radio transmitting (in addition to the CPU state)
  double radio_rx = 0;  // radio receiving (in addition to the CPU state)
};

struct Profile {
  std::string name;   // catalog key, e.g. "nrf52840"
  std::string board;  // human name, e.g. "Arduino Nano 33 BLE Sense (nRF52840)"
  std::string core;   // e.g. "cortex-m4f"
  double clock_hz = 0;
  std::array<double, kOpClasses> cycles_per_op{};  // cycles for one op of each class
  PowerW power;
  uint64_t ram_bytes = 0;
  uint64_t flash_bytes = 0;
  uint64_t ram_reserved_bytes = 0;  // firmware, stack, drivers: not available to learning
  double battery_mah = 0;
  double battery_v = 0;
  double battery_joules() const { return battery_mah * 3.6 * battery_v; }
  // Where each figure comes from, keyed by its YAML path ("clock_hz", "cycles.int8_mac",
  // "power_w.sleep", ...), in schema order.
  std::vector<std::pair<std::string, std::string>> sources;
};

// The catalog, sorted by name. Throws std::runtime_error naming the file if a board file is bad.
const std::vector<Profile>& board_catalog();
const Profile* find_board(std::string_view name);
// Parses one board YAML text (exposed for tests). `origin` names it in errors.
Profile parse_board(const std::string& yaml_text, const std::string& origin);
// One catalog line for the CLI: name, board, core, MHz, RAM/flash KiB, active mW, sleep µW,
// battery.
std::string describe_board(const Profile& p);

}  // namespace tinyfleet
