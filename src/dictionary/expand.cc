// Dictionary entries -> Hyperscan patterns (docs/dictionaries.md,
// "How entries are compiled").
#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <functional>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "dictionary/hunspell.h"
#include "dictionary/regex_info.h"
#include "match/engine_rep.h"
#include "util/utf8.h"
#include "util/strings.h"

namespace rumod::internal {
namespace {

absl::Status EntryError(const Entry& e, std::string_view msg) {
  return absl::InvalidArgumentError(
      internal::Cat(e.file, ":", e.line, ": [", e.id, "] ", internal::Quotable(msg, 300)));
}

std::u32string Lower(std::u32string s) {
  for (char32_t& c : s) {
    if (c >= U'А' && c <= U'Я') c += 0x20;
    else if (c == U'Ё') c = U'ё';
    else if (c >= U'A' && c <= U'Z') c += 0x20;
  }
  return s;
}

// Forms of `word` from hunspell-ru, trying the spelling as written, then with
// ё<->е swapped (hunspell-ru lists some words only one way).
bool HunspellForms(const Hunspell& h, const std::string& word,
                   std::vector<std::string>* out) {
  if (h.Forms(word, out)) return true;
  std::u32string w = Utf8ToU32(word);
  std::u32string e = w;
  bool has_yo = false;
  for (char32_t& c : e)
    if (c == U'ё') { c = U'е'; has_yo = true; }
  if (has_yo && h.Forms(U32ToUtf8(e), out)) return true;
  // Try each е as ё (козел -> козёл).
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] != U'е') continue;
    std::u32string y = w;
    y[i] = U'ё';
    if (h.Forms(U32ToUtf8(y), out)) return true;
  }
  return false;
}

// "Inflect like": forms of `like` with its stem replaced by the lemma's.
absl::Status FormsLike(const Hunspell& h, const Entry& e,
                       std::vector<std::string>* out) {
  std::vector<std::string> model;
  if (!HunspellForms(h, e.like, &model))
    return EntryError(e, internal::Cat("like=", e.like, " is not in hunspell-ru"));
  // ё and е are one letter after normalization; compare endings that way.
  auto fold = [](std::u32string w) {
    for (char32_t& c : w)
      if (c == U'ё') c = U'е';
    return w;
  };
  // Each model form is the model lemma with some letters stripped from its
  // end and others added, like a hunspell suffix rule; apply the same rule to
  // the lemma when it ends with the same stripped letters (a form the lemma
  // cannot take, e.g. a comparative, is skipped).
  std::u32string m0 = fold(Lower(Utf8ToU32(model[0])));
  std::u32string lemma = fold(Lower(Utf8ToU32(e.pattern)));
  size_t mapped = 0;
  for (const auto& mf : model) {
    std::u32string f = fold(Lower(Utf8ToU32(mf)));
    size_t p = 0;
    while (p < m0.size() && p < f.size() && m0[p] == f[p]) ++p;
    std::u32string strip = m0.substr(p);
    if (lemma.size() <= strip.size() ||
        lemma.compare(lemma.size() - strip.size(), strip.size(), strip) != 0)
      continue;
    out->push_back(U32ToUtf8(lemma.substr(0, lemma.size() - strip.size()) + f.substr(p)));
    ++mapped;
  }
  if (mapped * 2 < model.size())
    return EntryError(e, internal::Cat("lemma does not end like ", e.like, ": only ", mapped,
                                       " of ", model.size(), " forms apply"));
  return absl::OkStatus();
}

// Hyperscan source for a literal byte string: every byte as \xHH.
std::string EscapeLiteral(std::string_view bytes) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 4);
  for (unsigned char c : bytes) {
    out += "\\x";
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  }
  return out;
}

// Regex entry source (UTF-8, Cyrillic letters) -> regex over the compact
// alphabet: Cyrillic letters become \xHH escapes, ASCII passes through.
absl::StatusOr<std::string> TranslateRegex(const Entry& e) {
  std::string out;
  static const char* hex = "0123456789abcdef";
  for (char32_t c : Lower(Utf8ToU32(e.pattern))) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    uint8_t b = EncodeCompact(c);
    if (b == 0)
      return EntryError(e, "regex contains a character outside the normalized "
                           "alphabet (use lower-case Cyrillic, ё as е)");
    out += "\\x";
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 15]);
  }
  return out;
}

