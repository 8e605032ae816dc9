#include "devices/link_preset.hpp"

#include <cstdio>

namespace tinyfleet {

// Figures from ../shared/reference/mcu.md §3.3 plus the protocol constants named in each
// source. `header_bytes` is framing sent with every message; `wakeup_s` is on-air or
// radio-on time per message that does not scale with the payload (ramp-up, preamble,
// turnaround, acknowledgement). Both are billed at radio power by the caller.
const std::vector<LinkPreset>& link_presets() {
  static const std::vector<LinkPreset> presets = {
      {"ble", 1e6, 7.5e-3, 17, 0.4e-3,
       "mcu.md §3.3: BLE 1M PHY, 1 Mbps. latency 7.5 ms = mean wait for the next connection "
       "event at a 15 ms interval (interval chosen) [derived]. header 17 B = preamble 1 + "
       "access address 4 + LL header 2 + CRC 3 + L2CAP 4 + ATT 3, unencrypted, one packet per "
       "message (payloads > 244 B would need more packets; not modelled). wakeup 0.4 ms = radio "
       "ramp-up ≈140 µs + T_IFS 150 µs + peer's empty PDU 80 µs [unverified]; a 64 B message "
       "then costs ≈30 nJ/bit at 14.4 mW, inside mcu.md's 25–50 nJ/bit effective range"},
      {"ieee802154", 250e3, 1.12e-3, 17, 0.864e-3,
       "mcu.md §3.3: IEEE 802.15.4 2.4 GHz O-QPSK, 250 kbps (16 µs symbols). latency 1.12 ms = "
       "mean initial CSMA-CA backoff (macMinBE 3: 0–7 × 320 µs) [derived]. header 17 B = "
       "SHR+PHR 6 + MAC header 9 (short addresses, PAN ID compression) + FCS 2 [derived]; "
       "6LoWPAN/UDP not included. wakeup 0.864 ms = CCA 128 µs + 2 × turnaround 192 µs + "
       "11 B ACK 352 µs (IEEE 802.15.4 timing constants) [unverified]"},
      {"lora_sf7", 5468.75, 10e-3, 15, 23.3e-3,
       "mcu.md §3.3: LoRa SF7/125 kHz, CR 4/5: 7 × 125e3 / 2^7 × 4/5 = 5468.75 bps (≈5.5 kbps). "
       "header 15 B = LoRaWAN MHDR+FHDR+FPort+MIC 13 + PHY CRC 2; wakeup 23.3 ms = preamble "
       "12.25 symbols + the 8 fixed header symbols + 2.5 symbols mean padding, at 1.024 ms per "
       "symbol (Semtech airtime formula, linearised) [derived]: a 20 B PHY payload gives 55.5 ms "
       "vs mcu.md's ≈57 ms. latency 10 ms = gateway forwarding [unverified]. The EU868 1 % duty "
       "cycle is not enforced here"},
      {"wifi", 20e6, 2e-3, 66, 0.3,
       "mcu.md §3.3: Wi-Fi 802.11n (ESP32 class), 20–65 Mbps PHY: 20 Mbps chosen for an MCU at "
       "typical indoor signal (as in mcu.md §3.5's seed). latency 2 ms to the access point "
       "[unverified]. header 66 B = 802.11 MAC 24 + QoS 2 + LLC/SNAP 8 + IPv4 20 + UDP 8 + FCS "
       "4 [derived]. wakeup 0.3 s = re-association + DHCP after sleep: mcu.md's ≈0.3–1.5 J per "
       "wake at ≈1 W TX, low end [unverified]; a device that keeps the association pays far "
       "less per message but draws beacon-listening current instead"},
  };
  return presets;
}

const LinkPreset* find_link_preset(std::string_view name) {
  for (const auto& l : link_presets())
    if (l.name == name) return &l;
  return nullptr;
}

std::string describe_link_preset(const LinkPreset& l) {
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "%-12s %9.2f kbps  latency %7.2f ms  header %3d B  wakeup %8.3f ms", l.name.c_str(),
                l.bandwidth_bps / 1e3, l.latency_s * 1e3, l.header_bytes, l.wakeup_s * 1e3);
  return buf;
}

}  // namespace tinyfleet
