// Benchmark keys and benchstat's filter expression language: tokenizer, parser and matcher.
#include "ksail_benchstat/filter.hpp"

#include <cctype>
#include <regex>

#include <fmt/format.h>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/expression.hpp"

namespace ksail_benchstat {

std::vector<std::string_view> name_parts(std::string_view fullname) {
    // A trailing "-N" is GOMAXPROCS only when N is all digits (benchstat's rule).
    std::string_view rest = fullname;
    std::string_view procs;
    for (std::size_t i = fullname.size(); i-- > 0;) {
        const char c = fullname[i];
        if (c == '-' && i + 1 < fullname.size()) {
            rest = fullname.substr(0, i);
            procs = fullname.substr(i);
            break;
        }
        if (c < '0' || c > '9') break;
    }
    std::vector<std::string_view> parts;
    std::size_t start = rest.find('/');
    while (start != std::string_view::npos) {
        std::size_t next = rest.find('/', start + 1);
        parts.push_back(rest.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start));
        start = next;
    }
    if (!procs.empty()) parts.push_back(procs);
    return parts;
}

std::string_view name_base(std::string_view fullname) {
    std::size_t slash = fullname.find('/');
    if (slash != std::string_view::npos) return fullname.substr(0, slash);
    auto parts = name_parts(fullname);
    if (!parts.empty() && parts.back().front() == '-') return fullname.substr(0, fullname.size() - parts.back().size());
    return fullname;
}

namespace {

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

std::string sub_key_value(std::string_view fullname, std::string_view key) {
    const auto parts = name_parts(fullname);
    if (key == "gomaxprocs" && !parts.empty() && parts.back().front() == '-') {
        return std::string(parts.back().substr(1));
    }
    const std::string prefix = "/" + std::string(key) + "=";
    for (auto part : parts) {
        if (part.substr(0, prefix.size()) == prefix) return std::string(part.substr(prefix.size()));
    }
    // Positional parts ("BM_Copy/64/8"): "/1" is the first part after the base name.
    if (all_digits(key)) {
        std::size_t index = std::stoul(std::string(key));
        std::size_t seen = 0;
        for (auto part : parts) {
            if (part.front() != '/') continue;
            if (++seen == index) return std::string(part.substr(1));
        }
    }
    return {};
}

}  // namespace

std::string key_value(const Observation& obs, std::string_view key) {
    if (key == ".name") return std::string(name_base(obs.fullname));
    if (key == ".fullname") return std::string(obs.fullname);
    if (key == ".file") return std::string(obs.file);
    if (key == ".unit") return std::string(obs.unit);
    if (!key.empty() && key.front() == '/') return sub_key_value(obs.fullname, key.substr(1));
    if (obs.config == nullptr) return {};
    return std::string(config_value(*obs.config, key));
}

std::string fullname_without(std::string_view fullname, const std::vector<std::string>& excluded) {
    bool exclude_base = false;
    bool exclude_procs = false;
    std::vector<std::string> prefixes;
    for (const auto& key : excluded) {
        if (key == ".name") exclude_base = true;
        if (key.empty() || key.front() != '/') continue;
        if (key == "/gomaxprocs") exclude_procs = true;
        prefixes.push_back(key + "=");
    }
    if (!exclude_base && prefixes.empty()) return std::string(fullname);
    const auto parts = name_parts(fullname);
    std::string out = exclude_base ? std::string("*") : std::string(name_base(fullname));
    for (auto part : parts) {
        bool skip = exclude_procs && part.front() == '-';
        for (const auto& prefix : prefixes) {
            if (part.substr(0, prefix.size()) == prefix) skip = true;
        }
        if (!skip) out += part;
    }
    return out;
}

std::vector<std::string> original_units(std::string_view unit) {
    std::vector<std::string> out;
    if (unit.substr(0, 3) == "sec") out.push_back("ns" + std::string(unit.substr(3)));
    if (unit.substr(0, 2) == "B/") out.push_back("MB" + std::string(unit.substr(1)));
    return out;
}

struct Filter::Node {
    enum class Kind { all, any, negate, literal, regex };
    Kind kind = Kind::all;
    std::vector<std::shared_ptr<const Node>> children;
    std::string key;
    std::string value;
    std::regex re;
};

namespace {

using Node = Filter::Node;
using NodePtr = std::shared_ptr<const Node>;

class FilterParser {
public:
    explicit FilterParser(std::string_view text) : m_tokens(text, "--filter") {}

    NodePtr parse() {
        NodePtr root = expr();
        Token t = m_tokens.peek(false);
        if (t.kind != Token::end) m_tokens.fail(t.offset, fmt::format("unexpected {:?}", t.text));
        return root;
    }

private:
    ExpressionTokenizer m_tokens;

    static NodePtr combine(Node::Kind kind, std::vector<NodePtr> terms) {
        if (terms.size() == 1) return terms.front();
        auto node = std::make_shared<Node>();
        node->kind = kind;
        node->children = std::move(terms);
        return node;
    }

