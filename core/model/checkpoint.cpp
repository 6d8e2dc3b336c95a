#include "core/model/checkpoint.h"

#include "core/model/safetensors.h"
#include "core/util/error.h"
#include "core/util/json_depth.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace distill::model {

namespace fs = std::filesystem;

namespace {

// PEFT's prefix of the adapter tensors' names: the PeftModel wrapping the model's base_model.
constexpr const char* kPeftPrefix = "base_model.model.";

std::string shapeText(c10::IntArrayRef shape)
{
    std::ostringstream out;
    out << '[';
    for (std::size_t i = 0; i < shape.size(); ++i)
        out << (i ? ", " : "") << shape[i];
    out << ']';
    return out.str();
}

nlohmann::json readJson(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "cannot open " + path.string());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    util::checkJsonDepth(text, path.string());
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::Parse, path.string() + ": " + e.what());
    }
}

// A shard named by the index: a plain *.safetensors file name inside the model folder, never a
// path that leads out of it.
std::string shardName(const fs::path& index, const std::string& tensor, const nlohmann::json& file)
{
    const std::string name = file.is_string() ? file.get<std::string>() : std::string();
    const bool plain = !name.empty() && name.find('/') == std::string::npos && name.find('\\') == std::string::npos
        && name.find('\0') == std::string::npos && name != "." && name != ".."
        && fs::path(name).extension() == ".safetensors";
    if (!plain)
        throw Error(ErrorCode::Parse,
                    index.string() + ": tensor '" + tensor + "' maps to " + file.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                        + ", not a .safetensors file name in the model folder",
                    "shards are files beside the index, named like model-00001-of-00002.safetensors");
    return name;
}

void writeJson(const fs::path& path, const nlohmann::json& value)
{
    std::ofstream out(path, std::ios::trunc);
    out << value.dump(2) << "\n";
    if (!out)
        throw Error(ErrorCode::Io, "cannot write " + path.string());
}

// Tensor name -> the opened shard that holds it.
std::map<std::string, std::shared_ptr<SafetensorsFile>> openWeights(const fs::path& folder)
{
    std::map<std::string, std::shared_ptr<SafetensorsFile>> byName;
    const fs::path index = folder / "model.safetensors.index.json";
    if (fs::exists(index)) {
        const nlohmann::json idx = readJson(index);
        if (!idx.contains("weight_map") || !idx["weight_map"].is_object())
            throw Error(ErrorCode::Parse, index.string() + " has no weight_map");
        std::map<std::string, std::shared_ptr<SafetensorsFile>> shards;
        for (const auto& [name, file] : idx["weight_map"].items()) {
            const std::string shard = shardName(index, name, file);
            auto& opened = shards[shard];
            if (!opened)
                opened = std::make_shared<SafetensorsFile>(folder / shard);
            if (!opened->contains(name))
                throw Error(ErrorCode::NotFound, "index maps tensor '" + name + "' to " + shard + ", which lacks it");
            byName[name] = opened;
        }
        return byName;
    }
    const fs::path single = folder / "model.safetensors";
    if (!fs::exists(single))
        throw Error(ErrorCode::NotFound, "no model.safetensors or model.safetensors.index.json in " + folder.string());
    auto file = std::make_shared<SafetensorsFile>(single);
    for (const std::string& name : file->names())
        byName[name] = file;
    return byName;
}

// Whether a weight computed here equals a stored one up to the stored dtype's rounding.
bool sameWeights(const at::Tensor& computed, const at::Tensor& stored)
{
    const double rtol = stored.element_size() >= 4 ? 1e-5 : 1e-2;
    return torch::allclose(computed.to(torch::kCPU, stored.scalar_type()).to(torch::kFloat), stored.to(torch::kFloat),
                           rtol, 1e-6);
}

bool ignorableTensor(const std::string& name, const ModelConfig& config)
{
    const bool rotaryBuffer = name.size() >= 8 && name.compare(name.size() - 8, 8, "inv_freq") == 0;
    return rotaryBuffer || (config.tieWordEmbeddings && name == "lm_head.weight");
}

}  // namespace

c10::ScalarType resolveDtype(const LoadOptions& options)
{
    if (options.dtype)
        return *options.dtype;
    return options.device.is_cuda() ? torch::kBFloat16 : torch::kFloat;
}

CausalLM buildModel(const ModelConfig& config, const LoadOptions& options, std::uint64_t seed)
{
    torch::manual_seed(seed);
    CausalLM model(config);
    model->to(options.device, resolveDtype(options));
    model->eval();
    return model;
}

