// rumod._rumod — the native half of the rumod Python package.
//
// A thin layer: Python str <-> UTF-8 conversion, byte offsets -> str indices,
// GIL release around every scan and every SQLite call, absl::Status ->
// rumod.Error subclasses. The Pythonic surface (dataclasses for blacklist
// records, datetime conversion, docs) lives in bindings/python/rumod/.
//
// Threading: an Engine wrapper owns a pool of rumod::Scratch; classify()
// borrows one for the call with the GIL released, so Python threads classify
// in parallel. classify_batch() converts every text under the GIL (holding a
// reference to each), then releases the GIL and runs native threads, each
// with its own Scratch, like the CLI's ParallelFor.
#include <nanobind/nanobind.h>
#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "rumod/blacklist.h"
#include "rumod/clock.h"
#include "rumod/engine.h"
#include "rumod/policy.h"
#include "rumod/spam_tracker.h"
#include "rumod/verdict.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace rumod::python {
namespace {

// ---------------------------------------------------------------------------
// Errors: absl::Status -> rumod.Error subclasses.

struct ErrorClass {
  absl::StatusCode code;
  const char* name;
  const char* extra_base;  // builtin also used as a base ("" = none)
  const char* doc;
};

constexpr ErrorClass kErrorClasses[] = {
    {absl::StatusCode::kInvalidArgument, "InvalidArgumentError", "ValueError",
     "An argument or input file is invalid (absl INVALID_ARGUMENT). Also a ValueError."},
    {absl::StatusCode::kNotFound, "NotFoundError", "LookupError",
     "A file, record or ban does not exist (absl NOT_FOUND). Also a LookupError."},
    {absl::StatusCode::kAlreadyExists, "AlreadyExistsError", "",
     "The object already exists (absl ALREADY_EXISTS)."},
    {absl::StatusCode::kFailedPrecondition, "FailedPreconditionError", "",
     "The system is not in a state required for the operation, e.g. an engine "
     "file from another platform or a newer database schema (absl FAILED_PRECONDITION)."},
    {absl::StatusCode::kDataLoss, "DataLossError", "",
     "Unrecoverable data corruption, e.g. a bad checksum in an engine file (absl DATA_LOSS)."},
    {absl::StatusCode::kUnavailable, "UnavailableError", "",
     "Transient failure, e.g. the SQLite database stayed locked longer than "
     "busy_timeout_ms (absl UNAVAILABLE). Retrying may succeed."},
    {absl::StatusCode::kOutOfRange, "OutOfRangeError", "ValueError",
     "A value is outside the valid range (absl OUT_OF_RANGE). Also a ValueError."},
    {absl::StatusCode::kPermissionDenied, "PermissionDeniedError", "",
     "The caller lacks permission, e.g. a read-only file (absl PERMISSION_DENIED)."},
    {absl::StatusCode::kResourceExhausted, "ResourceExhaustedError", "",
     "Out of a resource, e.g. memory or disk (absl RESOURCE_EXHAUSTED)."},
    {absl::StatusCode::kUnimplemented, "UnimplementedError", "",
     "The operation is not implemented (absl UNIMPLEMENTED)."},
    {absl::StatusCode::kInternal, "InternalError", "",
     "An internal invariant failed, e.g. an SQLite error (absl INTERNAL)."},
};
constexpr int kNumErrorClasses = sizeof(kErrorClasses) / sizeof(kErrorClasses[0]);

PyObject* g_error = nullptr;                       // rumod.Error
PyObject* g_error_classes[kNumErrorClasses] = {};  // subclasses, in kErrorClasses order

class StatusError : public std::exception {
 public:
  explicit StatusError(absl::Status s) : status_(std::move(s)) {}
  const char* what() const noexcept override { return "rumod status error"; }
  const absl::Status& status() const { return status_; }

 private:
  absl::Status status_;
};

void RaiseStatus(const absl::Status& s) {
  PyObject* cls = g_error;
  for (int i = 0; i < kNumErrorClasses; ++i)
    if (kErrorClasses[i].code == s.code()) cls = g_error_classes[i];
  auto msg = s.message();  // absl::string_view in Debian's abseil
  std::string text(msg.data(), msg.size());
  PyObject* msg_str = PyUnicode_DecodeUTF8(text.data(), (Py_ssize_t)text.size(), "replace");
  if (!msg_str) return;
  PyObject* exc = PyObject_CallOneArg(cls, msg_str);
  Py_DECREF(msg_str);
  if (!exc) return;
  std::string code = absl::StatusCodeToString(s.code());
  PyObject* code_str = PyUnicode_FromStringAndSize(code.data(), code.size());
  if (code_str) {
    PyObject_SetAttrString(exc, "status_code", code_str);
    Py_DECREF(code_str);
  }
  PyErr_SetObject(cls, exc);
  Py_DECREF(exc);
}

void Check(const absl::Status& s) {
  if (!s.ok()) throw StatusError(s);
}
template <class T>
T Unwrap(absl::StatusOr<T> s) {
  if (!s.ok()) throw StatusError(s.status());
  return *std::move(s);
}

void MakeErrors(nb::module_& m) {
  g_error = PyErr_NewExceptionWithDoc(
      "rumod.Error",
      "Base class of every error rumod raises for a failed operation. "
      "`status_code` holds the absl status code name (e.g. 'NOT_FOUND').",
      PyExc_Exception, nullptr);
  if (!g_error) throw nb::python_error();
  m.attr("Error") = nb::borrow(g_error);
  for (int i = 0; i < kNumErrorClasses; ++i) {
    const ErrorClass& c = kErrorClasses[i];
    nb::object bases;
    if (*c.extra_base) {
      nb::object builtin = nb::module_::import_("builtins").attr(c.extra_base);
      bases = nb::make_tuple(nb::borrow(g_error), builtin);
    } else {
      bases = nb::make_tuple(nb::borrow(g_error));
    }
    std::string full = std::string("rumod.") + c.name;
    PyObject* cls = PyErr_NewExceptionWithDoc(full.c_str(), c.doc, bases.ptr(), nullptr);
    if (!cls) throw nb::python_error();
    g_error_classes[i] = cls;
    std::string code = absl::StatusCodeToString(c.code);
    PyObject_SetAttrString(cls, "code", nb::str(code.c_str()).ptr());
    m.attr(c.name) = nb::borrow(cls);
  }
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const StatusError& e) {
      RaiseStatus(e.status());
    }
  });
}

// ---------------------------------------------------------------------------
// Text conversion.

// UTF-8 bytes of a Python str, valid while `keep` and the str are alive.
struct Utf8Text {
  std::string_view bytes;
  nb::object keep;     // the surrogatepass-encoded bytes object, if any
  bool ascii = false;  // byte offsets == str indices
};

[[noreturn]] void ThrowNotStr(nb::handle h, const char* what) {
  std::string msg = std::string(what) + " must be str, not " +
                    std::string(Py_TYPE(h.ptr())->tp_name);
  throw nb::type_error(msg.c_str());
}

// str -> UTF-8. The fast path borrows CPython's cached UTF-8 (zero-copy for
// ASCII). A str with lone surrogates (not encodable as UTF-8) is encoded with
// 'surrogatepass': each surrogate becomes 3 invalid bytes, which the engine
// replaces by U+FFFD (flag invalid_utf8); str indices stay exact because
// every code point still starts with exactly one non-continuation byte.
Utf8Text GetText(nb::handle h, const char* what = "text") {
  if (!PyUnicode_Check(h.ptr())) ThrowNotStr(h, what);
  Utf8Text t;
  Py_ssize_t n = 0;
  const char* p = PyUnicode_AsUTF8AndSize(h.ptr(), &n);
  if (p) {
    t.bytes = std::string_view(p, static_cast<size_t>(n));
    t.ascii = PyUnicode_IS_ASCII(h.ptr());
    return t;
  }
  PyErr_Clear();
  PyObject* b = PyUnicode_AsEncodedString(h.ptr(), "utf-8", "surrogatepass");
  if (!b) throw nb::python_error();
  t.keep = nb::steal(b);
  t.bytes = std::string_view(PyBytes_AS_STRING(b), static_cast<size_t>(PyBytes_GET_SIZE(b)));
  return t;
}

