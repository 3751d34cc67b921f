// Edit distance between names, to suggest the name the user most likely meant.
#pragma once

#include <string>
#include <vector>

namespace lkr {

// Levenshtein distance (insert, delete, substitute: each costs 1), byte-wise.
int edit_distance(const std::string& a, const std::string& b);

// The candidate closest to `name` (first one on ties); empty when there are no candidates.
std::string nearest_name(const std::string& name, const std::vector<std::string>& candidates);

// True when `a` becomes `b` (case-insensitively) by one inserted or deleted character or
// one swap of neighbours: the typos a keyboard makes. A single substituted character is
// deliberately not counted: sibling nodes differ that way (SQL1/SQL2, NODEA/NODEB).
bool is_keyboard_slip(const std::string& a, const std::string& b);

}  // namespace lkr