void loadWeights(CausalLMImpl& model, const fs::path& folder)
{
    torch::NoGradGuard noGrad;
    auto files = openWeights(folder);
    const bool adapted = model.lora().has_value();
    if (adapted)
        loadLoraAdapter(model, folder / kLoraAdapterFolder);
    auto parameters = model.named_parameters();
    // Without adapters these are the parameters, which are loaded. With them the folder holds merged
    // weights, which the base weights and the adapters just read must reproduce.
    forEachMergedParameter(model, [&](const std::string& name, const at::Tensor& current) {
        const auto it = files.find(name);
        if (it == files.end())
            throw Error(ErrorCode::NotFound,
                        "checkpoint " + folder.string() + " lacks tensor '" + name + "' (expected shape " +
                            shapeText(current.sizes()) + ")");
        const at::Tensor src = it->second->tensor(name);
        if (src.sizes() != current.sizes())
            throw Error(ErrorCode::Parse, "tensor '" + name + "' has shape " + shapeText(src.sizes()) + " in " +
                                              it->second->path().string() + ", the model expects " +
                                              shapeText(current.sizes()));
        if (!adapted)
            parameters[name].copy_(src);
        else if (!sameWeights(current, src))
            throw Error(ErrorCode::InvalidArgument,
                        "tensor '" + name + "' of " + folder.string() +
                            " differs from the base weights merged with the folder's LoRA adapter",
                        "resume a LoRA run over the base model it was trained from");
        files.erase(it);
    });
    for (const auto& [name, file] : files)
        if (!ignorableTensor(name, model.config()))
            throw Error(ErrorCode::Parse, "unexpected tensor '" + name + "' in " + file->path().string(),
                        "the checkpoint does not match its config.json");
}

LoadedModel loadModel(const fs::path& folder, const LoadOptions& options)
{
    if (!fs::is_directory(folder))
        throw Error(ErrorCode::NotFound, "model folder " + folder.string() + " does not exist");
    LoadedModel loaded;
    loaded.config = ModelConfig::fromFile(folder / "config.json");
    loaded.model = CausalLM(loaded.config);
    loaded.model->to(options.device, resolveDtype(options));
    loadWeights(*loaded.model, folder);
    loaded.model->eval();
    return loaded;
}

void saveModel(CausalLMImpl& model, const fs::path& folder, const SaveOptions& options)
{
    fs::create_directories(folder);
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string fname = entry.path().filename().string();
        if (fname.rfind("model", 0) == 0 && (entry.path().extension() == ".safetensors" ||
                                             fname == "model.safetensors.index.json"))
            fs::remove(entry.path());
    }
    const c10::ScalarType dtype = options.dtype.value_or(model.dtype());
    std::vector<std::vector<std::pair<std::string, at::Tensor>>> shards(1);
    std::uint64_t shardBytes = 0, totalBytes = 0;
    forEachMergedParameter(model, [&](const std::string& name, const at::Tensor& tensor) {
        at::Tensor t = tensor.to(torch::kCPU, dtype).contiguous();
        const std::uint64_t bytes = std::uint64_t(t.numel()) * t.element_size();
        if (shardBytes > 0 && shardBytes + bytes > options.maxShardBytes) {
            shards.emplace_back();
            shardBytes = 0;
        }
        shards.back().emplace_back(name, std::move(t));
        shardBytes += bytes;
        totalBytes += bytes;
    });
    if (shards.size() == 1) {
        writeSafetensors(folder / "model.safetensors", shards.front());
    } else {
        nlohmann::json weightMap = nlohmann::json::object();
        for (std::size_t i = 0; i < shards.size(); ++i) {
            char name[64];
            std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", i + 1, shards.size());
            writeSafetensors(folder / name, shards[i]);
            for (const auto& [key, t] : shards[i])
                weightMap[key] = name;
        }
        writeJson(folder / "model.safetensors.index.json",
                  {{"metadata", {{"total_size", totalBytes}}}, {"weight_map", weightMap}});
    }
    if (model.lora())
        saveLoraAdapter(model, folder / kLoraAdapterFolder);
    ModelConfig config = model.config();
    config.dtype = dtype == torch::kBFloat16 ? "bfloat16" : dtype == torch::kHalf ? "float16" : "float32";
    writeJson(folder / "config.json", config.toJson());

    const fs::path& from = options.copyFilesFrom;
    bool copiedGeneration = false;
    if (!from.empty() && fs::absolute(from) != fs::absolute(folder)) {
        for (const char* file : {"generation_config.json", "tokenizer.json", "tokenizer_config.json",
                                 "special_tokens_map.json", "vocab.json", "merges.txt", "chat_template.jinja"}) {
            if (fs::exists(from / file)) {
                fs::copy_file(from / file, folder / file, fs::copy_options::overwrite_existing);
                copiedGeneration = copiedGeneration || std::string(file) == "generation_config.json";
            }
        }
    }
    if (!copiedGeneration && !fs::exists(folder / "generation_config.json")) {
        nlohmann::json gen = {{"_from_model_config", true}};
        if (config.bosTokenId)
            gen["bos_token_id"] = *config.bosTokenId;
        if (!config.eosTokenIds.empty())
            gen["eos_token_id"] = config.eosTokenIds.size() == 1 ? nlohmann::json(config.eosTokenIds.front())
                                                                 : nlohmann::json(config.eosTokenIds);
        writeJson(folder / "generation_config.json", gen);
    }
}