// Byte offsets -> code point (str) indices: the number of bytes that are not
// UTF-8 continuation bytes before the offset. Incremental: walks forward or
// back from the previous offset, so the begin/end offsets of matches sorted
// by begin cost linear time in all (a restart from byte 0 for every match
// that began before the previous one ended was quadratic).
class CpIndexer {
 public:
  CpIndexer(std::string_view s, bool ascii) : s_(s), ascii_(ascii) {}
  uint32_t operator()(uint32_t off) {
    if (off > s_.size()) off = static_cast<uint32_t>(s_.size());
    if (ascii_) return off;
    for (; pos_ > off; --pos_) cp_ -= (static_cast<uint8_t>(s_[pos_ - 1]) & 0xC0) != 0x80;
    for (; pos_ < off; ++pos_) cp_ += (static_cast<uint8_t>(s_[pos_]) & 0xC0) != 0x80;
    return cp_;
  }

 private:
  std::string_view s_;
  bool ascii_;
  uint32_t pos_ = 0, cp_ = 0;
};

// ---------------------------------------------------------------------------
// Interned names.

PyObject* g_category_names[kNumCategories] = {};
PyObject* g_trait_names[kNumTraits] = {};

constexpr std::pair<uint32_t, const char*> kFlagNames[] = {
    {kInputInvalidUtf8, "invalid_utf8"},   {kInputConfusables, "confusables"},
    {kInputMasked, "masked"},              {kInputSplitLetters, "split_letters"},
    {kInputStretched, "stretched"},        {kInputInvisible, "invisible"},
    {kInputTruncated, "truncated"}};

void InternNames() {
  for (int i = 0; i < kNumCategories; ++i) {
    std::string n(CategoryName(static_cast<Category>(i)));
    g_category_names[i] = PyUnicode_InternFromString(n.c_str());
  }
  for (int i = 0; i < kNumTraits; ++i) {
    std::string n(TraitName(static_cast<Trait>(i)));
    g_trait_names[i] = PyUnicode_InternFromString(n.c_str());
  }
}

nb::object CatStr(Category c) { return nb::borrow(g_category_names[static_cast<int>(c)]); }
nb::object TraitStr(Trait t) { return nb::borrow(g_trait_names[static_cast<int>(t)]); }

Category ParseCategoryOrThrow(std::string_view name) {
  auto c = ParseCategory(name);
  if (!c) {
    std::string msg = "unknown category '" + std::string(name) +
                      "' (expected spam, profanity, insult, hate or discrimination)";
    throw StatusError(absl::InvalidArgumentError(msg));
  }
  return *c;
}

// UTF-8 bytes from the engine -> str. Bytes that are not valid UTF-8 (a
// lone surrogate the caller passed, encoded with surrogatepass, can reach a
// spam signal's form) become U+FFFD instead of raising.
nb::str Str(std::string_view s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (!o) throw nb::python_error();
  return nb::steal<nb::str>(o);
}

// str (possibly with lone surrogates) -> UTF-8 for human-readable output.
std::string Utf8Lossy(nb::handle h) {
  PyObject* b = PyUnicode_AsEncodedString(h.ptr(), "utf-8", "replace");
  if (!b) throw nb::python_error();
  std::string out(PyBytes_AS_STRING(b), static_cast<size_t>(PyBytes_GET_SIZE(b)));
  Py_DECREF(b);
  return out;
}

// A float as the Python float with the same shortest decimal form (0.95f ->
// 0.95, not 0.9500000476837158).
nb::float_ Float(float f) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf - 1, f);
  *r.ptr = 0;
  return nb::float_(std::strtod(buf, nullptr));
}

double ToSeconds(absl::Time t) { return static_cast<double>(absl::ToUnixMicros(t)) / 1e6; }
// Unix seconds of 0001-01-01 and 9999-12-31T23:59:59 (the RFC 3339 range):
// times outside it, NaN and infinities are InvalidArgumentError (a float
// cast to an integer past its range is undefined behaviour).
constexpr double kMinSeconds = -62135596800.0, kMaxSeconds = 253402300799.0;
absl::Time FromSeconds(double s) {
  if (!(s >= kMinSeconds && s <= kMaxSeconds))
    Check(absl::InvalidArgumentError(absl::StrCat(
        "time ", s, " (Unix seconds) is not finite or outside years 1..9999")));
  return absl::FromUnixMicros(static_cast<int64_t>(s * 1e6 + (s >= 0 ? 0.5 : -0.5)));
}
// A span of seconds (windows, clock moves): finite and within that range.
absl::Duration SecondsDuration(double s) {
  if (!(s >= -(kMaxSeconds - kMinSeconds) && s <= kMaxSeconds - kMinSeconds))
    Check(absl::InvalidArgumentError(
        absl::StrCat("duration ", s, " s is not finite or longer than 10,000 years")));
  return absl::Microseconds(static_cast<int64_t>(s * 1e6));
}
nb::object OptSeconds(absl::Time t) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return nb::none();
  return nb::float_(ToSeconds(t));
}

// ---------------------------------------------------------------------------
// Verdict and Match.

// What a worker thread produces for one text (no Python objects).
struct Result {
  Verdict v;
  std::vector<std::pair<uint32_t, uint32_t>> cp;  // str indices of v.matches
};

void FillIndices(const Utf8Text& t, Result* r) {
  r->cp.clear();
  if (r->v.matches.empty()) return;
  CpIndexer ix(t.bytes, t.ascii);
  r->cp.reserve(r->v.matches.size());
  for (const Match& m : r->v.matches) {
    uint32_t b = ix(m.begin);
    uint32_t e = ix(m.end);
    r->cp.emplace_back(b, e);
  }
}

struct PyMatch {
  nb::object rule, category, trait, text, form, view;
  uint32_t start = 0, end = 0, byte_start = 0, byte_end = 0;
  float weight = 0;
  bool aimed = false;
};

struct PyVerdict {
  Result r;
  nb::object text;     // the classified str
  nb::object matches;  // tuple of Match, built on first access
};

nb::object Labels(const Verdict& v) {
  PyObject* t = PyTuple_New(static_cast<Py_ssize_t>(v.labels.size()));
  for (size_t i = 0; i < v.labels.size(); ++i)
    PyTuple_SET_ITEM(t, i, CatStr(v.labels[i]).release().ptr());
  return nb::steal(t);
}
nb::object Traits(const Verdict& v) {
  PyObject* t = PyTuple_New(static_cast<Py_ssize_t>(v.traits.size()));
  for (size_t i = 0; i < v.traits.size(); ++i)
    PyTuple_SET_ITEM(t, i, TraitStr(v.traits[i]).release().ptr());
  return nb::steal(t);
}
nb::dict Scores(const Verdict& v) {
  nb::dict d;
  for (int c = 0; c < kNumCategories; ++c)
    d[nb::handle(g_category_names[c])] = Float(v.scores[c]);
  return d;
}
nb::tuple Flags(uint32_t f) {
  nb::list l;
  for (auto [bit, name] : kFlagNames)
    if (f & bit) l.append(nb::str(name));
  return nb::tuple(l);
}

const nb::object& Matches(PyVerdict& pv) {
  if (pv.matches.is_valid()) return pv.matches;
  const Verdict& v = pv.r.v;
  PyObject* t = PyTuple_New(static_cast<Py_ssize_t>(v.matches.size()));
  for (size_t i = 0; i < v.matches.size(); ++i) {
    const Match& m = v.matches[i];
    PyMatch pm;
    pm.rule = Str(m.rule_id);
    pm.category = CatStr(m.category);
    pm.trait = m.trait ? TraitStr(*m.trait) : nb::none();
    pm.start = pv.r.cp[i].first;
    pm.end = pv.r.cp[i].second;
    pm.byte_start = m.begin;
    pm.byte_end = m.end;
    if (pv.text.is_valid()) {
      PyObject* sub = PyUnicode_Substring(pv.text.ptr(), pm.start, pm.end);
      if (!sub) throw nb::python_error();
      pm.text = nb::steal(sub);
    } else {
      pm.text = nb::str("");
    }
    pm.form = Str(m.form);
    pm.view = Str(m.view);
    pm.weight = m.weight;
    pm.aimed = m.aimed;
    PyTuple_SET_ITEM(t, i, nb::cast(std::move(pm), nb::rv_policy::move).release().ptr());
  }
  pv.matches = nb::steal(t);
  return pv.matches;
}

