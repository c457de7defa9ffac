#include "dictionary/hunspell.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "util/io.h"
#include "util/utf8.h"
#include "util/strings.h"

namespace rumod::internal {
namespace {

// Parses a hunspell condition ("[^аео]ть", ".", "ый") into per-position
// elements, first element = first character of the condition.
bool ParseCondition(const std::u32string& c,
                    std::vector<std::pair<std::u32string, bool>>* out) {
  size_t i = 0;
  while (i < c.size()) {
    if (c[i] == U'.') {
      out->push_back({U"", true});
      ++i;
    } else if (c[i] == U'[') {
      size_t j = c.find(U']', i);
      if (j == std::u32string::npos) return false;
      bool neg = i + 1 < j && c[i + 1] == U'^';
      out->push_back({c.substr(i + 1 + neg, j - i - 1 - neg), neg});
      i = j + 1;
    } else {
      out->push_back({std::u32string(1, c[i]), false});
      ++i;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<Hunspell> Hunspell::Load(std::string_view aff_path,
                                        std::string_view dic_path) {
  auto aff = ReadFile(aff_path);
  if (!aff.ok()) return aff.status();
  auto dic = ReadFile(dic_path);
  if (!dic.ok()) return dic.status();
  Hunspell h;
  int lineno = 0;
  for (std::string_view line : Split(*aff, '\n')) {
    ++lineno;
    std::vector<std::string_view> t = SplitAny(line, " \t\r");
    if (t.empty() || t[0][0] == '#') continue;
    if (t[0] == "SET") {
      if (t.size() < 2 || t[1] != "UTF-8")
        return absl::FailedPreconditionError(
            internal::Cat(aff_path, ":", lineno, ": only SET UTF-8 is supported"));
      continue;
    }
    if (t[0] == "PFX" || t[0] == "FLAG" || t[0] == "COMPLEXPREFIXES")
      return absl::FailedPreconditionError(internal::Cat(
          aff_path, ":", lineno, ": unsupported hunspell feature ", t[0]));
    if (t[0] != "SFX") continue;
    if (t.size() == 4) continue;  // header: SFX flag cross count
    if (t.size() < 5)
      return absl::InvalidArgumentError(
          internal::Cat(aff_path, ":", lineno, ": malformed SFX rule"));
    std::u32string flag = Utf8ToU32(t[1]);
    if (flag.size() != 1)
      return absl::FailedPreconditionError(
          internal::Cat(aff_path, ":", lineno, ": multi-character flag"));
    Rule r;
    if (t[2] != "0") r.strip = Utf8ToU32(t[2]);
    std::string_view add = t[3];
    if (add.find('/') != std::string_view::npos)
      return absl::FailedPreconditionError(internal::Cat(
          aff_path, ":", lineno, ": continuation classes are unsupported"));
    if (add != "0") r.add = Utf8ToU32(add);
    if (!ParseCondition(Utf8ToU32(t[4]), &r.cond))
      return absl::InvalidArgumentError(
          internal::Cat(aff_path, ":", lineno, ": malformed condition"));
    h.rules_[flag[0]].push_back(std::move(r));
  }
  bool first = true;
  for (std::string_view line : Split(*dic, '\n')) {
    if (first) {  // word count
      first = false;
      continue;
    }
    line = StripTrailingSpace(line);
    if (line.empty()) continue;
    size_t slash = line.find('/');
    std::string stem(line.substr(0, slash));
    std::string flags = slash == std::string_view::npos
                            ? std::string()
                            : std::string(line.substr(slash + 1));
    auto [it, inserted] = h.flags_.try_emplace(stem, flags);
    if (inserted) {
      h.order_.push_back(stem);
    } else {
      for (char c : flags)
        if (it->second.find(c) == std::string::npos) it->second.push_back(c);
    }
  }
  return h;
}

void Hunspell::Expand(const std::u32string& w, const std::string& flags,
                      std::vector<std::string>* out) const {
  out->push_back(U32ToUtf8(w));
  for (char32_t f : Utf8ToU32(flags)) {
    auto it = rules_.find(f);
    if (it == rules_.end()) continue;
    for (const Rule& r : it->second) {
      if (r.cond.size() > w.size() || r.strip.size() > w.size()) continue;
      size_t base = w.size() - r.cond.size();
      bool ok = true;
      for (size_t k = 0; k < r.cond.size() && ok; ++k) {
        const auto& [chars, neg] = r.cond[k];
        bool in = chars.find(w[base + k]) != std::u32string::npos;
        ok = neg ? !in : in;
      }
      if (!ok) continue;
      if (w.compare(w.size() - r.strip.size(), r.strip.size(), r.strip) != 0)
        continue;
      std::u32string form = w.substr(0, w.size() - r.strip.size()) + r.add;
      out->push_back(U32ToUtf8(form));
    }
  }
  std::sort(out->begin() + 1, out->end());
  out->erase(std::unique(out->begin() + 1, out->end()), out->end());
}

bool Hunspell::Forms(std::string_view word, std::vector<std::string>* out) const {
  out->clear();
  auto it = flags_.find(absl::string_view(word.data(), word.size()));
  if (it == flags_.end()) return false;
  Expand(Utf8ToU32(word), it->second, out);
  return true;
}

void Hunspell::ForEachWord(
    const std::function<void(const std::string&, const std::vector<std::string>&)>&
        fn) const {
  std::vector<std::string> forms;
  for (const std::string& stem : order_) {
    forms.clear();
    Expand(Utf8ToU32(stem), flags_.at(stem), &forms);
    fn(stem, forms);
  }
}

}  // namespace rumod::internal
