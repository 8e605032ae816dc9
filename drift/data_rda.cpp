#include "drift/data_rda.hpp"

#include <lzma.h>
#include <rdata.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "drift/data_text.hpp"

namespace tinyfleet {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  data_fail(path, what);
}

// Whole .xz stream (or several concatenated) decompressed in memory.
std::vector<uint8_t> unxz(const std::vector<uint8_t>& in, const std::string& path) {
  lzma_stream s = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&s, std::numeric_limits<uint64_t>::max(), LZMA_CONCATENATED) != LZMA_OK)
    fail(path, "liblzma: cannot start the xz decoder");
  std::vector<uint8_t> out;
  uint8_t chunk[1 << 16];
  s.next_in = in.data();
  s.avail_in = in.size();
  lzma_ret rc = LZMA_OK;
  while (rc == LZMA_OK) {
    s.next_out = chunk;
    s.avail_out = sizeof chunk;
    rc = lzma_code(&s, LZMA_FINISH);
    out.insert(out.end(), chunk, chunk + (sizeof chunk - s.avail_out));
  }
  lzma_end(&s);
  if (rc != LZMA_STREAM_END) fail(path, "truncated or corrupt xz data");
  return out;
}

// librdata reads through these handlers from a buffer in memory.
struct MemoryFile {
  const std::vector<uint8_t>* bytes = nullptr;
  std::size_t pos = 0;
};

int mem_open(const char*, void*) {
  return 0;
}
int mem_close(void*) {
  return 0;
}
rdata_off_t mem_seek(rdata_off_t offset, rdata_io_flags_t whence, void* ctx) {
  auto* f = static_cast<MemoryFile*>(ctx);
  const auto size = static_cast<rdata_off_t>(f->bytes->size());
  const rdata_off_t base = whence == RDATA_SEEK_SET   ? 0
                           : whence == RDATA_SEEK_CUR ? static_cast<rdata_off_t>(f->pos)
                                                      : size;
  const rdata_off_t to = base + offset;
  if (to < 0 || to > size) return -1;
  f->pos = static_cast<std::size_t>(to);
  return to;
}
ssize_t mem_read(void* buf, size_t n, void* ctx) {
  auto* f = static_cast<MemoryFile*>(ctx);
  const std::size_t k = std::min(n, f->bytes->size() - f->pos);
  std::memcpy(buf, f->bytes->data() + f->pos, k);
  f->pos += k;
  return static_cast<ssize_t>(k);
}
rdata_error_t mem_update(long, rdata_progress_handler, void*, void*) {
  return RDATA_OK;
}

// What the parse collects: the first table's columns only.
struct Collector {
  int tables = 0;
  std::vector<RColumn> columns;
  std::vector<std::string> pending_levels;  // a factor's levels, reported before its codes
  std::string error;
};

int on_table(const char*, void* ctx) {
  auto* c = static_cast<Collector*>(ctx);
  ++c->tables;
  return c->tables > 1 ? 1 : 0;  // stop after the first data frame
}

int on_column(const char* name, rdata_type_t type, void* data, long count, void* ctx) {
  auto* c = static_cast<Collector*>(ctx);
  RColumn col;
  if (name) col.name = name;
  if (!c->pending_levels.empty()) {
    col.factor = true;
    col.levels = std::move(c->pending_levels);
    c->pending_levels.clear();
  }
  col.values.resize(static_cast<std::size_t>(count));
  for (long i = 0; i < count; ++i) {
    double v = 0;
    switch (type) {
      case RDATA_TYPE_REAL:
      case RDATA_TYPE_TIMESTAMP:
      case RDATA_TYPE_DATE:
        v = static_cast<const double*>(data)[i];
        break;
      case RDATA_TYPE_INT32:
      case RDATA_TYPE_LOGICAL:
        v = static_cast<const int32_t*>(data)[i];
        break;
      default:
        c->error = "column '" + col.name + "' is text, which tinyfleet cannot use as a feature";
        return 1;
    }
    col.values[static_cast<std::size_t>(i)] = v;
  }
  c->columns.push_back(std::move(col));
  return 0;
}

// librdata reports a factor's levels just before the column of its codes.
int on_value_label(const char* value, int index, void* ctx) {
  auto* c = static_cast<Collector*>(ctx);
  auto& levels = c->pending_levels;
  if (levels.size() <= static_cast<std::size_t>(index))
    levels.resize(static_cast<std::size_t>(index) + 1);
  levels[static_cast<std::size_t>(index)] = value ? value : "";
  return 0;
}

int on_column_name(const char* value, int index, void* ctx) {
  auto* c = static_cast<Collector*>(ctx);
  if (index >= 0 && static_cast<std::size_t>(index) < c->columns.size() && value)
    c->columns[static_cast<std::size_t>(index)].name = value;
  return 0;
}

}  // namespace