    NodePtr expr() {
        std::vector<NodePtr> terms{and_expr()};
        while (m_tokens.peek(false).kind == Token::or_word) {
            m_tokens.next(false);
            terms.push_back(and_expr());
        }
        return combine(Node::Kind::any, std::move(terms));
    }

    NodePtr and_expr() {
        std::vector<NodePtr> terms{match()};
        for (;;) {
            Token t = m_tokens.peek(false);
            if (t.kind == Token::and_word) {
                m_tokens.next(false);
                continue;
            }
            if (t.kind == Token::open || t.kind == Token::minus || t.kind == Token::star || t.kind == Token::word) {
                terms.push_back(match());
                continue;
            }
            if (t.kind == Token::close || t.kind == Token::or_word || t.kind == Token::end) break;
            m_tokens.fail(t.offset, fmt::format("unexpected {:?}", t.text));
        }
        return combine(Node::Kind::all, std::move(terms));
    }

    NodePtr term(const std::string& key, const Token& value) {
        auto node = std::make_shared<Node>();
        node->key = key;
        node->value = value.text;
        if (value.kind == Token::regex) {
            node->kind = Node::Kind::regex;
            try {
                node->re = std::regex(value.text, std::regex::ECMAScript);
            } catch (const std::regex_error& e) {
                m_tokens.fail(value.offset, fmt::format("bad regular expression /{}/: {}", value.text, e.what()));
            }
        } else {
            node->kind = Node::Kind::literal;
        }
        return node;
    }

    NodePtr match() {
        Token t = m_tokens.next(false);
        switch (t.kind) {
        case Token::open: {
            NodePtr inner = expr();
            Token close = m_tokens.next(false);
            if (close.kind != Token::close) m_tokens.fail(close.offset, "missing \")\"");
            return inner;
        }
        case Token::minus: {
            auto node = std::make_shared<Node>();
            node->kind = Node::Kind::negate;
            node->children.push_back(match());
            return node;
        }
        case Token::star: return std::make_shared<Node>();
        case Token::word: {
            const std::string key = t.text;
            if (key == ".config") m_tokens.fail(t.offset, ".config is only allowed in projections");
            if (m_tokens.next(false).kind != Token::colon) m_tokens.fail(t.offset, "expected key:value");
            Token value = m_tokens.next(true);
            if (value.kind == Token::word || value.kind == Token::regex) return term(key, value);
            if (value.kind != Token::open) m_tokens.fail(t.offset, "expected key:value");
            std::vector<NodePtr> terms;
            for (;;) {
                Token v = m_tokens.next(true);
                if (v.kind != Token::word && v.kind != Token::regex) m_tokens.fail(v.offset, "expected value");
                terms.push_back(term(key, v));
                Token sep = m_tokens.next(true);
                if (sep.kind == Token::close) break;
                if (sep.kind != Token::or_word) m_tokens.fail(sep.offset, "value list must be separated by OR");
            }
            auto node = std::make_shared<Node>();
            node->kind = Node::Kind::any;
            node->children = std::move(terms);
            return node;
        }
        default: break;
        }
        m_tokens.fail(t.offset, "expected key:value or subexpression");
    }
};

bool value_matches(const Node& node, const std::string& value) {
    if (node.kind == Node::Kind::literal) return value == node.value;
    return std::regex_search(value, node.re);
}

bool evaluate(const Node& node, const Observation& obs) {
    switch (node.kind) {
    case Node::Kind::all:
        for (const auto& c : node.children) {
            if (!evaluate(*c, obs)) return false;
        }
        return true;
    case Node::Kind::any:
        for (const auto& c : node.children) {
            if (evaluate(*c, obs)) return true;
        }
        return false;
    case Node::Kind::negate: return !evaluate(*node.children.front(), obs);
    case Node::Kind::literal:
    case Node::Kind::regex: {
        if (node.key == ".unit") {
            if (value_matches(node, std::string(obs.unit))) return true;
            for (const auto& orig : original_units(obs.unit)) {
                if (value_matches(node, orig)) return true;
            }
            return false;
        }
        return value_matches(node, key_value(obs, node.key));
    }
    }
    return false;
}

}  // namespace

Filter Filter::parse(std::string_view expr) {
    Filter filter;
    bool blank = true;
    for (char c : expr) {
        if (!std::isspace(static_cast<unsigned char>(c))) blank = false;
    }
    if (blank) return filter;
    NodePtr root = FilterParser(expr).parse();
    // "*" alone is the default: remember it as "everything" so callers can skip the matcher.
    if (root->kind == Node::Kind::all && root->children.empty()) return filter;
    filter.m_root = std::move(root);
    return filter;
}

bool Filter::matches(const Observation& obs) const {
    return m_root == nullptr || evaluate(*m_root, obs);
}

}  // namespace ksail_benchstat
