// Projections: parsing benchstat's projection expressions, and keys with their sort orders.
#include "ksail_benchstat/projection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>

#include <fmt/format.h>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/expression.hpp"

namespace ksail_benchstat {

std::vector<ProjectionField> parse_projection(std::string_view text, std::string_view option) {
    ExpressionTokenizer tokens(text, std::string(option));
    std::vector<ProjectionField> fields;
    for (;;) {
        Token t = tokens.peek(false);
        if (t.kind == Token::end) break;
        if (t.kind == Token::comma && !fields.empty()) tokens.next(false);
        Token key = tokens.next(false);
        if (key.kind != Token::word) tokens.fail(key.offset, "expected key");
        ProjectionField field;
        field.key = key.text;
        if (field.key == ".unit") tokens.fail(key.offset, ".unit is only allowed in filters");
        if (tokens.peek(false).kind == Token::at) {
            tokens.next(false);
            Token order = tokens.next(false);
            if (order.kind == Token::word) {
                if (order.text == "alpha") field.order = KeyOrder::alpha;
                else if (order.text == "num") field.order = KeyOrder::num;
                else tokens.fail(order.offset, fmt::format("unknown order {:?}", order.text));
            } else if (order.kind == Token::open) {
                if (field.key == ".config") tokens.fail(order.offset, "fixed order not allowed for .config");
                field.order = KeyOrder::fixed;
                for (;;) {
                    Token v = tokens.next(false);
                    if (v.kind == Token::word) {
                        field.fixed.push_back(v.text);
                    } else if (v.kind == Token::close) {
                        if (field.fixed.empty()) tokens.fail(v.offset, "nothing to match");
                        break;
                    } else {
                        tokens.fail(v.offset, "missing )");
                    }
                }
            } else {
                tokens.fail(order.offset, "expected named sort order or parenthesized list");
            }
        }
        fields.push_back(std::move(field));
    }
    return fields;
}

namespace {

// benchstat's fuzzy number reading: a plain number, or digits with an SI or IEC prefix ("4k", "1Mi").
bool parse_num(std::string_view text, double& out) {
    const std::string s(text);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size()) {
        out = v;
        return true;
    }
    static const std::regex k_number("([0-9.]+)([kKMGTPEZY]i?)?[bB]?");
    std::smatch m;
    if (!std::regex_search(s, m, k_number)) return false;
    const std::string digits = m[1].str();
    const double base = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size()) return false;
    int exponent = 0;
    const std::string prefix = m[2].str();
    if (!prefix.empty()) {
        static const std::string k_prefixes = "KMGTPEZY";
        const char p = prefix[0] == 'k' ? 'K' : prefix[0];
        exponent = 1 + static_cast<int>(k_prefixes.find(p));
    }
    const double scale = prefix.size() == 2 ? 1024.0 : 1000.0;
    out = base * std::pow(scale, exponent);
    return true;
}

}  // namespace

int compare_num(std::string_view a, std::string_view b) {
    double x = 0;
    double y = 0;
    const bool ok_a = parse_num(a, x);
    const bool ok_b = parse_num(b, y);
    if (ok_a && ok_b) {
        if (x < y || (!std::isnan(x) && std::isnan(y))) return -1;
        if (x > y || (std::isnan(x) && !std::isnan(y))) return 1;
        return 0;
    }
    if (!ok_a && !ok_b) return 0;
    return ok_a ? -1 : 1;
}

ProjectionSet::ProjectionSet() : ProjectionSet(parse(".config", ".fullname", ".file", "")) {}