std::vector<RColumn> read_rda_table(const std::string& path) {
  std::vector<uint8_t> bytes = read_file_maybe_gz(path);
  static const uint8_t kXzMagic[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};
  if (bytes.size() >= 6 && std::equal(kXzMagic, kXzMagic + 6, bytes.begin()))
    bytes = unxz(bytes, path);
  MemoryFile file{&bytes, 0};
  Collector collected;
  rdata_parser_t* parser = rdata_parser_init();
  if (!parser) fail(path, "librdata: out of memory");
  rdata_set_open_handler(parser, mem_open);
  rdata_set_close_handler(parser, mem_close);
  rdata_set_seek_handler(parser, mem_seek);
  rdata_set_read_handler(parser, mem_read);
  rdata_set_update_handler(parser, mem_update);
  rdata_set_io_ctx(parser, &file);
  rdata_set_table_handler(parser, on_table);
  rdata_set_column_handler(parser, on_column);
  rdata_set_column_name_handler(parser, on_column_name);
  rdata_set_value_label_handler(parser, on_value_label);
  const rdata_error_t rc = rdata_parse(parser, path.c_str(), &collected);
  rdata_parser_free(parser);
  if (!collected.error.empty()) fail(path, collected.error);
  // Stopping after the first table is reported as a user abort: not an error.
  if (rc != RDATA_OK && !(rc == RDATA_ERROR_USER_ABORT && collected.tables > 1))
    fail(path, std::string("librdata: ") + rdata_error_message(rc));
  if (collected.columns.empty()) fail(path, "no data frame in the file");
  for (const RColumn& col : collected.columns)
    if (col.values.size() != collected.columns.front().values.size())
      fail(path, "column '" + col.name + "' has " + std::to_string(col.values.size()) +
                     " rows, column '" + collected.columns.front().name + "' " +
                     std::to_string(collected.columns.front().values.size()));
  for (RColumn& col : collected.columns) {
    if (!col.factor) continue;
    for (double& v : col.values) {  // R codes are 1-based; NA is INT32_MIN
      if (v < 1 || v > static_cast<double>(col.levels.size()))
        fail(path, "column '" + col.name + "': factor code outside its levels (missing value?)");
      v -= 1;
    }
  }
  return collected.columns;
}

Dataset rda_dataset(const std::string& path, const std::string& label, const std::string& group,
                    const std::string& group_name) {
  const std::vector<RColumn> cols = read_rda_table(path);
  auto find = [&](const std::string& name) -> const RColumn& {
    for (const RColumn& c : cols)
      if (c.name == name) return c;
    fail(path, "no column named '" + name + "'");
  };
  const RColumn& y = find(label);
  if (!y.factor) fail(path, "label column '" + label + "' is not a factor");
  Dataset ds;
  ds.n = static_cast<int>(y.values.size());
  ds.classes = static_cast<int>(y.levels.size());
  ds.class_names = y.levels;
  for (double v : y.values) ds.y.push_back(static_cast<int>(v));
  const RColumn* g = group.empty() ? nullptr : &find(group);
  if (g) {
    ds.group_column = group_name;
    int maxg = -1;
    for (double v : g->values) {
      // A numeric group column (not a factor) must hold whole numbers from 0 or 1 on.
      const int code = static_cast<int>(v);
      if (code != v || code < 0) fail(path, "group column '" + group + "' is not a code");
      ds.group.push_back(code);
      maxg = std::max(maxg, code);
    }
    ds.groups = maxg + 1;
  }
  std::vector<const RColumn*> features;
  for (const RColumn& c : cols)
    if (&c != &y && &c != g) features.push_back(&c);
  ds.d = static_cast<int>(features.size());
  if (ds.d == 0) fail(path, "no feature columns");
  ds.x.resize(static_cast<std::size_t>(ds.n) * static_cast<std::size_t>(ds.d));
  ds.lo.assign(static_cast<std::size_t>(ds.d), std::numeric_limits<float>::max());
  ds.hi.assign(static_cast<std::size_t>(ds.d), std::numeric_limits<float>::lowest());
  for (int j = 0; j < ds.d; ++j)
    for (int i = 0; i < ds.n; ++i) {
      const float v = static_cast<float>(features[static_cast<std::size_t>(j)]->values[i]);
      if (!std::isfinite(v)) fail(path, "column '" + features[j]->name + "': missing value");
      ds.x[static_cast<std::size_t>(i) * ds.d + j] = v;
      ds.lo[j] = std::min(ds.lo[j], v);
      ds.hi[j] = std::max(ds.hi[j], v);
    }
  return ds;
}

}  // namespace tinyfleet