nb::dict MatchDict(const PyMatch& m) {
  nb::dict d;
  d["rule"] = m.rule;
  d["category"] = m.category;
  d["trait"] = m.trait;
  d["start"] = m.start;
  d["end"] = m.end;
  d["text"] = m.text;
  d["form"] = m.form;  // already a str (Str above)
  d["view"] = m.view;
  d["weight"] = Float(m.weight);
  d["aimed"] = m.aimed;
  return d;
}

nb::dict VerdictDict(PyVerdict& pv) {
  nb::dict d;
  const Verdict& v = pv.r.v;
  nb::list labels, traits, matches;
  for (Category c : v.labels) labels.append(CatStr(c));
  for (Trait t : v.traits) traits.append(TraitStr(t));
  for (nb::handle m : Matches(pv)) matches.append(MatchDict(nb::cast<const PyMatch&>(m)));
  d["labels"] = labels;
  d["traits"] = traits;
  d["scores"] = Scores(v);
  d["matches"] = matches;
  d["flags"] = nb::list(Flags(v.input_flags));
  d["mixed_script_words"] = v.mixed_script_words;
  return d;
}

std::string ReprStr(nb::handle h) { return nb::cast<std::string>(nb::repr(h)); }

std::string MatchRepr(const PyMatch& m) {
  std::string s = "Match(rule=" + ReprStr(m.rule) + ", category=" + ReprStr(m.category);
  if (!m.trait.is_none()) s += ", trait=" + ReprStr(m.trait);
  s += ", start=" + std::to_string(m.start) + ", end=" + std::to_string(m.end) +
       ", text=" + ReprStr(m.text) + ")";
  return s;
}

std::string VerdictRepr(PyVerdict& pv) {
  const Verdict& v = pv.r.v;
  std::string s = "Verdict(labels=[";
  for (size_t i = 0; i < v.labels.size(); ++i) {
    if (i) s += ", ";
    s += "'" + std::string(CategoryName(v.labels[i])) + "'";
  }
  s += "]";
  if (!v.traits.empty()) {
    s += ", traits=[";
    for (size_t i = 0; i < v.traits.size(); ++i) {
      if (i) s += ", ";
      s += "'" + std::string(TraitName(v.traits[i])) + "'";
    }
    s += "]";
  }
  std::string scores;
  for (int c = 0; c < kNumCategories; ++c) {
    if (v.scores[c] == 0) continue;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s'%s': %.2f", scores.empty() ? "" : ", ",
                  std::string(CategoryName(static_cast<Category>(c))).c_str(), v.scores[c]);
    scores += buf;
  }
  if (!scores.empty()) s += ", scores={" + scores + "}";
  if (!v.matches.empty()) {
    s += ", matches=[";
    size_t i = 0;
    for (nb::handle m : Matches(pv)) {
      if (i++) s += ", ";
      s += MatchRepr(nb::cast<const PyMatch&>(m));
    }
    s += "]";
  }
  s += ")";
  return s;
}

nb::object NewVerdict(Result&& r, nb::object text) {
  PyVerdict pv;
  pv.r = std::move(r);
  pv.text = std::move(text);
  return nb::cast(std::move(pv), nb::rv_policy::move);
}

// ---------------------------------------------------------------------------
// Engine.

class PyEngine {
 public:
  PyEngine(std::shared_ptr<const Engine> e, bool is_default)
      : engine_(std::move(e)), is_default_(is_default) {}

  const Engine& engine() const { return *engine_; }
  const std::shared_ptr<const Engine>& shared() const { return engine_; }
  bool is_default() const { return is_default_; }

  // Borrows a Scratch for one call (thread-safe; never blocks on a scan).
  std::unique_ptr<Scratch> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!pool_.empty()) {
        auto s = std::move(pool_.back());
        pool_.pop_back();
        return s;
      }
    }
    return engine_->NewScratch();
  }
  void Release(std::unique_ptr<Scratch> s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (pool_.size() < 64) pool_.push_back(std::move(s));
  }

  nb::object Classify(nb::handle text) {
    Utf8Text t = GetText(text);
    Result r;
    {
      nb::gil_scoped_release release;
      auto scratch = Acquire();
      engine_->Classify(t.bytes, *scratch, &r.v);
      Release(std::move(scratch));
      FillIndices(t, &r);
    }
    return NewVerdict(std::move(r), nb::borrow(text));
  }

  nb::list ClassifyBatch(nb::handle texts, nb::handle threads_arg) {
    // Any Python int is accepted and range-checked here (an int parameter
    // would turn threads=2**40 into a TypeError about the signature).
    if (!PyLong_Check(threads_arg.ptr()) || PyBool_Check(threads_arg.ptr()))
      throw nb::type_error("threads must be an int");
    int overflow = 0;
    long long requested = PyLong_AsLongLongAndOverflow(threads_arg.ptr(), &overflow);
    if (requested == -1 && PyErr_Occurred()) throw nb::python_error();
    if (overflow < 0 || (overflow == 0 && requested < 0))
      throw StatusError(absl::InvalidArgumentError("threads must be >= 0 (0 = one per core)"));
    // More threads than cores x items is never useful: large values clamp.
    int threads = overflow > 0 || requested > 256 ? 256 : static_cast<int>(requested);
    if (PyUnicode_Check(texts.ptr()) || PyBytes_Check(texts.ptr()))
      throw nb::type_error("texts must be an iterable of str, not a single str/bytes");
    // A strong reference to every item: another Python thread may mutate
    // the caller's list while the GIL is released.
    PyObject* seq = PySequence_Fast(texts.ptr(), "texts must be an iterable of str");
    if (!seq) throw nb::python_error();
    nb::object seq_ref = nb::steal(seq);
    const size_t n = static_cast<size_t>(PySequence_Fast_GET_SIZE(seq));
    std::vector<nb::object> items;
    std::vector<Utf8Text> in;
    items.reserve(n);
    in.reserve(n);
    PyObject** raw = PySequence_Fast_ITEMS(seq);
    for (size_t i = 0; i < n; ++i) {
      items.push_back(nb::borrow(raw[i]));
      if (!PyUnicode_Check(raw[i])) {
        std::string msg = "texts[" + std::to_string(i) + "] must be str, not " +
                          std::string(Py_TYPE(raw[i])->tp_name);
        throw nb::type_error(msg.c_str());
      }
      in.push_back(GetText(raw[i]));
    }
    seq_ref.reset();
    std::vector<Result> out(n);
    if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::max(1, std::min<int>({threads, 256, static_cast<int>(std::max<size_t>(n, 1))}));
    {
      nb::gil_scoped_release release;
      std::atomic<size_t> next{0};
      auto worker = [&] {
        auto scratch = Acquire();
        constexpr size_t kChunk = 64;
        for (;;) {
          size_t b = next.fetch_add(kChunk);
          if (b >= n) break;
          size_t e = std::min(n, b + kChunk);
          for (size_t i = b; i < e; ++i) {
            engine_->Classify(in[i].bytes, *scratch, &out[i].v);
            FillIndices(in[i], &out[i]);
          }
        }
        Release(std::move(scratch));
      };
      if (threads == 1) {
        worker();
      } else {
        std::vector<std::thread> pool;
        pool.reserve(threads);
        for (int i = 0; i < threads; ++i) pool.emplace_back(worker);
        for (auto& th : pool) th.join();
      }
    }
    PyObject* list = PyList_New(static_cast<Py_ssize_t>(n));
    if (!list) throw nb::python_error();
    nb::list result = nb::steal<nb::list>(list);
    for (size_t i = 0; i < n; ++i)
      PyList_SET_ITEM(list, i, NewVerdict(std::move(out[i]), std::move(items[i])).release().ptr());
    return result;
  }

 private:
  std::shared_ptr<const Engine> engine_;
  bool is_default_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Scratch>> pool_;
};

