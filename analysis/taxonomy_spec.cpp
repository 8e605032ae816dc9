#include "analysis/taxonomy_spec.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "scenarios/loader.hpp"
#include "scenarios/yaml_reader.hpp"

namespace tinyfleet {

using scenario_yaml::Field;
using scenario_yaml::MapReader;
using scenario_yaml::Reader;

namespace {

// The run-wide blocks of summary.json a `fleet_field` may read (docs/METRICS.md).
constexpr const char* kFleetBlocks[] = {"fleet", "federation", "fleet_detection"};

TaxonomyMetric read_metric(const Reader& reader, const Field& item) {
  MapReader m = MapReader::open(reader, item, "in " + item.path);
  m.allow_only({"name", "field", "fleet_field", "groups", "series", "from", "to", "reduce", "scale",
                "digits"});
  TaxonomyMetric t;
  t.name = scenario_yaml::read_nonempty_string(reader, m.require("name", "the column title"));
  const auto field = m.find("field");
  const auto fleet_field = m.find("fleet_field");
  const auto series = m.find("series");
  if (int(bool(field)) + int(bool(fleet_field)) + int(bool(series)) != 1)
    reader.fail_at(item.value, item.path +
                                   ": give exactly one of 'field' (a number of the group in "
                                   "summary.json), 'fleet_field' (a number of its fleet, "
                                   "federation or fleet_detection block) or 'series' (a "
                                   "metrics.csv series)");
  if (field) t.field = scenario_yaml::read_nonempty_string(reader, *field);
  if (fleet_field) {
    t.fleet_field = scenario_yaml::read_nonempty_string(reader, *fleet_field);
    const std::string block = t.fleet_field.substr(0, t.fleet_field.find('.'));
    bool known = false;
    for (const char* b : kFleetBlocks) known = known || block == b;
    if (!known || block.size() + 1 >= t.fleet_field.size())
      reader.fail_at_value(*fleet_field, fleet_field->path + ": '" + t.fleet_field +
                                             "' is not BLOCK.KEY with BLOCK fleet, federation or "
                                             "fleet_detection (e.g. federation.rounds)");
    if (auto g = m.find("groups")) {
      for (const Field& name : scenario_yaml::list_items(reader, *g, "group names"))
        t.groups.push_back(scenario_yaml::read_nonempty_string(reader, name));
      if (t.groups.empty()) reader.fail_at_value(*g, g->path + ": empty list");
    }
  } else if (auto g = m.find("groups")) {
    reader.fail_at_key(*g, g->path + ": only for a 'fleet_field' metric");
  }
  if (series) {
    t.series = scenario_yaml::read_nonempty_string(reader, *series);
    t.from_s = scenario_yaml::read_duration(reader, m.require("from", "start of the span"));
    const Field to = m.require("to", "end of the span");
    t.to_s = scenario_yaml::read_duration(reader, to);
    if (t.to_s < t.from_s) reader.fail_at_value(to, to.path + ": 'to' is before 'from'");
    if (auto r = m.find("reduce"))
      t.reduce = scenario_yaml::read_choice(reader, *r, {"mean", "min", "max", "last"});
  } else {
    for (const char* k : {"from", "to", "reduce"})
      if (auto f = m.find(k)) reader.fail_at_key(*f, f->path + ": only for a 'series' metric");
  }
  if (auto s = m.find("scale")) t.scale = scenario_yaml::read_real(reader, *s, -1e12, 1e12);
  if (auto d = m.find("digits"))
    t.digits = static_cast<int>(scenario_yaml::read_int(reader, *d, 0, 9));
  return t;
}

TaxonomyOperand read_operand(const Reader& reader, const Field& f,
                             const std::set<std::string>& metrics) {
  TaxonomyOperand o;
  if (f.value.IsScalar()) {
    o.number = scenario_yaml::read_real(reader, f, -1e300, 1e300);
    return o;
  }
  MapReader m = MapReader::open(reader, f, "in " + f.path);
  m.allow_only({"row", "metric", "section"});
  o.row = scenario_yaml::read_nonempty_string(reader, m.require("row"));
  const Field metric = m.require("metric", "a column name of `metrics`");
  o.metric = scenario_yaml::read_nonempty_string(reader, metric);
  if (!metrics.count(o.metric))
    reader.fail_at_value(
        metric, metric.path + ": no metric named '" + o.metric + "' in experiment.metrics");
  if (auto s = m.find("section")) o.section = scenario_yaml::read_nonempty_string(reader, *s);
  return o;
}

TaxonomyExpectation read_expectation(const Reader& reader, const Field& item,
                                     const std::set<std::string>& metrics) {
  MapReader m = MapReader::open(reader, item, "in " + item.path);
  m.allow_only({"claim", "tag", "left", "op", "right", "within"});
  TaxonomyExpectation e;
  e.claim = scenario_yaml::read_nonempty_string(reader, m.require("claim", "what is expected"));
  if (auto t = m.find("tag")) e.tag = scenario_yaml::read_choice(reader, *t, {"[V]", "[I]", "[M]"});
  e.left = read_operand(reader, m.require("left"), metrics);
  const Field op = m.require("op");
  e.op = scenario_yaml::read_choice(reader, op, {"<", "<=", ">", ">=", "~"});
  if (auto w = m.find("within")) {
    if (e.op != "~") reader.fail_at_key(*w, w->path + ": only with op: \"~\"");
    e.within = scenario_yaml::read_real(reader, *w, 0, 1e12);
  } else if (e.op == "~") {
    reader.fail_at_value(op, item.path + ": op \"~\" needs `within` (a tolerance)");
  }
  const Field right = m.require("right");
  e.right = read_operand(reader, right, metrics);
  if (e.left.number && e.right.number)
    reader.fail_at_value(right, item.path + ": one side must be a table cell");
  return e;
}

// The figure kinds and the keys each takes besides `kind` and `title`; a new
// kind adds its row here and its drawing in taxonomy_figures.cpp.
const std::vector<std::pair<std::string, std::set<std::string>>> kFigureKeys = {
    {"series", {"series", "scale", "limit"}},
    {"scatter", {"x", "y", "logx", "rows"}},
    {"lines", {"x", "y", "split", "logx"}},
    {"rounds", {"series", "scale", "group", "rows"}},
    {"matrix", {}},  // analysis/taxonomy_figure_matrix.hpp: the task-accuracy matrices
};

TaxonomyFigure read_figure(const Reader& reader, const Field& item,
                           const std::set<std::string>& metrics, const TaxonomyExperiment& x) {
  MapReader m = MapReader::open(reader, item, "in " + item.path);
  std::vector<std::string> kinds, keys = {"kind", "title"};
  for (const auto& [k, own] : kFigureKeys) {
    kinds.push_back(k);
    for (const auto& key : own)
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  m.allow_only(keys);
  TaxonomyFigure f;
  const Field kind = m.require("kind", "one of the figure kinds (docs/TAXONOMY.md)");
  f.kind = scenario_yaml::read_choice(reader, kind, kinds);
  f.title = scenario_yaml::read_nonempty_string(reader, m.require("title"));
  std::set<std::string> own;
  for (const auto& [k, keys] : kFigureKeys)
    if (k == f.kind) own = keys;
  for (const auto& [k, keys] : kFigureKeys)
    for (const auto& key : keys)
      if (!own.count(key))
        if (auto extra = m.find(key))
          reader.fail_at_key(*extra, extra->path + ": not a key of a " + f.kind + " figure");
  if ((f.kind == "series" || f.kind == "matrix") && !(x.rows == "group" && x.sections == "none"))
    reader.fail_at_value(
        kind, item.path + ": a " + f.kind + " figure needs `rows: group` and no sections");
  if (f.kind == "rounds" && x.rows == "group")
    reader.fail_at_value(kind, item.path +
                                   ": a rounds figure needs rows from a swept key (e.g. the "
                                   "federation settings), one row per point");
  if (f.kind == "series") {
    f.series = scenario_yaml::read_nonempty_string(reader, m.require("series"));
    if (auto l = m.find("limit")) f.limit = scenario_yaml::read_nonempty_string(reader, *l);
  }
  if (f.kind == "rounds") {
    f.series = "accuracy_window";
    if (auto s = m.find("series")) f.series = scenario_yaml::read_nonempty_string(reader, *s);
    if (auto g = m.find("group")) f.group = scenario_yaml::read_nonempty_string(reader, *g);
  }
  if (auto r = m.find("rows"))
    for (const Field& name : scenario_yaml::list_items(reader, *r, "row names"))
      f.rows.push_back(scenario_yaml::read_nonempty_string(reader, name));
  if (auto s = m.find("scale")) f.scale = scenario_yaml::read_real(reader, *s, -1e12, 1e12);
  if (f.kind == "scatter" || f.kind == "lines") {
    for (const char* k : {"x", "y"}) {
      const Field axis = m.require(k, "a metric name");
      const std::string name = scenario_yaml::read_nonempty_string(reader, axis);
      if (!metrics.count(name))
        reader.fail_at_value(axis, axis.path + ": no metric named '" + name + "'");
      (k[0] == 'x' ? f.x : f.y) = name;
    }
    if (auto l = m.find("logx")) f.logx = scenario_yaml::read_bool(reader, *l);
  }
  if (auto s = m.find("split")) {
    f.split = scenario_yaml::read_nonempty_string(reader, *s);
    if (std::find(x.section_keys.begin(), x.section_keys.end(), f.split) == x.section_keys.end())
      reader.fail_at_value(
          *s, s->path + ": '" + f.split + "' is not one of experiment.sections' swept keys");
  }
  return f;
}

}  // namespace

TaxonomyExperiment load_taxonomy_experiment(const std::string& sweep_file) {
  const Reader reader(sweep_file);
  std::ifstream in(sweep_file, std::ios::binary);
  if (!in) throw ScenarioError(sweep_file, 0, 0, "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& bad) {
    reader.fail_at(bad.mark, "invalid YAML: " + bad.msg);
  }
  if (!root.IsMap()) reader.fail_at(root.Mark(), "expected a sweep file (a map)");
  MapReader top(reader, root, "", "in the sweep file");
  const Field block =
      top.require("experiment", "what `tinyfleet reproduce` tabulates (docs/TAXONOMY.md)");
  MapReader m = MapReader::open(reader, block, "in experiment");
  m.allow_only({"id", "title", "rows", "sections", "metrics", "expect", "figures", "quick"});

  TaxonomyExperiment x;
  x.file = sweep_file;
  x.id = scenario_yaml::read_nonempty_string(reader, m.require("id", "e.g. E2"));
  x.title = scenario_yaml::read_nonempty_string(reader, m.require("title"));
  if (auto r = m.find("rows")) x.rows = scenario_yaml::read_nonempty_string(reader, *r);
  if (auto s = m.find("sections")) {
    if (s->value.IsSequence()) {
      for (const Field& k : scenario_yaml::list_items(reader, *s, "swept keys"))
        x.section_keys.push_back(scenario_yaml::read_nonempty_string(reader, k));
      if (x.section_keys.empty()) reader.fail_at_value(*s, "experiment.sections: empty list");
    } else {
      x.sections = scenario_yaml::read_nonempty_string(reader, *s);
      if (x.sections != "none" && x.sections != "group") x.section_keys.push_back(x.sections);
    }
    if (!x.section_keys.empty()) x.sections = "params";
    for (const auto& k : x.section_keys)
      if (k == x.rows)
        reader.fail_at_value(*s, "experiment.sections: '" + k + "' is also the rows key");
  }
  if (x.rows == "none")
    reader.fail_at_value(*m.find("rows"), "experiment.rows: 'none' is not a row key");
  if (x.rows == "group" && x.sections == "group")
    reader.fail_at_value(*m.find("sections"), "experiment.sections: the same key as rows");

  std::set<std::string> names;
  const Field metrics = m.require("metrics", "the table's columns");
  for (const Field& item : scenario_yaml::list_items(reader, metrics, "metrics")) {
    x.metrics.push_back(read_metric(reader, item));
    if (!names.insert(x.metrics.back().name).second)
      reader.fail_at(item.value,
                     item.path + ": a second metric named '" + x.metrics.back().name + "'");
  }
  if (x.metrics.empty()) reader.fail_at_value(metrics, "experiment.metrics: no metric");
  if (auto e = m.find("expect"))
    for (const Field& item : scenario_yaml::list_items(reader, *e, "expectations"))
      x.expectations.push_back(read_expectation(reader, item, names));

  if (auto figs = m.find("figures"))
    for (const Field& item : scenario_yaml::list_items(reader, *figs, "figures"))
      x.figures.push_back(read_figure(reader, item, names, x));

  if (auto q = m.find("quick")) {
    x.quick_mark = q->key.Mark();
    MapReader qm = MapReader::open(reader, *q, "in experiment.quick");
    qm.allow_only({"set", "seeds"});
    if (auto set = qm.find("set")) {
      MapReader sm = MapReader::open(reader, *set, "in experiment.quick.set");
      for (const Field& f : sm.fields()) x.quick_set.emplace_back(f.key.Scalar(), f.value);
    }
    if (auto seeds = qm.find("seeds"))
      for (const Field& s : scenario_yaml::list_items(reader, *seeds, "seeds"))
        x.quick_seeds.push_back(scenario_yaml::read_uint64(reader, s));
  }
  return x;
}

}  // namespace tinyfleet
