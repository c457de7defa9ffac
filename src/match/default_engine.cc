// Engine::Default(): the engine compiled from dictionaries/ru at build time.
#include <string_view>

#include "rumod/engine.h"

namespace rumod {
namespace internal {
std::string_view DefaultEngineBytes();  // generated: default_engine_data.cc
}

absl::StatusOr<std::shared_ptr<const Engine>> Engine::Default() {
  static const auto* engine =
      new absl::StatusOr<std::shared_ptr<const Engine>>(
          Deserialize(internal::DefaultEngineBytes()));
  return *engine;
}

}  // namespace rumod