struct PyExplanation {
  nb::object text_view, translit_view, links, verdict, suppressed;
};

nb::object Explain(PyEngine& self, nb::handle text) {
  Utf8Text t = GetText(text);
  Explanation ex;
  Result r;
  {
    nb::gil_scoped_release release;
    ex = self.engine().Explain(t.bytes);
    r.v = std::move(ex.verdict);
    FillIndices(t, &r);
  }
  PyExplanation pe;
  pe.text_view = Str(ex.text_view);
  pe.translit_view = Str(ex.translit_view);
  nb::list links;
  CpIndexer ix(t.bytes, t.ascii);
  for (const Span& s : ex.links) {
    uint32_t b = ix(s.begin), e = ix(s.end);
    links.append(nb::make_tuple(b, e));
  }
  pe.links = links;
  nb::list sup;
  for (auto& [hit, exc] : ex.suppressed) sup.append(nb::make_tuple(Str(hit), Str(exc)));
  pe.suppressed = sup;
  pe.verdict = NewVerdict(std::move(r), nb::borrow(text));
  return nb::cast(std::move(pe), nb::rv_policy::move);
}

std::string ExplanationStr(PyExplanation& pe) {
  PyVerdict& pv = nb::cast<PyVerdict&>(pe.verdict);
  std::string s;
  s += "text:        " + Utf8Lossy(pv.text) + "\n";
  s += "normalized:  [" + nb::cast<std::string>(pe.text_view) + "]\n";
  std::string tr = nb::cast<std::string>(pe.translit_view);
  if (!tr.empty()) s += "translit:    [" + tr + "]\n";
  for (nb::handle l : pe.links) {
    auto [b, e] = nb::cast<std::pair<uint32_t, uint32_t>>(l);
    nb::object sub = nb::steal(PyUnicode_Substring(pv.text.ptr(), b, e));
    if (!sub.is_valid()) throw nb::python_error();
    s += "link:        " + Utf8Lossy(sub) + "\n";
  }
  std::string flags;
  for (nb::handle f : Flags(pv.r.v.input_flags)) flags += (flags.empty() ? "" : ", ") + nb::cast<std::string>(f);
  s += "input flags: " + (flags.empty() ? std::string("-") : flags) + "\n";
  std::string labels;
  for (Category c : pv.r.v.labels) labels += (labels.empty() ? "" : ", ") + std::string(CategoryName(c));
  s += "labels:      " + (labels.empty() ? std::string("clean") : labels) + "\n";
  s += "scores:     ";
  for (int c = 0; c < kNumCategories; ++c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %s=%.2f",
                  std::string(CategoryName(static_cast<Category>(c))).c_str(), pv.r.v.scores[c]);
    s += buf;
  }
  s += "\n";
  for (nb::handle mh : Matches(pv)) {
    const PyMatch& m = nb::cast<const PyMatch&>(mh);
    char buf[64];
    std::snprintf(buf, sizeof buf, " [%u,%u) w=%.2f", m.start, m.end, m.weight);
    s += "match:       " + nb::cast<std::string>(m.rule) + " " + nb::cast<std::string>(m.category) +
         buf + " '" + Utf8Lossy(m.text) + "' form=" + Utf8Lossy(m.form) +
         " view=" + nb::cast<std::string>(m.view) + (m.aimed ? " aimed" : "") + "\n";
  }
  for (nb::handle sh : pe.suppressed) {
    auto [hit, exc] = nb::cast<std::pair<std::string, std::string>>(sh);
    s += "suppressed:  " + hit + " by " + exc + "\n";
  }
  return s;
}

nb::object UnpickleEngine(nb::str kind, nb::bytes data) {
  std::string k = nb::cast<std::string>(kind);
  if (k == "default") {
    auto e = Unwrap(Engine::Default());
    return nb::cast(new PyEngine(std::move(e), true), nb::rv_policy::take_ownership);
  }
  std::string_view bytes(data.c_str(), data.size());
  absl::StatusOr<std::shared_ptr<const Engine>> e;
  {
    nb::gil_scoped_release release;
    e = Engine::Deserialize(bytes);
  }
  return nb::cast(new PyEngine(Unwrap(std::move(e)), false), nb::rv_policy::take_ownership);
}

// ---------------------------------------------------------------------------
// Policy.

struct PyPolicy {
  Policy policy;
};

// ---------------------------------------------------------------------------
// Blacklist store. Records cross as dicts; the Python layer turns them into
// dataclasses with datetimes.

struct PyClock {
  FakeClock clock;
  explicit PyClock(double start) : clock(FromSeconds(start)) {}
};

// Cross-comment spam state (include/rumod/spam_tracker.h). Observe() runs
// with the GIL released; the tracker is thread-safe.
struct PySpamTracker {
  std::unique_ptr<SpamTracker> tracker;
  nb::object clock;  // keeps a FakeClock alive while the tracker uses it
};

nb::dict ObservationDict(const SpamObservation& o) {
  nb::dict d;
  d["duplicate"] = o.duplicate;
  d["flood"] = o.flood;
  d["fingerprinted"] = o.fingerprinted;
  d["similar"] = o.similar;
  d["similar_authors"] = o.similar_authors;
  d["author_recent"] = o.author_recent;
  return d;
}

nb::dict CommentDict(const CommentRef& c) {
  nb::dict d;
  d["platform"] = c.platform;
  d["page_id"] = c.page_id;
  d["author_id"] = c.author_id;
  d["comment_id"] = c.comment_id;
  d["created_at"] = OptSeconds(c.created_at);
  return d;
}

nb::list CategoryList(const std::vector<Category>& cs) {
  nb::list l;
  for (Category c : cs) l.append(CatStr(c));
  return l;
}

nb::dict ScoresDict(const std::array<float, kNumCategories>& s) {
  nb::dict d;
  for (int c = 0; c < kNumCategories; ++c)
    d[nb::handle(g_category_names[c])] = Float(s[c]);
  return d;
}

nb::dict DecisionDict(const Decision& d) {
  nb::dict o;
  o["action"] = Str(ActionName(d.action));
  o["ban_until"] = d.ban_until ? OptSeconds(*d.ban_until) : nb::none();
  o["permanent"] = d.action == Action::kBan && !d.ban_until;
  o["proposed_ban"] = d.proposed_ban;
  o["basis"] = d.basis ? CatStr(*d.basis) : nb::none();
  nb::list reasons;
  for (const auto& r : d.reasons) reasons.append(Str(r));
  o["reasons"] = reasons;
  o["actor"] = d.actor;
  return o;
}

nb::dict ViolationDict(const Violation& v) {
  nb::dict o;
  o["id"] = v.id;
  o["comment"] = CommentDict(v.comment);
  o["recorded_at"] = OptSeconds(v.recorded_at);
  o["categories"] = CategoryList(v.categories);
  nb::list rules;
  for (const auto& r : v.rule_ids) rules.append(Str(r));
  o["rule_ids"] = rules;
  o["scores"] = ScoresDict(v.scores);
  o["text_sha256"] = v.text_sha256;
  o["excerpt"] = Str(v.excerpt);
  o["full_text"] = Str(v.full_text);
  o["action"] = Str(ActionName(v.action));
  o["actor"] = v.actor;
  o["legal_basis"] = Str(v.legal_basis);
  nb::list reasons;
  for (const auto& r : v.reasons) reasons.append(Str(r));
  o["reasons"] = reasons;
  return o;
}