ProjectionSet ProjectionSet::parse(std::string_view table, std::string_view row, std::string_view col,
                                   std::string_view ignore) {
    ProjectionSet set{Empty{}};
    set.m_table = parse_projection(table, "--table");
    set.m_row = parse_projection(row, "--row");
    set.m_col = parse_projection(col, "--col");
    const auto ignored = parse_projection(ignore, "--ignore");
    const std::vector<ProjectionField>* const all[] = {&set.m_table, &set.m_row, &set.m_col, &ignored};
    for (const auto* fields : all) set.add(*fields);
    bool have_config = false;
    bool have_fullname = false;
    for (const auto* fields : all) {
        for (const auto& f : *fields) {
            if (f.key == ".config") have_config = true;
            if (f.key == ".fullname") have_fullname = true;
        }
    }
    if (!have_config) set.m_residue.push_back({".config", KeyOrder::first, {}});
    if (!have_fullname) set.m_residue.push_back({".fullname", KeyOrder::first, {}});
    return set;
}

void ProjectionSet::add(const std::vector<ProjectionField>& fields) {
    for (const auto& f : fields) {
        if (f.key == ".config" || f.key == ".fullname" || f.key == ".file") continue;
        if (f.key == ".name" || f.key.front() == '/') {
            m_name_keys.push_back(f.key);
        } else {
            m_config_keys.insert(f.key);
        }
    }
}

bool ProjectionSet::columns_are_inputs() const {
    return m_col.size() == 1 && m_col[0].key == ".file" && m_col[0].order == KeyOrder::first;
}

bool ProjectionSet::rows_are_names() const {
    return m_row.size() == 1 && m_row[0].key == ".fullname" && m_name_keys.empty();
}

bool ProjectionSet::has_fixed_orders() const {
    const std::vector<ProjectionField>* const all[] = {&m_table, &m_row, &m_col};
    for (const auto* fields : all) {
        for (const auto& f : *fields) {
            if (f.order == KeyOrder::fixed) return true;
        }
    }
    return false;
}

bool ProjectionSet::passes_fixed_orders(const Observation& obs) const {
    const std::vector<ProjectionField>* const all[] = {&m_table, &m_row, &m_col};
    for (const auto* fields : all) {
        for (const auto& f : *fields) {
            if (f.order != KeyOrder::fixed) continue;
            const std::string value = f.key == ".fullname" ? fullname(obs.fullname) : key_value(obs, f.key);
            if (std::find(f.fixed.begin(), f.fixed.end(), value) == f.fixed.end()) return false;
        }
    }
    return true;
}

KeyMaker::KeyMaker(const std::vector<ProjectionField>& fields, const ProjectionSet& set,
                   const std::set<std::string>& config_exclude)
    : m_fields(fields), m_set(&set), m_config_exclude(config_exclude), m_first(fields.size()) {
    flatten();
}

void KeyMaker::flatten() {
    m_flat.clear();
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (m_fields[i].key != ".config") {
            m_flat.push_back({i, {}});
            continue;
        }
        for (const auto& key : m_config_keys) m_flat.push_back({i, key});
    }
}

void KeyMaker::learn(const Observation& obs) {
    if (obs.config == nullptr) return;
    bool grown = false;
    for (const auto& field : m_fields) {
        if (field.key != ".config") continue;
        for (const auto& [key, value] : *obs.config) {
            if (!m_set->in_config(key) || m_config_exclude.count(key) != 0) continue;
            if (std::find(m_config_keys.begin(), m_config_keys.end(), key) != m_config_keys.end()) continue;
            m_config_keys.push_back(key);
            grown = true;
        }
    }
    if (grown) flatten();
}

std::vector<std::string> KeyMaker::project(const Observation& obs) const {
    std::vector<std::string> key;
    key.reserve(m_flat.size());
    for (const auto& flat : m_flat) {
        const ProjectionField& field = m_fields[flat.field];
        if (field.key == ".config") {
            key.emplace_back(obs.config ? config_value(*obs.config, flat.config_key) : std::string_view());
        } else if (field.key == ".fullname") {
            key.push_back(m_set->fullname(obs.fullname));
        } else {
            key.push_back(key_value(obs, field.key));
        }
    }
    return key;
}

void KeyMaker::observe(const std::vector<std::string>& key) {
    for (std::size_t i = 0; i < m_flat.size() && i < key.size(); ++i) {
        // Components of .config are never ranked by observation: benchstat orders them as strings.
        if (m_fields[m_flat[i].field].key == ".config") continue;
        auto& first = m_first[m_flat[i].field];
        if (first.find(key[i]) == first.end()) first.emplace(key[i], first.size());
    }
}

