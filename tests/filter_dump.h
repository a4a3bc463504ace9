// Filter trees as S-expressions for test expectations: (eq userName "x"),
// (pr title), (and A B C), (not A), (vp emails A). Nested and/or of one kind
// are flattened, so a dump does not depend on how the parser balances chains.
// And filter trees written back as SCIM filter text (RenderFilter), for
// round-trip tests of the parser.
#ifndef SCIM_TESTS_FILTER_DUMP_H_
#define SCIM_TESTS_FILTER_DUMP_H_

#include <string>
#include <string_view>

#include "common/scim/filter.h"

namespace scim::testing {

inline std::string_view OpName(CompareOp op) {
  static constexpr std::string_view kNames[] = {"eq", "ne", "co", "sw", "ew",
                                                "gt", "ge", "lt", "le"};
  return kNames[static_cast<int>(op)];
}

inline void DumpTo(const Filter& f, std::string* out);

// Appends f's operands; nested operators of the same kind are flattened, so
// the dump does not depend on how the parser balances and/or chains.
inline void DumpOperands(const Filter& f, std::string* out) {
  for (const FilterPtr& operand : {f.left, f.right}) {
    if (operand && operand->kind == f.kind) {
      DumpOperands(*operand, out);
    } else if (operand) {
      out->push_back(' ');
      DumpTo(*operand, out);
    }
  }
}

// S-expression form: (eq userName "x"), (pr title), (and A B C), (not A),
// (vp emails A).
inline void DumpTo(const Filter& f, std::string* out) {
  switch (f.kind) {
    case Filter::Kind::kCompare:
      out->append("(").append(OpName(f.op)).append(" ").append(ToString(f.path));
      out->append(" ").append(ToJson(f.value)).append(")");
      return;
    case Filter::Kind::kPresent:
      out->append("(pr ").append(ToString(f.path)).append(")");
      return;
    case Filter::Kind::kAnd:
    case Filter::Kind::kOr:
      out->append(f.kind == Filter::Kind::kAnd ? "(and" : "(or");
      DumpOperands(f, out);
      out->append(")");
      return;
    case Filter::Kind::kNot:
      out->append("(not ");
      DumpTo(*f.left, out);
      out->append(")");
      return;
    case Filter::Kind::kValuePath:
      out->append("(vp ").append(ToString(f.path)).append(" ");
      DumpTo(*f.left, out);
      out->append(")");
      return;
  }
}

inline std::string Dump(const Filter& f) {
  std::string out;
  DumpTo(f, &out);
  return out;
}

// f as SCIM filter text that ParseFilter reads back into a tree with the
// same Dump: values as JSON literals, operators in lower case, and
// parentheses only where the grammar needs them ("not (…)", and an "or"
// under an "and"), so the text nests no deeper than the filter it came from.
inline std::string RenderFilter(const Filter& f) {
  switch (f.kind) {
    case Filter::Kind::kCompare:
      return ToString(f.path) + " " + std::string(OpName(f.op)) + " " + ToJson(f.value);
    case Filter::Kind::kPresent:
      return ToString(f.path) + " pr";
    case Filter::Kind::kAnd: {
      auto operand = [](const Filter& o) {
        return o.kind == Filter::Kind::kOr ? "(" + RenderFilter(o) + ")" : RenderFilter(o);
      };
      return operand(*f.left) + " and " + operand(*f.right);
    }
    case Filter::Kind::kOr:
      return RenderFilter(*f.left) + " or " + RenderFilter(*f.right);
    case Filter::Kind::kNot:
      return "not (" + RenderFilter(*f.left) + ")";
    case Filter::Kind::kValuePath:
      return ToString(f.path) + "[" + RenderFilter(*f.left) + "]";
  }
  return "";
}

}  // namespace scim::testing

#endif  // SCIM_TESTS_FILTER_DUMP_H_