nb::dict BanDict(const Ban& b) {
  nb::dict o;
  o["id"] = b.id;
  o["platform"] = b.platform;
  o["page_id"] = b.page_id;
  o["author_id"] = b.author_id;
  o["start"] = OptSeconds(b.start);
  o["end"] = b.end ? OptSeconds(*b.end) : nb::none();
  o["category"] = CatStr(b.category);
  o["vk_reason"] = b.vk_reason;
  o["reason"] = Str(b.reason);
  o["actor"] = b.actor;
  o["violation_id"] = b.violation_id;
  if (b.lift) {
    nb::dict l;
    l["lifted_at"] = OptSeconds(b.lift->lifted_at);
    l["kind"] = b.lift->kind;
    l["actor"] = b.lift->actor;
    l["reason"] = Str(b.lift->reason);
    o["lift"] = l;
  } else {
    o["lift"] = nb::none();
  }
  return o;
}

struct PyHistory {
  AuthorHistory h;
  nb::dict ToDict() const {
    nb::dict o;
    nb::list vs, bs;
    for (const auto& v : h.violations) vs.append(ViolationDict(v));
    for (const auto& b : h.bans) bs.append(BanDict(b));
    o["violations"] = vs;
    o["bans"] = bs;
    o["active_ban"] = h.active_ban ? nb::object(BanDict(*h.active_ban)) : nb::none();
    return o;
  }
};

RecordFilter MakeFilter(std::string platform, std::string page_id, std::string author_id,
                        std::optional<double> from, std::optional<double> to, int64_t limit) {
  RecordFilter f;
  f.platform = std::move(platform);
  f.page_id = std::move(page_id);
  f.author_id = std::move(author_id);
  if (from) f.from = FromSeconds(*from);
  if (to) f.to = FromSeconds(*to);
  if (limit < 0) throw StatusError(absl::InvalidArgumentError("limit must be >= 0"));
  f.limit = limit;
  return f;
}

ViolationInput MakeInput(PyVerdict& pv, std::string platform, std::string page_id,
                         std::string author_id, std::string comment_id,
                         std::optional<double> created_at) {
  CommentRef ref{std::move(platform), std::move(page_id), std::move(author_id),
                 std::move(comment_id), absl::InfinitePast()};
  if (created_at) ref.created_at = FromSeconds(*created_at);
  std::string_view text;
  Utf8Text t;
  if (pv.text.is_valid()) {
    t = GetText(pv.text);
    text = t.bytes;
  }
  return ViolationInput::FromVerdict(std::move(ref), text, pv.r.v);
}

nb::dict RecordDict(const RecordResult& r) {
  nb::dict o;
  o["violation_id"] = r.violation_id;
  o["ban_id"] = r.ban_id;
  o["decision"] = DecisionDict(r.decision);
  return o;
}

// The store is shared between the Python object and every call in flight:
// a call takes a reference (store()) before it releases the GIL, so close()
// from another thread only stops new calls, and the store is destroyed when
// the last call in flight returns (closing it under a running call was a
// use after free).
class PyStore {
 public:
  PyStore(std::unique_ptr<BlacklistStore> s, nb::object clock)
      : store_(std::move(s)), clock_(std::move(clock)) {}
  // Called with the GIL held (it guards store_).
  std::shared_ptr<BlacklistStore> store() {
    if (!store_) throw StatusError(absl::FailedPreconditionError("the store is closed"));
    return store_;
  }
  void Close() {
    std::shared_ptr<BlacklistStore> s = std::move(store_);
    nb::gil_scoped_release release;
    s.reset();
  }
  bool closed() const { return !store_; }

 private:
  std::shared_ptr<BlacklistStore> store_;
  nb::object clock_;  // keeps a FakeClock alive while the store uses it
};

}  // namespace
}  // namespace rumod::python

// ---------------------------------------------------------------------------

using namespace rumod;          // NOLINT(build/namespaces)
using namespace rumod::python;  // NOLINT(build/namespaces)

