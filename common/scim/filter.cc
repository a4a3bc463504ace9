// Recursive-descent parser for SCIM filters and PATCH paths.
//
// Chains of "and" / "or" are built as balanced trees (both are associative,
// and evaluation still runs left to right), so a filter of n terms is
// O(log n) deep per nesting level. With the 64-level limit on "(", "not ("
// and "[", that bounds the recursion of parsing, evaluation and destruction.
//
// Beyond RFC 7644 (a deliberate choice): in a filter, a value path may be
// followed by a sub-attribute and a comparison, as some IdPs send:
//   emails[type eq "work"].value eq "a@b"
// It means emails[type eq "work" and value eq "a@b"] (the same element must
// satisfy both) and is parsed into exactly that tree.
#include "common/scim/filter.h"

#include <optional>
#include <utility>
#include <vector>

#include "common/scim/text.h"

namespace scim {
namespace {

constexpr int kMaxDepth = 64;

constexpr std::pair<std::string_view, CompareOp> kOps[] = {
    {"eq", CompareOp::kEq}, {"ne", CompareOp::kNe}, {"co", CompareOp::kCo},
    {"sw", CompareOp::kSw}, {"ew", CompareOp::kEw}, {"gt", CompareOp::kGt},
    {"ge", CompareOp::kGe}, {"lt", CompareOp::kLt}, {"le", CompareOp::kLe},
};

std::optional<CompareOp> FindOp(std::string_view word) {
  for (const auto& [name, op] : kOps) {
    if (EqualsCi(name, word)) return op;
  }
  return std::nullopt;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Characters that end a word: whitespace and the filter punctuation.
bool IsDelim(char c) {
  return IsSpace(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '"';
}

// RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar); "$ref" is the one exception.
bool IsAttrName(std::string_view s) {
  if (EqualsCi(s, "$ref")) return true;
  if (s.empty() || !IsAlpha(s[0])) return false;
  for (char c : s) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '_') return false;
  }
  return true;
}

// "urn:" plus at least one more character, all printable ASCII (RFC 8141
// is stricter; the schema lookup decides whether the URN is known).
bool IsUrn(std::string_view s) {
  if (s.size() <= 4 || !EqualsCi(s.substr(0, 4), "urn:")) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// A bare-word value must be UTF-8 without control characters. ParseJson is
// the core's one UTF-8 validator; ToJson escapes everything else.
bool IsCleanText(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
  }
  return IsValidUtf8(s);
}

FilterPtr Make(Filter f) { return std::make_shared<const Filter>(std::move(f)); }

FilterPtr Join(Filter::Kind kind, FilterPtr left, FilterPtr right) {
  Filter f;
  f.kind = kind;
  f.left = std::move(left);
  f.right = std::move(right);
  return Make(std::move(f));
}

// terms[lo, hi) joined by kind as a balanced tree. REQUIRES: lo < hi.
FilterPtr Balanced(Filter::Kind kind, const std::vector<FilterPtr>& terms, size_t lo, size_t hi) {
  if (hi - lo == 1) return terms[lo];
  size_t mid = lo + (hi - lo) / 2;
  return Join(kind, Balanced(kind, terms, lo, mid), Balanced(kind, terms, mid, hi));
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Result<FilterPtr> WholeFilter();
  Result<PatchPath> WholePath();

 private:
  Result<FilterPtr> Chain(Filter::Kind kind, int depth);
  Result<FilterPtr> Term(int depth);
  Result<FilterPtr> Group(int depth);
  Result<FilterPtr> Brackets(int depth);
  Result<FilterPtr> ValuePath(AttrPath path, int depth);
  Result<FilterPtr> AttrExp(AttrPath path);
  Result<Json> CompValue(std::string_view op);
  Result<Json> QuotedString();
  Result<AttrPath> Path();
  Result<std::string> SubAttr();
  bool Keyword(std::string_view keyword);

  std::string_view PeekWord() const {
    size_t end = pos_;
    while (end < s_.size() && !IsDelim(s_[end])) ++end;
    return s_.substr(pos_, end - pos_);
  }
  std::string_view TakeWord() {
    std::string_view word = PeekWord();
    pos_ += word.size();
    return word;
  }
  void SkipWs() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }
  bool At(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool AtEnd() const { return pos_ >= s_.size(); }
  static ScimError Error(std::string_view what, size_t at) {
    return InvalidFilter(std::string(what) + " at offset " + std::to_string(at));
  }

  std::string_view s_;
  size_t pos_ = 0;
  bool in_brackets_ = false;  // inner paths are plain sub-attribute names
};

Result<FilterPtr> Parser::WholeFilter() {
  SkipWs();
  if (AtEnd()) return InvalidFilter("empty filter");
  auto filter = Chain(Filter::Kind::kOr, 0);
  if (!filter.ok()) return filter;
  SkipWs();
  if (At(')')) return Error("unbalanced ')'", pos_);
  if (At(']')) return Error("unbalanced ']'", pos_);
  if (!AtEnd()) return Error("expected 'and', 'or' or the end", pos_);
  return filter;
}

// FILTER *(SP "or" SP FILTER) of and-chains, or FILTER *("and" FILTER) of terms.
Result<FilterPtr> Parser::Chain(Filter::Kind kind, int depth) {
  bool is_or = kind == Filter::Kind::kOr;
  std::vector<FilterPtr> terms;
  do {
    auto term = is_or ? Chain(Filter::Kind::kAnd, depth) : Term(depth);
    if (!term.ok()) return term;
    terms.push_back(std::move(term).value());
  } while (Keyword(is_or ? "or" : "and"));
  return Balanced(kind, terms, 0, terms.size());
}

// Consumes keyword (any case) when it is the next word.
bool Parser::Keyword(std::string_view keyword) {
  size_t save = pos_;
  SkipWs();
  if (EqualsCi(TakeWord(), keyword)) return true;
  pos_ = save;
  return false;
}

// "(" FILTER ")" / "not" "(" FILTER ")" / valuePath / attrExp.
Result<FilterPtr> Parser::Term(int depth) {
  SkipWs();
  if (At('(')) return Group(depth + 1);
  std::string_view word = PeekWord();
  if (EqualsCi(word, "and") || EqualsCi(word, "or")) {
    return Error("expected an attribute path", pos_);  // a missing operand
  }
  if (EqualsCi(word, "not")) {
    pos_ += 3;
    SkipWs();
    if (!At('(')) return Error("expected '(' after 'not'", pos_);
    auto operand = Group(depth + 1);
    if (!operand.ok()) return operand;
    return Join(Filter::Kind::kNot, std::move(operand).value(), nullptr);
  }
  auto path = Path();
  if (!path.ok()) return path.error();
  if (At('[')) return ValuePath(std::move(path).value(), depth + 1);
  return AttrExp(std::move(path).value());
}

// REQUIRES: At('(').
Result<FilterPtr> Parser::Group(int depth) {
  if (depth > kMaxDepth) return Error("nesting deeper than 64 levels", pos_);
  ++pos_;
  auto inner = Chain(Filter::Kind::kOr, depth);
  if (!inner.ok()) return inner;
  SkipWs();
  if (!At(')')) return Error("expected ')'", pos_);
  ++pos_;
  return inner;
}

// "[" valFilter "]": the inner filter of a value path. REQUIRES: At('[').
Result<FilterPtr> Parser::Brackets(int depth) {
  if (in_brackets_) return Error("nested value path", pos_);
  if (depth > kMaxDepth) return Error("nesting deeper than 64 levels", pos_);
  ++pos_;
  in_brackets_ = true;
  auto inner = Chain(Filter::Kind::kOr, depth);
  in_brackets_ = false;
  if (!inner.ok()) return inner;
  SkipWs();
  if (!At(']')) return Error("expected ']'", pos_);
  ++pos_;
  return inner;
}

// path "[" valFilter "]" ["." subAttr compareOp compValue]; see the top.
Result<FilterPtr> Parser::ValuePath(AttrPath path, int depth) {
  if (!path.sub.empty()) return Error("value path on a sub-attribute", pos_);
  auto inner = Brackets(depth);
  if (!inner.ok()) return inner;
  FilterPtr selector = std::move(inner).value();
  if (At('.')) {
    auto sub = SubAttr();
    if (!sub.ok()) return sub.error();
    auto exp = AttrExp(AttrPath{"", std::move(sub).value(), ""});
    if (!exp.ok()) return exp;
    selector = Join(Filter::Kind::kAnd, std::move(selector), std::move(exp).value());
  }
  Filter f;
  f.kind = Filter::Kind::kValuePath;
  f.path = std::move(path);
  f.left = std::move(selector);
  return Make(std::move(f));
}

// attrPath SP "pr" / attrPath SP compareOp SP compValue.
Result<FilterPtr> Parser::AttrExp(AttrPath path) {
  SkipWs();
  size_t at = pos_;
  std::string_view word = TakeWord();
  Filter f;
  f.path = std::move(path);
  if (EqualsCi(word, "pr")) {
    f.kind = Filter::Kind::kPresent;
    return Make(std::move(f));
  }
  std::optional<CompareOp> op = FindOp(word);
  if (!op) return Error(word.empty() ? "expected an operator" : "unknown operator", at);
  f.op = *op;
  auto value = CompValue(word);
  if (!value.ok()) return value.error();
  f.value = std::move(value).value();
  return Make(std::move(f));
}

// A JSON literal (true/false/null in any case), or a bare word as a string.
Result<Json> Parser::CompValue(std::string_view op) {
  SkipWs();
  if (At('"')) return QuotedString();
  size_t at = pos_;
  std::string_view word = TakeWord();
  if (word.empty()) return Error("expected a value after '" + std::string(op) + "'", at);
  if (EqualsCi(word, "true")) return Json(true);
  if (EqualsCi(word, "false")) return Json(false);
  if (EqualsCi(word, "null")) return Json();
  if (IsDigit(word[0]) || word[0] == '-') {
    auto number = ParseJson(word);
    if (number.ok() && number.value().is_number()) return number;
  }
  if (!IsCleanText(word)) return Error("invalid character in value", at);
  return Json(word);  // Entra ID: externalId eq jyoung
}

// REQUIRES: At('"'). JSON escapes and UTF-8 are checked by ParseJson.
Result<Json> Parser::QuotedString() {
  size_t at = pos_;
  size_t i = pos_ + 1;
  while (i < s_.size() && s_[i] != '"') i += s_[i] == '\\' ? 2 : 1;
  if (i >= s_.size()) return Error("unterminated string", at);
  pos_ = i + 1;
  auto parsed = ParseJson(s_.substr(at, pos_ - at));
  if (!parsed.ok()) return Error("invalid string", at);
  return parsed;
}

// [urn ":"] attr ["." sub]; the URN ends at the last ':'.
Result<AttrPath> Parser::Path() {
  size_t at = pos_;
  std::string_view token = TakeWord();
  if (token.empty()) return Error("expected an attribute path", at);
  AttrPath path;
  std::string_view name = token;
  if (token.size() >= 4 && EqualsCi(token.substr(0, 4), "urn:")) {
    size_t colon = token.rfind(':');
    path.urn = std::string(token.substr(0, colon));
    name = token.substr(colon + 1);
    if (!IsUrn(path.urn)) return Error("invalid schema URN", at);
  }
  size_t dot = name.find('.');
  path.attr = std::string(name.substr(0, dot));
  if (dot != std::string_view::npos) path.sub = std::string(name.substr(dot + 1));
  if (!IsAttrName(path.attr) || (dot != std::string_view::npos && !IsAttrName(path.sub))) {
    return Error("invalid attribute path", at);
  }
  if (in_brackets_ && (!path.urn.empty() || !path.sub.empty())) {
    return Error("expected a sub-attribute name", at);
  }
  return path;
}

// REQUIRES: At('.'). The sub-attribute name after a value path's "]".
Result<std::string> Parser::SubAttr() {
  size_t at = ++pos_;
  std::string_view name = TakeWord();
  if (!IsAttrName(name)) return Error("expected a sub-attribute name", at);
  return std::string(name);
}

// PATH = attrPath / valuePath [subAttr]; surrounding whitespace is ignored.
Result<PatchPath> Parser::WholePath() {
  SkipWs();
  if (AtEnd()) return InvalidPath("empty path");
  PatchPath out;
  auto attr = Path();
  if (!attr.ok()) return InvalidPath(attr.error().detail);
  out.attr = std::move(attr).value();
  if (At('[')) {
    if (!out.attr.sub.empty()) return InvalidPath("value filter on a sub-attribute");
    auto inner = Brackets(1);
    if (!inner.ok()) return InvalidPath("invalid value filter: " + inner.error().detail);
    out.value_filter = std::move(inner).value();
    if (At('.')) {
      auto sub = SubAttr();
      if (!sub.ok()) return InvalidPath(sub.error().detail);
      out.sub = std::move(sub).value();
    }
  }
  SkipWs();
  if (!AtEnd()) return InvalidPath("unexpected text at offset " + std::to_string(pos_));
  return out;
}

}  // namespace

std::string ToString(const AttrPath& path) {
  std::string out;
  if (!path.urn.empty()) out.append(path.urn).push_back(':');
  out.append(path.attr);
  if (!path.sub.empty()) out.append(".").append(path.sub);
  return out;
}

Result<FilterPtr> ParseFilter(std::string_view text) { return Parser(text).WholeFilter(); }

Result<PatchPath> ParsePatchPath(std::string_view text) { return Parser(text).WholePath(); }

}  // namespace scim
