#pragma once
// Decodes the 8-bit RGB/RGBA, non-interlaced PNGs that headless Chromium
// writes for --screenshot, so tests can look at the pixels (zlib inflates).
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinyfleet::testing {

struct Rgb {
  int r = 0, g = 0, b = 0;
};

struct Image {
  uint32_t width = 0, height = 0;
  std::vector<Rgb> pixels;  // row-major
  const Rgb& at(uint32_t x, uint32_t y) const { return pixels[std::size_t(y) * width + x]; }
};

inline uint32_t png_u32(const std::string& s, std::size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) |
         (uint32_t(uint8_t(s[at + 2])) << 8) | uint32_t(uint8_t(s[at + 3]));
}

inline int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

inline Image decode_png(const std::string& file) {
  if (file.size() < 8 || file.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0)
    throw std::runtime_error("not a PNG");
  Image img;
  int channels = 0;
  std::string idat;
  for (std::size_t at = 8; at + 8 <= file.size();) {
    const uint32_t len = png_u32(file, at);
    const std::string type = file.substr(at + 4, 4);
    if (at + 12 + len > file.size()) throw std::runtime_error("truncated PNG chunk");
    const std::string data = file.substr(at + 8, len);
    if (type == "IHDR") {
      img.width = png_u32(data, 0);
      img.height = png_u32(data, 4);
      const int depth = uint8_t(data[8]), colour = uint8_t(data[9]), interlace = uint8_t(data[12]);
      channels = colour == 2 ? 3 : colour == 6 ? 4 : 0;
      if (depth != 8 || channels == 0 || interlace != 0)
        throw std::runtime_error("unsupported PNG format");
    } else if (type == "IDAT") {
      idat += data;
    }
    at += 12 + len;
  }
  const std::size_t stride = std::size_t(img.width) * channels;
  std::vector<uint8_t> raw((stride + 1) * img.height);
  uLongf raw_size = raw.size();
  if (uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) !=
          Z_OK ||
      raw_size != raw.size())
    throw std::runtime_error("PNG data does not inflate");
  std::vector<uint8_t> prev(stride, 0), cur(stride);
  img.pixels.resize(std::size_t(img.width) * img.height);
  for (uint32_t y = 0; y < img.height; ++y) {
    const uint8_t* line = raw.data() + y * (stride + 1);
    const int filter = line[0];
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= std::size_t(channels) ? cur[i - channels] : 0, b = prev[i],
                c = i >= std::size_t(channels) ? prev[i - channels] : 0;
      int predictor = 0;
      switch (filter) {
        case 0:
          predictor = 0;
          break;
        case 1:
          predictor = a;
          break;
        case 2:
          predictor = b;
          break;
        case 3:
          predictor = (a + b) / 2;
          break;
        case 4:
          predictor = paeth(a, b, c);
          break;
        default:
          throw std::runtime_error("bad PNG filter");
      }
      cur[i] = uint8_t(line[1 + i] + predictor);
    }
    for (uint32_t x = 0; x < img.width; ++x) {
      const uint8_t* p = cur.data() + std::size_t(x) * channels;
      img.pixels[std::size_t(y) * img.width + x] = {p[0], p[1], p[2]};
    }
    std::swap(prev, cur);
  }
  return img;
}

}  // namespace tinyfleet::testing
