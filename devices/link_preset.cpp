#include "devices/link_preset.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tinyfleet {

int LinkPreset::frames(double payload) const {
  if (mtu_bytes <= 0 || payload <= mtu_bytes) return 1;
  return static_cast<int>(std::ceil(payload / mtu_bytes));
}

double LinkPreset::airtime_s(double payload) const {
  const int n = frames(payload);
  if (lora_sf > 0) {
    // Every frame is its own uplink with its own preamble; the last carries the remainder.
    const double full = mtu_bytes > 0 ? std::min(payload, static_cast<double>(mtu_bytes)) : payload;
    const double last = payload - full * (n - 1);
    const auto phy = [this](double p) { return static_cast<int>(std::ceil(p)) + header_bytes; };
    return (n - 1) * lora_frame_airtime_s(lora_sf, phy(full)) +
           lora_frame_airtime_s(lora_sf, phy(last));
  }
  return wakeup_s + (n - 1) * frame_gap_s + framed_bytes(payload) * 8.0 / bandwidth_bps;
}

double lora_frame_airtime_s(int sf, int phy_payload) {
  constexpr double kBandwidthHz = 125e3;
  constexpr int kPreambleSymbols = 8, kCodingRate = 1;  // CR 4/5
  const int low_rate = sf >= 11 ? 1 : 0;                // mandatory above 16 ms symbols at 125 kHz
  const double symbol_s = std::ldexp(1.0, sf) / kBandwidthHz;
  const double numerator = 8.0 * phy_payload - 4.0 * sf + 28 + 16;  // CRC on, explicit header
  const double payload_symbols =
      8 + std::max(std::ceil(numerator / (4.0 * (sf - 2 * low_rate))) * (kCodingRate + 4), 0.0);
  return (kPreambleSymbols + 4.25 + payload_symbols) * symbol_s;
}

namespace {
// A LoRa preset at spreading factor `sf` (EU868, 125 kHz, CR 4/5).
LinkPreset lora(int sf, int mtu) {
  const int low_rate = sf >= 11 ? 1 : 0;
  const double rate = 0.8 * (sf - 2 * low_rate) * 125e3 / std::ldexp(1.0, sf);
  return {"lora_sf" + std::to_string(sf),
          rate,
          10e-3,
          13,
          0.0,
          mtu,
          0.0,
          sf,
          0.01,
          "mcu.md §3.3: LoRa SF" + std::to_string(sf) +
              "/125 kHz, CR 4/5 (SF7 ≈5.5 kbps … SF12 ≈0.29 kbps; 20 B on air ≈57 ms at SF7, "
              "≈1.3 s at SF12 [derived]). Airtime per frame from Semtech's formula (SX1276 "
              "datasheet §4.1.1.7: 8-symbol preamble, explicit header, CRC, low-data-rate "
              "optimisation at SF11/12); the listed rate is the formula's payload rate, used "
              "for SimGrid's link. header 13 B = LoRaWAN MHDR 1 + FHDR 7 + FPort 1 + MIC 4. MTU = "
              "LoRaWAN EU868 maximum application payload at this data rate (222/222/115/51/51/51 "
              "B for SF7…SF12, LoRaWAN Regional Parameters) [unverified]; longer messages go as "
              "several uplinks. duty cycle 1 % (EU868 g1 sub-band): after T on air a device "
              "stays silent for 99·T. latency 10 ms = gateway forwarding [unverified]. Class-A "
              "receive windows after each uplink are not modelled"};
}
}  // namespace