// The strings of a regex whose language is finite and small: only literal
// bytes, \xHH escapes, escaped punctuation, groups, '|' and '?' (after a
// byte or a group). Such regexes (most spam and phrase-like entries) are
// compiled as literals, which Hyperscan scans several times faster than
// regexes. Returns false for anything else ([...], *, +, {}, ., anchors) or
// when the language exceeds `limit` strings; the regex is then kept.
bool FiniteRegex(std::string_view re, size_t limit, std::vector<std::string>* out) {
  size_t i = 0;
  // alt := seq ('|' seq)* ; seq := (atom '?'?)* ; atom := byte | '(' alt ')'
  std::function<bool(std::vector<std::string>*)> alt;
  auto atom = [&](std::vector<std::string>* res) -> bool {
    if (i >= re.size()) return false;
    char c = re[i];
    if (c == '(') {
      ++i;
      if (!alt(res) || i >= re.size() || re[i] != ')') return false;
      ++i;
      return true;
    }
    if (std::strchr("[]{}*+.^$)|?", c)) return false;
    if (c == '\\') {
      if (i + 1 >= re.size()) return false;
      char d = re[i + 1];
      if (d == 'x') {
        if (i + 3 >= re.size() || !std::isxdigit(static_cast<unsigned char>(re[i + 2])) ||
            !std::isxdigit(static_cast<unsigned char>(re[i + 3])))
          return false;
        *res = {std::string(1, static_cast<char>(std::stoi(std::string(re.substr(i + 2, 2)),
                                                             nullptr, 16)))};
        i += 4;
        return true;
      }
      if (std::isalnum(static_cast<unsigned char>(d))) return false;  // \b \d \s ...
      *res = {std::string(1, d)};
      i += 2;
      return true;
    }
    *res = {std::string(1, c)};
    ++i;
    return true;
  };
  auto seq = [&](std::vector<std::string>* res) -> bool {
    *res = {std::string()};
    while (i < re.size() && re[i] != '|' && re[i] != ')') {
      std::vector<std::string> a;
      if (!atom(&a)) return false;
      if (i < re.size() && re[i] == '?') {
        ++i;
        a.push_back("");
      }
      std::vector<std::string> next;
      for (const auto& x : *res)
        for (const auto& y : a) next.push_back(x + y);
      if (next.size() > limit) return false;
      *res = std::move(next);
    }
    return true;
  };
  alt = [&](std::vector<std::string>* res) -> bool {
    res->clear();
    for (;;) {
      std::vector<std::string> s;
      if (!seq(&s)) return false;
      res->insert(res->end(), s.begin(), s.end());
      if (res->size() > limit) return false;
      if (i < re.size() && re[i] == '|') {
        ++i;
        continue;
      }
      return true;
    }
  };
  std::vector<std::string> res;
  if (!alt(&res) || i != re.size()) return false;
  std::sort(res.begin(), res.end());
  res.erase(std::unique(res.begin(), res.end()), res.end());
  for (const auto& r : res)
    if (r.empty()) return false;
  *out = std::move(res);
  return true;
}

class Builder {
 public:
  Builder(const CompileOptions& o, Engine::Rep* rep) : opt_(o), rep_(rep) {}

  absl::Status Run() {
    const auto& entries = rep_->entries;
    rep_->roles.assign(entries.size(), RuleRole::kEntry);
    for (uint32_t i = 0; i < entries.size(); ++i) {
      const Entry& e = entries[i];
      if (e.kind == EntryKind::kExcept) rep_->roles[i] = RuleRole::kException;
      if (e.kind == EntryKind::kCombo) rep_->roles[i] = RuleRole::kCombo;
      absl::Status st = AddEntry(i, e);
      if (!st.ok()) return st;
    }
    for (const std::string& w : AddresseeCues()) {
      uint32_t rule = rep_->roles.size();
      rep_->roles.push_back(RuleRole::kCue);
      rep_->cue_words.push_back(w);
      // Appends, not " " + x + " ": GCC 12 warns (-Wrestrict, a false
      // positive) on the inlined operator+ chain.
      std::string bytes(1, ' ');
      bytes += Norm(w);
      bytes += ' ';
      AddLiteral(rule, std::move(bytes));
    }
    return absl::OkStatus();
  }

