#include "common/scim/filter.h"

#include <array>
#include <utility>

namespace scim {
namespace {

constexpr std::array<std::pair<std::string_view, CompareOp>, 10> kOps{{
    {"eq", CompareOp::kEq},
    {"ne", CompareOp::kNe},
    {"co", CompareOp::kCo},
    {"sw", CompareOp::kSw},
    {"ew", CompareOp::kEw},
    {"gt", CompareOp::kGt},
    {"ge", CompareOp::kGe},
    {"lt", CompareOp::kLt},
    {"le", CompareOp::kLe},
    {"pr", CompareOp::kPr},
}};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  void SkipWs() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool AtEnd() {
    SkipWs();
    return pos_ >= s_.size();
  }
  size_t pos() const { return pos_; }

  // A run of characters up to whitespace or a bracket/paren.
  std::string_view Word() {
    SkipWs();
    size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != ' ' && s_[pos_] != '\t' && s_[pos_] != '(' &&
           s_[pos_] != ')' && s_[pos_] != '[' && s_[pos_] != ']' && s_[pos_] != '"') {
      ++pos_;
    }
    return s_.substr(start, pos_ - start);
  }

  // A JSON string literal starting at the current position.
  Result<Json> QuotedString() {
    size_t start = pos_;
    ++pos_;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      pos_ += s_[pos_] == '\\' ? 2 : 1;
    }
    if (pos_ >= s_.size()) return Error("unterminated string", start);
    ++pos_;
    auto parsed = ParseJson(s_.substr(start, pos_ - start));
    if (!parsed.ok()) return Error("invalid string literal", start);
    return parsed;
  }

  bool PeekQuote() {
    SkipWs();
    return pos_ < s_.size() && s_[pos_] == '"';
  }

  static ScimError Error(std::string what, size_t at) {
    return InvalidFilter(what + " at offset " + std::to_string(at));
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

bool IsAttrPath(std::string_view w) {
  if (w.empty()) return false;
  char c0 = w.front();
  if (!((c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z'))) return false;
  for (char c : w) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '$' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

Result<Json> ParseValue(Lexer& lex) {
  if (lex.PeekQuote()) return lex.QuotedString();
  size_t at = lex.pos();
  std::string_view w = lex.Word();
  if (w.empty()) return Lexer::Error("expected a value", at);
  if (w == "true") return Json(true);
  if (w == "false") return Json(false);
  if (w == "null") return Json();
  if ((w.front() >= '0' && w.front() <= '9') || w.front() == '-') {
    auto n = ParseJson(w);
    if (n.ok() && n.value().is_number()) return n;
  }
  return Json(std::string(w));  // Entra's unquoted literal
}

}  // namespace

Result<Comparison> ParseFilter(std::string_view text) {
  Lexer lex(text);
  if (lex.AtEnd()) return InvalidFilter("empty filter");
  size_t at = lex.pos();
  std::string_view attr = lex.Word();
  if (attr == "not" || (attr.empty() && !lex.AtEnd())) {
    return Lexer::Error("'not' and grouping are not supported yet", at);
  }
  if (!IsAttrPath(attr)) return Lexer::Error("expected an attribute path", at);
  at = lex.pos();
  std::string_view op_word = lex.Word();
  Comparison c;
  c.attr = std::string(attr);
  bool found = false;
  for (const auto& [name, op] : kOps) {
    if (EqualsCi(name, op_word)) {
      c.op = op;
      found = true;
    }
  }
  if (!found) return Lexer::Error("expected an operator", at);
  if (c.op != CompareOp::kPr) {
    auto value = ParseValue(lex);
    if (!value.ok()) return value.error();
    c.value = std::move(value).value();
  }
  if (!lex.AtEnd()) {
    return Lexer::Error("'and', 'or' and value paths are not supported yet", lex.pos());
  }
  return c;
}

}  // namespace scim
