#pragma once
// "Did you mean ...?" for mistyped keys and names.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tinyfleet {

// Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`.
// Swaps count once because "nrf52480" for "nrf52840" is one slip of the fingers.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `typed` (ignoring case) if it is near enough to be a
// typo: at most 2 edits, or a third of the word for long words, and never a
// complete rewrite. Ties go to the earliest candidate.
std::optional<std::string> closest_match(std::string_view typed,
                                         const std::vector<std::string>& candidates);

// "a, b, c"; after `limit` items the rest become "...".
std::string join_names(const std::vector<std::string>& names, std::size_t limit = 16);

}  // namespace tinyfleet