 private:
  static bool IsProfanity(const Entry& e) {
    return e.category == Category::kProfanity || e.also == Category::kProfanity;
  }
  // Forms of word and lemma entries that masks may hide: every profanity
  // form, and the 4+ letter forms of name-calling ("ты д*бил", "и**от") and
  // of the tag words combos read ("бабы ту*ые"). The classifier reads those
  // only exactly (one letter per mask symbol, see FindMaskHits). Slurs of
  // the other categories are not: masked names and towns spell them
  // ("НИ*А", "ТВ*РЬЮ"); neither are roots, which take any ending ("хо*ошо"
  // read as хохл-).
  static bool MaskedForm(const Entry& e, std::string_view form) {
    return IsProfanity(e) ||
           (form.size() >= 4 && e.category != Category::kSpam &&
            (e.tag_only || e.category == Category::kInsult));
  }

  std::string Norm(std::string_view s) { return rep_->normalizer.NormalizeForm(s); }

  absl::StatusOr<const Hunspell*> Dict() {
    if (!hunspell_) {
      auto h = Hunspell::Load(opt_.hunspell_aff, opt_.hunspell_dic);
      if (!h.ok()) return h.status();
      hunspell_ = std::make_unique<Hunspell>(*std::move(h));
    }
    return hunspell_.get();
  }

  void AddLiteral(uint32_t rule, std::string bytes) {
    if (!seen_.insert({bytes, rule}).second) return;
    CompiledPattern p;
    p.expr = std::move(bytes);
    p.rule = rule;
    p.type = PatternType::kLiteral;
    rep_->patterns.push_back(std::move(p));
  }

  // Normalizes one word form; it must stay one non-empty word.
  absl::StatusOr<std::string> WordForm(const Entry& e, std::string_view form) {
    std::string n = Norm(form);
    if (n.empty()) return EntryError(e, internal::Cat("form '", form, "' normalizes to nothing"));
    if (n.find(' ') != std::string::npos)
      return EntryError(e, internal::Cat("form '", form, "' is not one word after normalization"));
    return n;
  }