// Figures from ../shared/reference/mcu.md §3.3 plus the protocol constants named in each
// source. `header_bytes` is framing sent with every frame; `wakeup_s` is on-air or
// radio-on time per message that does not scale with the payload (ramp-up, preamble,
// turnaround, acknowledgement), `frame_gap_s` the same for each further frame of a long
// message. All are billed at radio power by the caller.
const std::vector<LinkPreset>& link_presets() {
  static const std::vector<LinkPreset> presets = {
      {"ble", 1e6, 7.5e-3, 17, 0.4e-3, 244, 0.38e-3, 0, 0,
       "mcu.md §3.3: BLE 1M PHY, 1 Mbps. latency 7.5 ms = mean wait for the next connection "
       "event at a 15 ms interval (interval chosen) [derived]. header 17 B = preamble 1 + "
       "access address 4 + LL header 2 + CRC 3 + L2CAP 4 + ATT 3, unencrypted. MTU 244 B = "
       "the 251 B LL payload of the data length extension − L2CAP 4 − ATT 3; longer messages go "
       "as several packets in the connection event. wakeup 0.4 ms = radio ramp-up ≈140 µs + "
       "T_IFS 150 µs + peer's empty PDU 80 µs [unverified]; each further packet 0.38 ms = "
       "2 T_IFS + the peer's empty PDU [derived]. A 64 B message then costs ≈30 nJ/bit at "
       "14.4 mW, inside mcu.md's 25–50 nJ/bit effective range"},
      {"ieee802154", 250e3, 1.12e-3, 17, 0.864e-3, 116, 0.864e-3, 0, 0,
       "mcu.md §3.3: IEEE 802.15.4 2.4 GHz O-QPSK, 250 kbps (16 µs symbols). latency 1.12 ms = "
       "mean initial CSMA-CA backoff (macMinBE 3: 0–7 × 320 µs) [derived]. header 17 B = "
       "SHR+PHR 6 + MAC header 9 (short addresses, PAN ID compression) + FCS 2 [derived]; "
       "6LoWPAN/UDP not included. MTU 116 B = aMaxPHYPacketSize 127 − MAC header 9 − FCS 2. "
       "wakeup (and each further frame) 0.864 ms = CCA 128 µs + 2 × turnaround 192 µs + "
       "11 B ACK 352 µs (IEEE 802.15.4 timing constants) [unverified]"},
      lora(7, 222),
      lora(8, 222),
      lora(9, 115),
      lora(10, 51),
      lora(11, 51),
      lora(12, 51),
      {"wifi", 20e6, 2e-3, 66, 0.3, 1472, 0.15e-3, 0, 0,
       "mcu.md §3.3: Wi-Fi 802.11n (ESP32 class), 20–65 Mbps PHY: 20 Mbps chosen for an MCU at "
       "typical indoor signal (as in mcu.md §3.5's seed). latency 2 ms to the access point "
       "[unverified]. header 66 B = 802.11 MAC 24 + QoS 2 + LLC/SNAP 8 + IPv4 20 + UDP 8 + FCS "
       "4 [derived]. MTU 1472 B = Ethernet-sized IP MTU 1500 − IPv4 20 − UDP 8. wakeup 0.3 s = "
       "re-association + DHCP after sleep: mcu.md's ≈0.3–1.5 J per wake at ≈1 W TX, low end "
       "[unverified]; each further frame 0.15 ms = DIFS + mean backoff + SIFS + ACK "
       "[unverified]. A device that keeps the association pays far less per message but draws "
       "beacon-listening current instead"},
  };
  return presets;
}

const LinkPreset* find_link_preset(std::string_view name) {
  for (const auto& l : link_presets())
    if (l.name == name) return &l;
  return nullptr;
}

std::string describe_link_preset(const LinkPreset& l) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "%-12s %9.2f kbps  latency %7.2f ms  header %3d B  wakeup %8.3f ms  MTU %4d B",
                l.name.c_str(), l.bandwidth_bps / 1e3, l.latency_s * 1e3, l.header_bytes,
                l.wakeup_s * 1e3, l.mtu_bytes);
  std::string line = buf;
  if (l.lora_sf > 0) line += "  (Semtech airtime)";
  if (l.duty_cycle > 0) {
    std::snprintf(buf, sizeof buf, "  duty cycle %g %%", l.duty_cycle * 100);
    line += buf;
  }
  return line;
}

}  // namespace tinyfleet