bool KeyMaker::less(const std::vector<std::string>& a, const std::vector<std::string>& b) const {
    return less_ranked(a, nullptr, b, nullptr);
}

bool KeyMaker::less_ranked(const std::vector<std::string>& a, const std::size_t* rank_a,
                           const std::vector<std::string>& b, const std::size_t* rank_b) const {
    constexpr std::size_t npos = static_cast<std::size_t>(-1);
    for (std::size_t i = 0; i < m_flat.size() && i < a.size() && i < b.size(); ++i) {
        // Observed values have distinct ranks, so equal ranks mean equal values.
        if (rank_a != nullptr && rank_b != nullptr && rank_a[i] != npos && rank_b[i] != npos) {
            if (rank_a[i] == rank_b[i]) continue;
            return rank_a[i] < rank_b[i];
        }
        if (a[i] == b[i]) continue;
        const ProjectionField& field = m_fields[m_flat[i].field];
        int cmp = 0;
        switch (field.order) {
        case KeyOrder::first:
            if (field.key != ".config") {
                const auto& first = m_first[m_flat[i].field];
                auto ia = first.find(a[i]);
                auto ib = first.find(b[i]);
                if (ia != first.end() && ib != first.end()) cmp = ia->second < ib->second ? -1 : 1;
            }
            break;
        case KeyOrder::alpha: cmp = a[i] < b[i] ? -1 : 1; break;
        case KeyOrder::num: cmp = compare_num(a[i], b[i]); break;
        case KeyOrder::fixed: {
            auto pa = std::find(field.fixed.begin(), field.fixed.end(), a[i]) - field.fixed.begin();
            auto pb = std::find(field.fixed.begin(), field.fixed.end(), b[i]) - field.fixed.begin();
            cmp = pa < pb ? -1 : (pa > pb ? 1 : 0);
            break;
        }
        }
        if (cmp != 0) return cmp < 0;
        return a[i] < b[i];
    }
    return false;
}

std::vector<std::size_t> KeyMaker::places(const std::vector<const std::vector<std::string>*>& keys) const {
    constexpr std::size_t npos = static_cast<std::size_t>(-1);
    const std::size_t width = m_flat.size();
    std::vector<std::size_t> ranks(keys.size() * width, npos);
    for (std::size_t k = 0; k < keys.size(); ++k) {
        for (std::size_t i = 0; i < width && i < keys[k]->size(); ++i) {
            const ProjectionField& field = m_fields[m_flat[i].field];
            if (field.order != KeyOrder::first || field.key == ".config") continue;
            const auto& first = m_first[m_flat[i].field];
            auto it = first.find((*keys[k])[i]);
            if (it != first.end()) ranks[k * width + i] = it->second;
        }
    }
    std::vector<std::size_t> order(keys.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return less_ranked(*keys[a], ranks.data() + a * width, *keys[b], ranks.data() + b * width);
    });
    std::vector<std::size_t> place(keys.size());
    for (std::size_t p = 0; p < order.size(); ++p) place[order[p]] = p;
    return place;
}

namespace {
bool is_name_key(const std::string& key) {
    return key == ".name" || key == ".fullname" || (!key.empty() && key.front() == '/');
}
}  // namespace

bool KeyMaker::reads_name() const {
    return std::any_of(m_fields.begin(), m_fields.end(), [](const ProjectionField& f) { return is_name_key(f.key); });
}

bool KeyMaker::reads_only_name() const {
    return !m_fields.empty() &&
           std::all_of(m_fields.begin(), m_fields.end(), [](const ProjectionField& f) { return is_name_key(f.key); });
}

std::vector<std::string> KeyMaker::names() const {
    std::vector<std::string> out;
    for (const auto& flat : m_flat) {
        out.push_back(flat.config_key.empty() ? m_fields[flat.field].key : flat.config_key);
    }
    return out;
}

}  // namespace ksail_benchstat
