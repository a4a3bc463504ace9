#include "common/scim/text.h"

namespace scim {
namespace {

// Reads n digits at s[pos, pos + n).
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil). REQUIRES: 0 <= y <= 9999, a valid month and day.
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "[.fraction](Z|+hh:mm|-hh:mm)" at s[pos...]: milliseconds (fraction
// truncated) and the offset in minutes east of UTC.
bool ParseFractionAndOffset(std::string_view s, size_t pos, int* ms, int* offset) {
  *ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return false;
    for (size_t i = start; i < start + 3; ++i) *ms = *ms * 10 + (i < pos ? s[i] - '0' : 0);
  }
  if (pos + 1 == s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    *offset = 0;
    return true;
  }
  int h = 0, m = 0;
  if (pos + 6 != s.size() || (s[pos] != '+' && s[pos] != '-') || !Digits(s, pos + 1, 2, &h) ||
      s[pos + 3] != ':' || !Digits(s, pos + 4, 2, &m) || h > 23 || m > 59) {
    return false;
  }
  *offset = (s[pos] == '-' ? -1 : 1) * (h * 60 + m);
  return true;
}

}  // namespace

bool EqualsCi(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitList(std::string_view s) {
  std::vector<std::string_view> items;
  while (!Trim(s).empty()) {
    size_t comma = s.find(',');
    items.push_back(Trim(s.substr(0, comma)));
    s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
  }
  return items;
}

// RFC 3339 §5.6: date-fullyear "-" date-month "-" date-mday "T"
// time-hour ":" time-minute ":" time-second [time-secfrac] time-offset.
std::optional<int64_t> ParseDateTime(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0, offset = 0;
  if (s.size() < 20 || !Digits(s, 0, 4, &y) || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
      !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' ||
      !Digits(s, 17, 2, &sec) || !ParseFractionAndOffset(s, 19, &ms, &offset)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) {
    return std::nullopt;  // sec 60: an RFC 3339 leap second
  }
  int64_t seconds = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset * 60;
  return seconds * 1000 + ms;
}

std::optional<int64_t> ParseDateOrTime(const std::string& text) {
  return ParseDateTime(text.size() == 10 ? text + "T00:00:00Z" : text);
}

}  // namespace scim
