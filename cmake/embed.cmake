# Writes a C++ file mapping each input's path (relative to ROOT) to its text.
set(body "#include <map>\n#include <string>\nnamespace tinyfleet {\nconst std::map<std::string, std::string>& embedded_files() {\n  static const std::map<std::string, std::string> files = {\n")
foreach(path ${INPUTS})
  file(READ ${path} text)
  file(RELATIVE_PATH rel ${ROOT} ${path})
  string(LENGTH "${text}" len)
  # Raw string literal; the delimiter never occurs in YAML files.
  string(APPEND body "    {\"${rel}\", R\"tfembed(${text})tfembed\"},\n")
endforeach()
string(APPEND body "  };\n  return files;\n}\n}  // namespace tinyfleet\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