  absl::Status AddEntry(uint32_t rule, const Entry& e) {
    switch (e.kind) {
      case EntryKind::kLemma: {
        auto h = Dict();
        if (!h.ok()) return EntryError(e, Msg(h.status().message()));
        std::vector<std::string> forms;
        if (!e.like.empty()) {
          absl::Status st = FormsLike(**h, e, &forms);
          if (!st.ok()) return st;
        } else if (!HunspellForms(**h, e.pattern, &forms)) {
          return EntryError(e, internal::Cat("lemma '", e.pattern,
                                            "' is not in hunspell-ru; add like=<word>"));
        }
        for (const auto& f : e.extra_forms) forms.push_back(f);
        absl::flat_hash_set<std::string> seen_forms;
        for (const auto& f : forms) {
          auto n = WordForm(e, f);
          if (!n.ok()) return n.status();
          AddLiteral(rule, " " + *n + " ");
          if (MaskedForm(e, *n) && seen_forms.insert(*n).second)
            rep_->mask_targets.push_back({*n, rule, MaskAnchor::kWholeWord});
        }
        return absl::OkStatus();
      }
      case EntryKind::kWord: {
        std::vector<std::string> forms = {e.pattern};
        for (const auto& f : e.extra_forms) forms.push_back(f);
        for (const auto& f : forms) {
          auto n = WordForm(e, f);
          if (!n.ok()) return n.status();
          AddLiteral(rule, " " + *n + " ");
          if (MaskedForm(e, *n))
            rep_->mask_targets.push_back({*n, rule, MaskAnchor::kWholeWord});
        }
        return absl::OkStatus();
      }
      case EntryKind::kRoot: {
        auto n = WordForm(e, e.pattern);
        if (!n.ok()) return n.status();
        const bool masked = IsProfanity(e) && n->size() >= 3;
        if (e.position == RootPosition::kAny) {
          AddLiteral(rule, *n);
          if (masked) rep_->mask_targets.push_back({*n, rule, MaskAnchor::kAnywhere});
        } else {
          AddLiteral(rule, " " + *n);
          if (masked) rep_->mask_targets.push_back({*n, rule, MaskAnchor::kWordStart});
          for (const auto& p : e.prefixes) {
            auto pn = WordForm(e, p + e.pattern);
            if (!pn.ok()) return pn.status();
            AddLiteral(rule, " " + *pn);
            if (IsProfanity(e))
              rep_->mask_targets.push_back({*pn, rule, MaskAnchor::kWordStart});
          }
        }
        return absl::OkStatus();
      }
      case EntryKind::kPhrase: {
        std::vector<std::string_view> words = Split(e.pattern, ' ', true);
        if (words.empty()) return EntryError(e, "empty phrase");
        bool any_star = false;
        std::string literal = " ", regex = " ";
        for (size_t i = 0; i < words.size(); ++i) {
          std::string w(words[i]);
          bool star = !w.empty() && w.back() == '*';
          if (star) w.pop_back();
          if (w.empty()) return EntryError(e, "phrase word is only '*'");
          auto n = WordForm(e, w);
          if (!n.ok()) return n.status();
          if (i) {
            literal += " ";
            regex += "\\x20";
          }
          literal += *n;
          regex += EscapeLiteral(*n);
          if (star) {
            any_star = true;
            regex += "[^\\x20]*";
          }
        }
        if (!any_star) {
          AddLiteral(rule, literal + " ");
        } else {
          CompiledPattern p;
          p.expr = regex + "\\x20";
          p.rule = rule;
          p.type = PatternType::kRegex;
          rep_->patterns.push_back(std::move(p));
        }
        return absl::OkStatus();
      }
      case EntryKind::kRegex: {
        auto r = TranslateRegex(e);
        if (!r.ok()) return r.status();
        std::vector<std::string> lits;
        if (FiniteRegex(*r, 512, &lits)) {
          for (std::string& l : lits) AddLiteral(rule, std::move(l));
          return absl::OkStatus();
        }
        CompiledPattern p;
        p.expr = *r;
        p.rule = rule;
        p.type = PatternType::kRegex;
        rep_->patterns.push_back(std::move(p));
        return absl::OkStatus();
      }
      case EntryKind::kCombo:
        return absl::OkStatus();  // evaluated over tagged hits (BuildCombos)
      case EntryKind::kExcept: {
        std::string pat = e.pattern;
        bool lead = !pat.empty() && pat.front() == '^';
        if (lead) pat.erase(0, 1);
        bool trail = !pat.empty() && pat.back() == '$';
        if (trail) pat.pop_back();
        auto n = WordForm(e, pat);
        if (!n.ok()) return n.status();
        AddLiteral(rule, (lead ? " " : "") + *n + (trail ? " " : ""));
        return absl::OkStatus();
      }
    }
    return absl::OkStatus();
  }

  const CompileOptions& opt_;
  Engine::Rep* rep_;
  std::unique_ptr<Hunspell> hunspell_;
  absl::flat_hash_set<std::pair<std::string, uint32_t>> seen_;
};

}  // namespace

const std::vector<std::string>& AddresseeCues() {
  static const auto* cues = new std::vector<std::string>{
      "ты", "тебя", "тебе", "тобой", "тобою", "вы", "вас", "вам", "вами",
      "твой", "твоя", "твое", "твои", "твоего", "твоей", "твоему", "твоим",
      "твоих", "твоими", "твою", "ваш", "ваша", "ваше", "ваши", "вашего",
      "вашей", "вашему", "вашим", "ваших", "вашими", "вашу", "он", "она",
      "они", "эй", "сам", "сама", "сами", "ты-то", "этот", "эта", "эти",
      // greetings and calls that open a vocative without a comma
      "здравствуй", "здравствуйте", "привет", "слышь", "слышишь", "алло"};
  return *cues;
}