NB_MODULE(_rumod, m) {
  m.doc() = "Native core of the rumod package (use `import rumod`).";
  InternNames();
  MakeErrors(m);
  m.attr("__version__") = Str(Version());
  m.attr("CATEGORIES") = nb::make_tuple("spam", "profanity", "insult", "hate", "discrimination");
  {
    nb::list t;
    for (int i = 0; i < kNumTraits; ++i) t.append(nb::borrow(g_trait_names[i]));
    m.attr("TRAITS") = nb::tuple(t);
    nb::list f;
    for (auto [bit, name] : kFlagNames) f.append(nb::str(name));
    m.attr("FLAGS") = nb::tuple(f);
  }

  nb::class_<PyMatch>(m, "Match",
                      "One rule hit, located in the classified str. Immutable.\n\n"
                      "`start`/`end` are str indices (code points) into Verdict.text, so\n"
                      "`verdict.text[m.start:m.end] == m.text`; `byte_start`/`byte_end` are\n"
                      "the UTF-8 byte offsets the C++ engine reports.")
      .def_ro("rule", &PyMatch::rule, "Stable dictionary rule id, e.g. 'ins.debil'.")
      .def_ro("category", &PyMatch::category, "Category of the rule: one of rumod.CATEGORIES.")
      .def_ro("trait", &PyMatch::trait, "Protected trait (hate/discrimination rules) or None.")
      .def_ro("start", &PyMatch::start, "Start index (code points) in the original str.")
      .def_ro("end", &PyMatch::end, "End index (exclusive, code points) in the original str.")
      .def_ro("byte_start", &PyMatch::byte_start, "Start offset in the UTF-8 encoding of the str.")
      .def_ro("byte_end", &PyMatch::byte_end, "End offset (exclusive) in the UTF-8 encoding.")
      .def_ro("text", &PyMatch::text, "The matched slice of the original str.")
      .def_ro("form", &PyMatch::form, "The matched normalized form.")
      .def_ro("view", &PyMatch::view, "Normalized view it was found in: 'text' or 'translit'.")
      .def_prop_ro("weight", [](const PyMatch& m) { return Float(m.weight); }, "Contribution to the category score, 0..1.")
      .def_ro("aimed", &PyMatch::aimed, "Insult cue aimed at the addressee/a person.")
      .def("to_dict", &MatchDict, "The match as a JSON-ready dict.")
      .def("__repr__", &MatchRepr)
      .def("__reduce__", [](const PyMatch&) -> nb::object {
        throw nb::type_error("rumod.Match cannot be pickled; use to_dict()");
      });

  nb::class_<PyVerdict>(m, "Verdict",
                        "The result of classifying one str. Immutable; cheap to create\n"
                        "(fields are converted on access). Not picklable: use to_dict().")
      .def_prop_ro("labels", [](PyVerdict& v) { return Labels(v.r.v); },
                   "Positive categories, in rumod.CATEGORIES order; () when clean.")
      .def_prop_ro("traits", [](PyVerdict& v) { return Traits(v.r.v); },
                   "Protected traits of the deciding hate/discrimination matches.")
      .def_prop_ro("scores", [](PyVerdict& v) { return Scores(v.r.v); },
                   "Score in [0, 1] for every category (a new dict each access).")
      .def_prop_ro("matches", [](PyVerdict& v) { return Matches(v); },
                   "Tuple of Match, ordered by (start, end, rule).")
      .def_prop_ro("flags", [](PyVerdict& v) { return Flags(v.r.v.input_flags); },
                   "Names of input flags: invalid_utf8, confusables, masked, split_letters,\n"
                   "stretched, invisible, truncated.")
      .def_prop_ro("input_flags", [](PyVerdict& v) { return v.r.v.input_flags; },
                   "The raw InputFlag bitmask of the C++ verdict.")
      .def_prop_ro("mixed_script_words", [](PyVerdict& v) { return v.r.v.mixed_script_words; },
                   "Words in which look-alike letters were replaced inside Cyrillic words.")
      .def_prop_ro("clean", [](PyVerdict& v) { return v.r.v.clean(); },
                   "True when no category is positive.")
      .def_prop_ro("text", [](PyVerdict& v) { return v.text; }, "The classified str.")
      .def("has", [](PyVerdict& v, std::string_view c) { return v.r.v.Has(ParseCategoryOrThrow(c)); },
           "category"_a,
           "True if `category` is among the labels. InvalidArgumentError for an unknown name.")
      .def("to_dict", &VerdictDict,
           "JSON-ready dict: labels, traits, scores, matches (as dicts), flags, mixed_script_words.")
      .def("to_json", [](PyVerdict& v) {
             return nb::module_::import_("json").attr("dumps")(VerdictDict(v), "ensure_ascii"_a = false);
           },
           "to_dict() as a JSON string (UTF-8 characters kept, ensure_ascii=False).")
      .def("__repr__", &VerdictRepr)
      .def("__reduce__", [](const PyVerdict&) -> nb::object {
        throw nb::type_error("rumod.Verdict cannot be pickled; use to_dict()");
      });

  nb::class_<PyExplanation>(m, "Explanation",
                            "Human-readable account of one classification (Engine.explain).")
      .def_ro("text_view", &PyExplanation::text_view, "Main normalized view (str).")
      .def_ro("translit_view", &PyExplanation::translit_view,
              "Transliteration view of all-Latin words ('' if none).")
      .def_ro("links", &PyExplanation::links, "URLs/e-mails/mentions as (start, end) str indices.")
      .def_ro("verdict", &PyExplanation::verdict, "The Verdict.")
      .def_ro("suppressed", &PyExplanation::suppressed,
              "(rule id of the hit, rule id of the exception) pairs removed by exceptions.")
      .def("__str__", &ExplanationStr)
      .def("__repr__", [](PyExplanation& e) {
        return "Explanation(text_view=" + ReprStr(e.text_view) + ", verdict=" +
               ReprStr(e.verdict) + ")";
      });

  nb::class_<PyEngine>(m, "Engine",
                       "Compiled rules. Immutable and thread-safe: share one Engine between\n"
                       "threads. Build with Engine.default(), Engine.compile() or Engine.load().")
      .def_static("default", [] {
            return new PyEngine(Unwrap(Engine::Default()), true);
          },
          "The engine compiled from dictionaries/ru at build time (embedded).")
      .def_static("compile",
          [](const std::filesystem::path& dir, std::optional<std::string> aff,
             std::optional<std::string> dic) {
            CompileOptions o;
            if (aff) o.hunspell_aff = *aff;
            if (dic) o.hunspell_dic = *dic;
            absl::StatusOr<std::shared_ptr<const Engine>> e;
            std::string d = dir.string();
            {
              nb::gil_scoped_release release;
              e = Engine::CompileDirectory(d, o);
            }
            return new PyEngine(Unwrap(std::move(e)), false);
          },
          "path"_a, nb::kw_only(), "hunspell_aff"_a = nb::none(), "hunspell_dic"_a = nb::none(),
          "Compiles a dictionary directory (*.dict + confusables.tsv [+ domains.tsv]).")
      .def_static("load",
          [](const std::filesystem::path& path) {
            absl::StatusOr<std::shared_ptr<const Engine>> e;
            std::string p = path.string();
            {
              nb::gil_scoped_release release;
              e = Engine::Load(p);
            }
            return new PyEngine(Unwrap(std::move(e)), false);
          },
          "path"_a, "Loads an engine file written by save().")
      .def_static("from_bytes",
          [](nb::bytes data) {
            std::string_view b(data.c_str(), data.size());
            absl::StatusOr<std::shared_ptr<const Engine>> e;
            {
              nb::gil_scoped_release release;
              e = Engine::Deserialize(b);
            }
            return new PyEngine(Unwrap(std::move(e)), false);
          },
          "data"_a, "Loads an engine from to_bytes() output.")
      .def("save",
          [](PyEngine& self, const std::filesystem::path& path) {
            std::string p = path.string();
            absl::Status s;
            {
              nb::gil_scoped_release release;
              s = self.engine().Save(p);
            }
            Check(s);
          },
          "path"_a, "Writes the engine to a file (load() reads it back).")
      .def("to_bytes",
          [](PyEngine& self) {
            std::string s = Unwrap(self.engine().Serialize());
            return nb::bytes(s.data(), s.size());
          },
          "The serialized engine (the save() file format).")
      .def("classify", &PyEngine::Classify, nb::sig("def classify(self, text: str) -> Verdict"),
           "text"_a.none(),
           "Classifies one str. Releases the GIL while scanning.")
      .def("classify_batch", &PyEngine::ClassifyBatch,
           nb::sig("def classify_batch(self, texts: typing.Iterable[str], *, threads: int = 1) -> list[Verdict]"),
           "texts"_a.none(), nb::kw_only(), "threads"_a = nb::int_(1),
           "Classifies a sequence of str on `threads` native threads (0 = one per core)\n"
           "with the GIL released; returns Verdicts in input order.")
      .def("explain", &Explain, nb::sig("def explain(self, text: str) -> Explanation"), "text"_a.none(), "Normalized views, matches and suppressed hits.")
      .def_prop_ro("rule_count", [](PyEngine& e) { return e.engine().rule_count(); },
                   "Number of compiled rules (dictionary entries, exceptions included).")
      .def_prop_ro("pattern_count", [](PyEngine& e) { return e.engine().pattern_count(); },
                   "Number of Hyperscan patterns after inflection expansion.")
      .def_prop_ro("content_hash", [](PyEngine& e) { return e.engine().content_hash(); },
                   "FNV-1a 64 hash of the dictionary sources.")
      .def_prop_ro("is_default", &PyEngine::is_default,
                   "True for the embedded default engine.")
      .def("rules",
          [](PyEngine& e) {
            nb::list l;
            for (const Entry& x : e.engine().entries()) {
              nb::dict d;
              d["id"] = x.id;
              d["category"] = x.tag_only ? nb::object(nb::none()) : CatStr(x.category);
              d["trait"] = x.trait ? TraitStr(*x.trait) : nb::none();
              d["kind"] = Str(EntryKindName(x.kind));
              d["pattern"] = Str(x.pattern);
              d["severity"] = x.severity;
              d["file"] = x.file;
              d["line"] = x.line;
              l.append(d);
            }
            return l;
          },
          "Every dictionary entry as a dict (id, category, trait, kind, pattern, severity, file, line).")
      .def("__reduce__",
          [](nb::handle self) {
            PyEngine& e = nb::cast<PyEngine&>(self);
            nb::object fn = nb::module_::import_("rumod").attr("_unpickle_engine");
            if (e.is_default()) return nb::make_tuple(fn, nb::make_tuple("default", nb::bytes("", 0)));
            std::string s = Unwrap(e.engine().Serialize());
            return nb::make_tuple(fn, nb::make_tuple("bytes", nb::bytes(s.data(), s.size())));
          })
      .def("__repr__", [](PyEngine& e) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "<rumod.Engine%s rules=%zu patterns=%zu hash=%016llx>",
                      e.is_default() ? " default" : "", e.engine().rule_count(),
                      e.engine().pattern_count(),
                      static_cast<unsigned long long>(e.engine().content_hash()));
        return std::string(buf);
      });
  m.def("_unpickle_engine", &UnpickleEngine);
  // Benchmark baseline (bench_rumod.py): CPU seconds of this thread spent by
  // `repeats` passes of the plain C++ loop `engine.Classify(text, scratch,
  // &verdict)` over `texts` (one Scratch, one reused Verdict, no Python
  // objects). CPU time, so that other processes on the machine do not count.
  m.def("_time_native_classify", [](PyEngine& self, nb::handle texts, int repeats) {
    std::vector<std::string> in;
    for (nb::handle t : texts) in.emplace_back(GetText(t).bytes);
    nb::gil_scoped_release release;
    auto scratch = self.engine().NewScratch();
    Verdict v;
    auto cpu = [] {
      timespec ts;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
      return ts.tv_sec + ts.tv_nsec * 1e-9;
    };
    double t0 = cpu();
    for (int r = 0; r < repeats; ++r)
      for (const std::string& t : in) self.engine().Classify(t, *scratch, &v);
    return cpu() - t0;
  });

  nb::class_<PyPolicy>(m, "_Policy",
                       "Escalation policy: verdict + author history -> decision. Immutable,\n"
                       "thread-safe. Policy() has the documented defaults.")
      .def(nb::init<>())
      .def_static("parse",
          [](std::string_view text, std::string_view file_name) {
            return PyPolicy{Unwrap(Policy::Parse(text, file_name))};
          },
          "text"_a, "file_name"_a = "<policy>", "Parses the policy file format (docs/blacklist.md).")
      .def_static("load",
          [](const std::filesystem::path& path) {
            return PyPolicy{Unwrap(Policy::LoadFile(path.string()))};
          },
          "path"_a, "Reads a policy file.")
      .def("to_text", [](const PyPolicy& p) { return p.policy.ToText(); },
           "The policy in the file format (round-trips through parse()).")
      .def("_decide",
          [](const PyPolicy& p, PyVerdict& v, const PyHistory* h, double now,
             std::optional<double> posted_at) {
            AuthorHistory empty;
            absl::Time t = FromSeconds(now);
            Decision d = p.policy.Decide(v.r.v, h ? h->h : empty, t,
                                         posted_at ? FromSeconds(*posted_at) : t);
            return DecisionDict(d);
          },
          "verdict"_a, "history"_a.none(), "now"_a, "posted_at"_a.none());

  nb::class_<PyClock>(m, "FakeClock",
                      "A clock that moves only when told to (for tests and replays).\n"
                      "Thread-safe. Times are Unix seconds (float).")
      .def(nb::init<double>(), "start"_a = 1767225600.0)
      .def("now", [](PyClock& c) { return ToSeconds(c.clock.Now()); }, "Current time, Unix seconds.")
      .def("set", [](PyClock& c, double t) { c.clock.Set(FromSeconds(t)); }, "t"_a,
           "Sets the time (Unix seconds).")
      .def("advance", [](PyClock& c, double s) { c.clock.Advance(SecondsDuration(s)); },
           "seconds"_a, "Moves the time forward by `seconds`.");

  nb::class_<PySpamTracker>(m, "SpamTracker",
      "Cross-comment spam state: near-duplicate bursts (MinHash over the normalized\n"
      "text, so homoglyph swaps and small edits still collide) and per-author flood\n"
      "rate, within sliding windows, in bounded memory (docs/spam.md).\n"
      "Thread-safe; observe() releases the GIL.")
      .def("__init__",
           [](PySpamTracker* self, const PyEngine& engine, double window_seconds,
              int duplicate_threshold, double similarity, int min_letters, int flood_max,
              double flood_window_seconds, size_t max_buckets, size_t max_authors,
              nb::object clock) {
             SpamTrackerOptions o;
             o.window = SecondsDuration(window_seconds);
             o.duplicate_threshold = duplicate_threshold;
             o.similarity = similarity;
             o.min_letters = min_letters;
             o.flood_max = flood_max;
             o.flood_window = SecondsDuration(flood_window_seconds);
             o.max_buckets = max_buckets;
             o.max_authors = max_authors;
             if (!clock.is_none()) {
               if (!nb::isinstance<PyClock>(clock))
                 throw nb::type_error("clock must be a rumod.FakeClock or None");
               o.clock = &nb::cast<PyClock&>(clock).clock;
             }
             auto t = SpamTracker::Create(engine.shared(), o);
             Check(t.status());
             new (self) PySpamTracker{*std::move(t), clock};
           },
           "engine"_a, "window_seconds"_a = 1800.0, "duplicate_threshold"_a = 3,
           "similarity"_a = 0.5, "min_letters"_a = 24, "flood_max"_a = 5,
           "flood_window_seconds"_a = 60.0, "max_buckets"_a = 50000,
           "max_authors"_a = 20000, "clock"_a = nb::none(),
           "Creates a tracker; `engine` provides the normalizer. Options as in\n"
           "rumod::SpamTrackerOptions (times in seconds). InvalidArgumentError for\n"
           "out-of-range options.")
      .def("observe",
           [](PySpamTracker& t, nb::handle author, nb::handle text, nb::object at) {
             Utf8Text a = GetText(author, "author");
             Utf8Text x = GetText(text, "text");
             std::optional<absl::Time> when;
             // Unix seconds, or a datetime (naive = UTC) as the store takes
             // it: anything but a number goes through rumod._to_seconds
             // (TypeError for other types), so the common case imports nothing.
             if (!at.is_none()) {
               double secs;
               if (PyFloat_Check(at.ptr())) {
                 secs = PyFloat_AS_DOUBLE(at.ptr());
               } else if (PyLong_Check(at.ptr()) && !PyBool_Check(at.ptr())) {
                 secs = PyLong_AsDouble(at.ptr());
                 if (secs == -1.0 && PyErr_Occurred()) {  // beyond the double range
                   PyErr_Clear();
                   throw StatusError(absl::InvalidArgumentError("at: integer out of range"));
                 }
               } else {
                 secs = nb::cast<double>(
                     nb::module_::import_("rumod").attr("_to_seconds")(at, "at"));
               }
               when = FromSeconds(secs);
             }
             SpamObservation o;
             {
               nb::gil_scoped_release release;
               o = when ? t.tracker->Observe(a.bytes, x.bytes, *when)
                        : t.tracker->Observe(a.bytes, x.bytes);
             }
             return ObservationDict(o);
           },
           "author"_a, "text"_a, "at"_a = nb::none(),
           "Records one comment by `author` (now, or at Unix seconds `at`) and returns\n"
           "{duplicate, flood, fingerprinted, similar, similar_authors, author_recent}.")
      .def_prop_ro("bucket_count", [](PySpamTracker& t) { return t.tracker->bucket_count(); },
                   "Fingerprint buckets held (bounded by max_buckets).")
      .def_prop_ro("author_count", [](PySpamTracker& t) { return t.tracker->author_count(); },
                   "Authors held (bounded by max_authors).")
      .def_prop_ro("memory_bytes", [](PySpamTracker& t) { return t.tracker->MemoryBytes(); },
                   "Approximate bytes held by the tables.")
      .def("__getstate__", [](PySpamTracker&) -> nb::object {
             throw nb::type_error("SpamTracker holds live state and cannot be pickled");
           });

  nb::class_<PyHistory>(m, "_History")
      .def("to_dict", &PyHistory::ToDict);

  nb::class_<PyStore>(m, "_BlacklistStore")
      .def_static("open",
          [](const std::filesystem::path& path, int busy_timeout_ms, bool store_full_text,
             int excerpt_chars, int history_limit, bool durable, bool create_if_missing,
             nb::object clock) {
            BlacklistStoreOptions o;
            o.busy_timeout_ms = busy_timeout_ms;
            o.store_full_text = store_full_text;
            o.excerpt_chars = excerpt_chars;
            o.history_limit = history_limit;
            o.durable = durable;
            o.create_if_missing = create_if_missing;
            if (!clock.is_none()) {
              if (!nb::isinstance<PyClock>(clock))
                throw nb::type_error("clock must be a rumod.FakeClock or None");
              o.clock = &nb::cast<PyClock&>(clock).clock;
            }
            std::string p = path.string();
            absl::StatusOr<std::unique_ptr<BlacklistStore>> s;
            {
              nb::gil_scoped_release release;
              s = BlacklistStore::OpenSqlite(p, o);
            }
            return new PyStore(Unwrap(std::move(s)), clock);
          },
          "path"_a, "busy_timeout_ms"_a, "store_full_text"_a, "excerpt_chars"_a,
          "history_limit"_a, "durable"_a, "create_if_missing"_a, "clock"_a.none())
      .def("close", &PyStore::Close)
      .def_prop_ro("closed", &PyStore::closed)
      .def_prop_ro("schema_version", [](PyStore& s) { return s.store()->schema_version(); })
      .def("decide_and_record",
          [](PyStore& s, PyVerdict& v, std::string platform, std::string page_id,
             std::string author_id, std::string comment_id, std::optional<double> created_at,
             const PyPolicy* policy) {
            ViolationInput in = MakeInput(v, std::move(platform), std::move(page_id),
                                          std::move(author_id), std::move(comment_id), created_at);
            Policy def;
            const Policy& pol = policy ? policy->policy : def;
            const Verdict& verdict = v.r.v;
            absl::Time posted = in.comment.created_at;
            const std::shared_ptr<BlacklistStore> st = s.store();
            absl::StatusOr<RecordResult> r;
            {
              nb::gil_scoped_release release;
              r = st->DecideAndRecord(in, [&](const AuthorHistory& h, absl::Time now) {
                absl::Time p = posted == absl::InfinitePast() ? now : posted;
                return pol.Decide(verdict, h, now, p);
              });
            }
            return RecordDict(Unwrap(std::move(r)));
          },
          "verdict"_a, "platform"_a, "page_id"_a, "author_id"_a, "comment_id"_a,
          "created_at"_a.none(), "policy"_a.none())
      .def("record",
          [](PyStore& s, PyVerdict& v, std::string platform, std::string page_id,
             std::string author_id, std::string comment_id, std::optional<double> created_at,
             std::string_view action, std::optional<double> ban_until, std::string actor,
             std::vector<std::string> reasons) {
            ViolationInput in = MakeInput(v, std::move(platform), std::move(page_id),
                                          std::move(author_id), std::move(comment_id), created_at);
            Decision d;
            auto a = ParseAction(action);
            if (!a)
              throw StatusError(absl::InvalidArgumentError(
                  "unknown action '" + std::string(action) + "' (keep, review, delete, ban)"));
            d.action = *a;
            if (ban_until) d.ban_until = FromSeconds(*ban_until);
            d.actor = std::move(actor);
            d.reasons = std::move(reasons);
            if (!v.r.v.labels.empty()) d.basis = PrimaryCategory(v.r.v.labels);
            const std::shared_ptr<BlacklistStore> st = s.store();
            absl::StatusOr<RecordResult> r;
            {
              nb::gil_scoped_release release;
              r = st->Record(in, d);
            }
            return RecordDict(Unwrap(std::move(r)));
          },
          "verdict"_a, "platform"_a, "page_id"_a, "author_id"_a, "comment_id"_a,
          "created_at"_a.none(), "action"_a, "ban_until"_a.none(), "actor"_a, "reasons"_a)
      .def("active_ban",
          [](PyStore& s, std::string platform, std::string page_id, std::string author_id) {
            const std::shared_ptr<BlacklistStore> st = s.store();
            absl::StatusOr<std::optional<Ban>> r;
            {
              nb::gil_scoped_release release;
              r = st->ActiveBan(platform, page_id, author_id);
            }
            auto b = Unwrap(std::move(r));
            return b ? nb::object(BanDict(*b)) : nb::none();
          })
      .def("history",
          [](PyStore& s, std::string platform, std::string page_id, std::string author_id) {
            const std::shared_ptr<BlacklistStore> st = s.store();
            absl::StatusOr<AuthorHistory> r;
            {
              nb::gil_scoped_release release;
              r = st->History(platform, page_id, author_id);
            }
            return PyHistory{Unwrap(std::move(r))};
          })
      .def("ban_manually",
          [](PyStore& s, std::string platform, std::string page_id, std::string author_id,
             std::string_view category, std::optional<double> duration, std::string reason,
             std::string actor) {
            ManualBan b;
            b.platform = std::move(platform);
            b.page_id = std::move(page_id);
            b.author_id = std::move(author_id);
            b.category = ParseCategoryOrThrow(category);
            if (duration) {
              if (*duration <= 0)
                throw StatusError(absl::InvalidArgumentError("duration must be positive"));
              b.duration = SecondsDuration(*duration);
            }
            b.reason = std::move(reason);
            b.actor = std::move(actor);
            const std::shared_ptr<BlacklistStore> st = s.store();
            absl::StatusOr<int64_t> r;
            {
              nb::gil_scoped_release release;
              r = st->BanManually(b);
            }
            return Unwrap(std::move(r));
          })
      .def("unban",
          [](PyStore& s, std::string platform, std::string page_id, std::string author_id,
             std::string actor, std::string reason) {
            const std::shared_ptr<BlacklistStore> st = s.store();
            absl::StatusOr<int> r;
            {
              nb::gil_scoped_release release;
              r = st->Unban(platform, page_id, author_id, actor, reason);
            }
            return Unwrap(std::move(r));
          })
      .def("record_expired_bans",
          [](PyStore& s) {
            const std::shared_ptr<BlacklistStore> st = s.store();
            absl::StatusOr<int> r;
            {
              nb::gil_scoped_release release;
              r = st->RecordExpiredBans();
            }
            return Unwrap(std::move(r));
          })
      .def("list_bans",
          [](PyStore& s, std::string platform, std::string page_id, std::string author_id,
             std::optional<double> from, std::optional<double> to, int64_t limit,
             bool active_only) {
            RecordFilter f = MakeFilter(platform, page_id, author_id, from, to, limit);
            const std::shared_ptr<BlacklistStore> st = s.store();
            absl::StatusOr<std::vector<Ban>> r;
            {
              nb::gil_scoped_release release;
              r = st->ListBans(f, active_only);
            }
            nb::list l;
            for (const Ban& b : Unwrap(std::move(r))) l.append(BanDict(b));
            return l;
          })
      .def("list_violations",
          [](PyStore& s, std::string platform, std::string page_id, std::string author_id,
             std::optional<double> from, std::optional<double> to, int64_t limit) {
            RecordFilter f = MakeFilter(platform, page_id, author_id, from, to, limit);
            const std::shared_ptr<BlacklistStore> st = s.store();
            absl::StatusOr<std::vector<Violation>> r;
            {
              nb::gil_scoped_release release;
              r = st->ListViolations(f);
            }
            nb::list l;
            for (const Violation& v : Unwrap(std::move(r))) l.append(ViolationDict(v));
            return l;
          })
      .def("export",
          [](PyStore& s, std::string_view format, std::string platform, std::string page_id,
             std::string author_id, std::optional<double> from, std::optional<double> to,
             int64_t limit) {
            ExportFormat fmt;
            if (format == "csv") {
              fmt = ExportFormat::kCsv;
            } else if (format == "jsonl") {
              fmt = ExportFormat::kJsonl;
            } else {
              throw StatusError(absl::InvalidArgumentError(
                  "unknown export format '" + std::string(format) + "' (csv or jsonl)"));
            }
            RecordFilter f = MakeFilter(platform, page_id, author_id, from, to, limit);
            const std::shared_ptr<BlacklistStore> st = s.store();
            std::ostringstream out;
            absl::Status r;
            {
              nb::gil_scoped_release release;
              r = st->Export(fmt, f, &out);
            }
            Check(r);
            std::string str = std::move(out).str();
            return Str(str);
          });

  m.def("masked_excerpt",
        [](nb::handle text, std::vector<std::pair<int64_t, int64_t>> spans, int max_chars) {
          Utf8Text t = GetText(text);
          // str index spans -> byte spans
          std::vector<std::pair<uint32_t, uint32_t>> bytes;
          std::vector<uint32_t> starts;  // byte offset of each code point
          uint32_t cp = 0;
          for (uint32_t i = 0; i < t.bytes.size(); ++i)
            if ((static_cast<uint8_t>(t.bytes[i]) & 0xC0) != 0x80) starts.push_back(i), ++cp;
          starts.push_back(static_cast<uint32_t>(t.bytes.size()));
          // Spans are clamped to the text (a negative index is 0, past the
          // end is the end; an empty or reversed span masks nothing).
          for (auto [b, e] : spans) {
            const int64_t cb = std::clamp<int64_t>(b, 0, cp);
            const int64_t ce = std::clamp<int64_t>(e, cb, cp);
            bytes.emplace_back(starts[cb], starts[ce]);
          }
          return MaskedExcerpt(t.bytes, bytes, max_chars);
        },
        "text"_a.none(), "spans"_a, "max_chars"_a = 80,
        "The masked excerpt the store keeps (spans as str indices).");
  m.def("sha256_hex",
        [](nb::handle text) { return Sha256Hex(GetText(text).bytes); }, "text"_a.none(),
        "SHA-256 of the UTF-8 text, 64 lowercase hex characters.");
  m.def("legal_basis", [](std::string_view c) { return std::string(LegalBasis(ParseCategoryOrThrow(c))); },
        "category"_a, "Clause 8 wording of the legal basis for a category.");
}
