#include "core/text_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace core {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// One line of the edit script: ' ' kept, '-' only before, '+' only after.
struct Edit {
  char op;
  std::size_t a, b;  // line indexes in before / after (the one that applies)
};

// The edit script of a longest common subsequence, after trimming the common head and tail.
// Quadratic in the changed middle, which is small for function bodies; a middle of more than
// 4,000 x 4,000 lines is shown as all removed then all added.
std::vector<Edit> edit_script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  std::size_t n = a.size() - head - tail, m = b.size() - head - tail;
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < head; ++i) edits.push_back({' ', i, i});
  if (n * m > 16'000'000) {
    for (std::size_t i = 0; i < n; ++i) edits.push_back({'-', head + i, head});
    for (std::size_t j = 0; j < m; ++j) edits.push_back({'+', head + n, head + j});
  } else {
    // lcs[i][j]: length of the LCS of a's middle from i and b's middle from j.
    std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
      for (std::size_t j = m; j-- > 0;)
        lcs[i][j] = a[head + i] == b[head + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        edits.push_back({' ', head + i++, head + j++});
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        edits.push_back({'-', head + i++, head + j});
      } else {
        edits.push_back({'+', head + i, head + j++});
      }
    }
  }
  for (std::size_t k = 0; k < tail; ++k) edits.push_back({' ', a.size() - tail + k, b.size() - tail + k});
  return edits;
}

}  // namespace

std::string unified_diff(const std::string& before, const std::string& after, const std::string& before_label,
                         const std::string& after_label, int context) {
  if (before == after) return "";
  auto a = lines_of(before), b = lines_of(after);
  auto edits = edit_script(a, b);
  std::string out = fmt::format("--- {}\n+++ {}\n", before_label, after_label);
  const auto ctx = static_cast<std::size_t>(std::max(context, 0));
  std::size_t k = 0;
  while (k < edits.size()) {
    while (k < edits.size() && edits[k].op == ' ') ++k;
    if (k == edits.size()) break;
    // A hunk: from ctx lines before this change to ctx lines after the last change that is within
    // 2*ctx kept lines of the next one.
    std::size_t start = k >= ctx ? k - ctx : 0, end = k;
    while (end < edits.size()) {
      std::size_t next = end;
      while (next < edits.size() && edits[next].op != ' ') ++next;
      std::size_t kept = next;
      while (kept < edits.size() && edits[kept].op == ' ') ++kept;
      if (kept == edits.size() || kept - next > 2 * ctx) {
        end = std::min(next + ctx, edits.size());
        break;
      }
      end = kept;
    }
    std::size_t a_count = 0, b_count = 0;
    for (std::size_t i = start; i < end; ++i) {
      if (edits[i].op != '+') ++a_count;
      if (edits[i].op != '-') ++b_count;
    }
    std::size_t a_first = edits[start].a + (a_count ? 1 : 0), b_first = edits[start].b + (b_count ? 1 : 0);
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_first, a_count, b_first, b_count);
    for (std::size_t i = start; i < end; ++i) {
      const auto& e = edits[i];
      out += e.op;
      out += e.op == '+' ? b[e.b] : a[e.a];
      out += '\n';
    }
    k = end;
  }
  return out;
}

}  // namespace core