absl::Status BuildPatterns(const CompileOptions& options, Engine::Rep* rep) {
  return Builder(options, rep).Run();
}

absl::Status BuildCombos(Engine::Rep* rep) {
  absl::flat_hash_map<std::string, uint8_t> ids;
  rep->rule_tags.assign(rep->roles.size(), 0);
  for (size_t i = 0; i < rep->entries.size(); ++i) {
    for (const std::string& t : rep->entries[i].tags) {
      auto [it, inserted] = ids.try_emplace(t, static_cast<uint8_t>(ids.size()));
      if (inserted && ids.size() > 64)
        return EntryError(rep->entries[i], "more than 64 distinct tags");
      rep->rule_tags[i] |= uint64_t{1} << it->second;
    }
  }
  rep->combos.clear();
  for (size_t i = 0; i < rep->entries.size(); ++i) {
    const Entry& e = rep->entries[i];
    if (e.kind != EntryKind::kCombo) continue;
    Combo c;
    c.rule = static_cast<uint32_t>(i);
    c.window = static_cast<uint32_t>(e.window);
    c.ordered = e.ordered;
    for (const ComboTerm& t : e.terms) {
      auto it = ids.find(t.tag);
      if (it == ids.end())
        return EntryError(e, Cat("no entry has tag '", t.tag, "'"));
      if (t.negated) {
        c.forbidden |= uint64_t{1} << it->second;
      } else {
        c.required.push_back(it->second);
        c.positive |= uint64_t{1} << it->second;
      }
    }
    rep->combos.push_back(std::move(c));
  }
  rep->combo_masks_by_low_tag.assign(64, {});
  for (const Combo& c : rep->combos) {
    auto& list = rep->combo_masks_by_low_tag[std::countr_zero(c.positive)];
    const Engine::Rep::ComboMasks masks{c.positive, c.positive | c.forbidden};
    if (std::find(list.begin(), list.end(), masks) == list.end()) list.push_back(masks);
  }
  return absl::OkStatus();
}

namespace {

// Compiles `exprs` into a block-mode database; `*expr_error` gets the index
// (into `exprs`) of the expression Hyperscan rejected, or -1.
absl::Status CompileMulti(const std::vector<const char*>& exprs,
                          const std::vector<unsigned>& flags,
                          const std::vector<unsigned>& ids, hs_database_t** db,
                          int* expr_error) {
  hs_compile_error_t* err = nullptr;
  *expr_error = -1;
  hs_error_t rc = hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                                   static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                                   nullptr, db, &err);
  if (rc == HS_SUCCESS) return absl::OkStatus();
  std::string msg = err && err->message ? err->message : "unknown error";
  *expr_error = err ? err->expression : -1;
  hs_free_compile_error(err);
  return absl::InvalidArgumentError(msg);
}

}  // namespace

// True when pattern `p` can only match a view with an ASCII digit.
bool NeedsDigit(const CompiledPattern& p) {
  if (p.type == PatternType::kLiteral)
    return std::any_of(p.expr.begin(), p.expr.end(), [](char c) { return c >= '0' && c <= '9'; });
  return RegexAlwaysHasDigit(p.expr);
}

