#pragma once
// Radio link presets: what one message costs on air. Figures and sources in
// link_preset.cpp (../shared/reference/mcu.md §3.3).
#include <string>
#include <string_view>
#include <vector>

namespace tinyfleet {

struct LinkPreset {
  std::string name;
  double bandwidth_bps = 0;  // PHY rate used for airtime (LoRa: effective payload rate)
  double latency_s = 0;      // one-way propagation + stack latency
  int header_bytes = 0;      // framing added to the payload of every frame
  double wakeup_s = 0;       // per-message overhead: radio ramp-up, connection event, ...
  int mtu_bytes = 0;       // most payload one frame carries (0: no limit); larger messages fragment
  double frame_gap_s = 0;  // per-frame overhead of every frame after the first (IFS, ACK)
  int lora_sf = 0;         // > 0: each frame's airtime from Semtech's LoRa formula at this SF
  double duty_cycle = 0;   // > 0: regulatory share of time a device may be on air (EU868 1 %)
  std::string source;

  // Frames a message of `payload` bytes is cut into (at least one).
  int frames(double payload) const;
  // Bytes on air for `payload`: the payload plus every frame's header.
  double framed_bytes(double payload) const { return payload + frames(payload) * header_bytes; }
  // Airtime of one message with `payload` bytes, all its frames.
  double airtime_s(double payload) const;
  // Silence the duty cycle imposes after `airtime` on air (0 without a duty cycle).
  double quiet_after_s(double airtime) const {
    return duty_cycle > 0 ? airtime * (1.0 / duty_cycle - 1.0) : 0.0;
  }
};

// Semtech's LoRa time on air of one frame with `phy_payload` bytes (SX1276
// datasheet §4.1.1.7): 125 kHz, coding rate 4/5, explicit header, CRC on,
// 8-symbol preamble, low-data-rate optimisation at SF11/SF12.
double lora_frame_airtime_s(int sf, int phy_payload);

const std::vector<LinkPreset>& link_presets();
const LinkPreset* find_link_preset(std::string_view name);
// One listing line for the CLI: name, kbps, latency, header bytes, wakeup, MTU, duty cycle.
std::string describe_link_preset(const LinkPreset& l);

}  // namespace tinyfleet
