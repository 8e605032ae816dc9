#pragma once
// Files compiled into the binary (cmake/embed.cmake): the quickstart scenario
// and the board catalog, keyed by their path relative to the source root.
#include <map>
#include <string>

namespace tinyfleet {
const std::map<std::string, std::string>& embedded_files();
}  // namespace tinyfleet