absl::Status CompileDatabase(Engine::Rep* rep) {
  std::vector<std::string> sources;
  sources.reserve(rep->patterns.size() + 2);
  // Two sets: patterns that need a digit go to the digit database.
  std::vector<const char*> exprs[2];
  std::vector<unsigned> flags[2], ids[2], som_ids;
  for (size_t i = 0; i < rep->patterns.size(); ++i) {
    const CompiledPattern& p = rep->patterns[i];
    sources.push_back(p.type == PatternType::kLiteral ? EscapeLiteral(p.expr) : p.expr);
  }
  for (size_t i = 0; i < rep->patterns.size(); ++i) {
    const int set = NeedsDigit(rep->patterns[i]) ? 1 : 0;
    exprs[set].push_back(sources[i].c_str());
    flags[set].push_back(HS_FLAG_DOTALL);
    ids[set].push_back(static_cast<unsigned>(i));
    if (rep->patterns[i].type == PatternType::kRegex) som_ids.push_back(static_cast<unsigned>(i));
  }
  if (exprs[0].empty()) {
    // Hyperscan rejects an empty set: a pattern that cannot match (the
    // normalized view never contains byte 0x02).
    sources.push_back("\\x02\\x02\\x02");
    exprs[0].push_back(sources.back().c_str());
    flags[0].push_back(0);
    ids[0].push_back(0xFFFFFFFFu);
  }
  auto fail = [&](const absl::Status& st, int expr,
                  const std::vector<unsigned>& id_of) -> absl::Status {
    if (expr >= 0 && static_cast<size_t>(expr) < id_of.size() &&
        id_of[expr] < rep->patterns.size()) {
      uint32_t rule = rep->patterns[id_of[expr]].rule;
      if (rule < rep->entries.size())
        return EntryError(rep->entries[rule], internal::Cat("Hyperscan: ", st.message()));
    }
    return absl::InvalidArgumentError(
        internal::Cat("Hyperscan compile failed: ", st.message()));
  };
  hs_database_t* db = nullptr;
  hs_database_t* digit_db = nullptr;
  int expr = -1;
  absl::Status st = CompileMulti(exprs[0], flags[0], ids[0], &db, &expr);
  if (!st.ok()) return fail(st, expr, ids[0]);
  if (!exprs[1].empty()) {
    st = CompileMulti(exprs[1], flags[1], ids[1], &digit_db, &expr);
    if (!st.ok()) {
      hs_free_database(db);
      return fail(st, expr, ids[1]);
    }
  }
  std::vector<hs_database_t*> som_dbs;
  std::vector<int32_t> som_index(rep->patterns.size(), -1);
  for (unsigned id : som_ids) {
    hs_database_t* d = nullptr;
    st = CompileMulti({sources[id].c_str()}, {HS_FLAG_DOTALL | HS_FLAG_SOM_LEFTMOST}, {id},
                      &d, &expr);
    if (!st.ok()) {
      hs_free_database(db);
      if (digit_db) hs_free_database(digit_db);
      for (hs_database_t* x : som_dbs) hs_free_database(x);
      return fail(st, 0, {id});
    }
    som_index[id] = static_cast<int32_t>(som_dbs.size());
    som_dbs.push_back(d);
  }
  if (rep->db) hs_free_database(rep->db);
  if (rep->digit_db) hs_free_database(rep->digit_db);
  for (hs_database_t* x : rep->som_dbs) hs_free_database(x);
  rep->db = db;
  rep->digit_db = digit_db;
  rep->som_dbs = std::move(som_dbs);
  rep->som_index = std::move(som_index);
  rep->db_has_som = false;
  DeriveRegexShapes(rep);
  return absl::OkStatus();
}

void DeriveRegexShapes(Engine::Rep* rep) {
  rep->regex_shapes.clear();
  uint32_t window = 0;
  for (const CompiledPattern& p : rep->patterns) {
    // The patterns NeedsDigit puts in digit_db, each parsed once here.
    uint32_t run;
    if (p.type == PatternType::kLiteral) {
      if (!NeedsDigit(p)) continue;
      run = LongestNondigitRun(p.expr);
    } else {
      const RegexShape& shape = rep->regex_shapes.emplace_back(AnalyzeRegex(p.expr));
      if (!shape.always_digit) continue;
      run = shape.anchored ? RegexShape::kUnbounded : shape.max_nondigit_run;
    }
    window = std::max(window, run);
  }
  rep->digit_window = window;
}

bool AllocScratch(const Engine::Rep& rep, hs_scratch_t** scratch) {
  if (hs_alloc_scratch(rep.db, scratch) != HS_SUCCESS) return false;
  if (rep.digit_db && hs_alloc_scratch(rep.digit_db, scratch) != HS_SUCCESS) return false;
  for (hs_database_t* d : rep.som_dbs)
    if (hs_alloc_scratch(d, scratch) != HS_SUCCESS) return false;
  return true;
}

}  // namespace rumod::internal