void saveLoraAdapter(CausalLMImpl& model, const fs::path& folder)
{
    const auto& lora = model.lora();
    if (!lora)
        throw Error(ErrorCode::InvalidArgument, "the model has no LoRA adapters to save");
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& item : model.named_parameters())
        if (isLoraParameter(item.key()))
            tensors.emplace_back(kPeftPrefix + item.key(), item.value().detach().to(torch::kCPU).contiguous());
    fs::create_directories(folder);
    writeSafetensors(folder / "adapter_model.safetensors", tensors);
    writeJson(folder / "adapter_config.json",
              {{"peft_type", "LORA"},
               {"task_type", "CAUSAL_LM"},
               {"base_model_name_or_path", lora->baseModel.empty() ? nlohmann::json() : nlohmann::json(lora->baseModel)},
               {"r", lora->rank},
               {"lora_alpha", lora->alpha},
               {"target_modules", lora->targets},
               {"lora_dropout", 0.0},
               {"bias", "none"},
               {"fan_in_fan_out", false},
               {"init_lora_weights", true},
               {"inference_mode", true},
               {"modules_to_save", nullptr},
               {"use_rslora", false},
               {"use_dora", false}});
}

void loadLoraAdapter(CausalLMImpl& model, const fs::path& folder)
{
    const auto& lora = model.lora();
    if (!lora)
        throw Error(ErrorCode::InvalidArgument, "the model has no LoRA adapters to load " + folder.string() + " into");
    const nlohmann::json config = readJson(folder / "adapter_config.json");
    const std::set<std::string> targets(lora->targets.begin(), lora->targets.end());
    bool same = false;
    try {
        same = config.value("r", std::int64_t(0)) == lora->rank &&
               std::abs(config.value("lora_alpha", 0.0) - lora->alpha) <= 1e-9 * lora->alpha &&
               config.value("target_modules", std::set<std::string>()) == targets;
    } catch (const nlohmann::json::exception&) {
        // a field of another type (target_modules as a pattern string) is a different adapter too
    }
    if (!same)
        throw Error(ErrorCode::InvalidArgument,
                    "the LoRA adapter in " + folder.string() + " (r " + config.value("r", nlohmann::json()).dump() +
                        ", lora_alpha " + config.value("lora_alpha", nlohmann::json()).dump() + ", target_modules " +
                        config.value("target_modules", nlohmann::json()).dump() + ") differs from the model's (r " +
                        std::to_string(lora->rank) + ", alpha " + nlohmann::json(lora->alpha).dump() + ", targets " +
                        nlohmann::json(lora->targets).dump() + ")");
    const SafetensorsFile file(folder / "adapter_model.safetensors");
    const torch::NoGradGuard noGrad;
    std::size_t loaded = 0;
    for (auto& item : model.named_parameters()) {
        if (!isLoraParameter(item.key()))
            continue;
        const std::string name = kPeftPrefix + item.key();
        if (!file.contains(name))
            throw Error(ErrorCode::NotFound, file.path().string() + " lacks tensor '" + name + "'");
        const at::Tensor src = file.tensor(name);
        if (src.sizes() != item.value().sizes())
            throw Error(ErrorCode::Parse, "tensor '" + name + "' has shape " + shapeText(src.sizes()) + " in " +
                                              file.path().string() + ", the model expects " +
                                              shapeText(item.value().sizes()));
        item.value().copy_(src);
        ++loaded;
    }
    if (loaded != file.names().size())
        throw Error(ErrorCode::Parse, file.path().string() + " holds tensors the model's adapters do not have");
}

std::vector<std::int64_t> stopTokenIds(const ModelConfig& config, const fs::path& folder,
                                       std::optional<std::int64_t> tokenizerEos)
{
    std::vector<std::int64_t> ids = config.eosTokenIds;
    std::ifstream in(folder.empty() ? fs::path() : folder / "generation_config.json");
    if (in) {
        const auto gen = nlohmann::json::parse(in, nullptr, false);
        if (gen.is_object() && gen.contains("eos_token_id")) {
            const auto& e = gen["eos_token_id"];
            if (e.is_number_integer())
                ids.push_back(e.get<std::int64_t>());
            else if (e.is_array())
                for (const auto& v : e)
                    if (v.is_number_integer())
                        ids.push_back(v.get<std::int64_t>());
        }
    }
    if (tokenizerEos)
        ids.push_back(*tokenizerEos);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

std::vector<fs::path> weightFiles(const fs::path& folder)
{
    const fs::path index = folder / "model.safetensors.index.json";
    if (fs::exists(index)) {
        const nlohmann::json idx = readJson(index);
        if (!idx.contains("weight_map") || !idx["weight_map"].is_object())
            throw Error(ErrorCode::Parse, index.string() + " has no weight_map");
        std::set<std::string> shards;
        for (const auto& [name, file] : idx["weight_map"].items())
            shards.insert(shardName(index, name, file));
        std::vector<fs::path> files;
        for (const std::string& shard : shards)
            files.push_back(folder / shard);
        return files;
    }
    const fs::path single = folder / "model.safetensors";
    if (!fs::exists(single))
        throw Error(ErrorCode::NotFound, "no model.safetensors or model.safetensors.index.json in " + folder.string());
    return {single};
}

}  // namespace distill::model
