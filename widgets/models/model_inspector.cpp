// Model folder inspection with the core readers: ModelConfig, SafetensorsFile (header only),
// weightFiles and the tokenizer.
#include "core/model/checkpoint.h"
#include "core/model/model_config.h"
#include "core/model/safetensors.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include "widgets/models/error_text.h"
#include "widgets/models/model_inspector.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <filesystem>
#include <map>

namespace distill::widgets {

namespace fs = std::filesystem;

namespace {

// Translation context of the texts below.
struct ModelInspector {
    Q_DECLARE_TR_FUNCTIONS(distill::widgets::ModelInspector)
};

fs::path toPath(const QString& path)
{
    return fs::path(QFile::encodeName(path).toStdString());
}

// "BF16", or "BF16 + F32" for mixed files, most common dtype first.
QString dtypeSummary(const std::map<std::string, qint64>& counts)
{
    std::vector<std::pair<qint64, std::string>> order;
    for (const auto& [name, n] : counts)
        order.emplace_back(-n, name);
    std::sort(order.begin(), order.end());
    QStringList names;
    for (const auto& [n, name] : order)
        names << QString::fromStdString(name);
    return names.join(QStringLiteral(" + "));
}

void readTokenizer(const fs::path& dir, ModelFolderInfo& info)
{
    info.hasTokenizerJson = fs::exists(dir / "tokenizer.json");
    if (!info.hasTokenizerJson) {
        if (fs::exists(dir / "tokenizer.model"))
            info.tokenizerError = ModelInspector::tr("Only a SentencePiece tokenizer.model; chatting needs tokenizer.json.");
        return;
    }
    try {
        const auto tokenizer = tokenizer::Tokenizer::fromDirectory(dir);
        info.hasChatTemplate = !tokenizer->config().chatTemplate.empty();
        info.eosToken = QString::fromStdString(tokenizer->config().eosToken.value_or(std::string()));
    } catch (const std::exception& e) {
        info.tokenizerError = errorMessage(e);
    }
}

}  // namespace

ModelFolderInfo inspectModelFolder(const QString& path)
{
    ModelFolderInfo info;
    info.path = QDir::cleanPath(path);
    info.name = QFileInfo(info.path).fileName();
    const fs::path dir = toPath(info.path);
    if (!QFileInfo(info.path).isDir()) {
        info.error = ModelInspector::tr("The folder does not exist.");
        return info;
    }
    if (!QFileInfo::exists(QDir(info.path).filePath(QStringLiteral("config.json")))) {
        info.error = ModelInspector::tr("No config.json: this is not a Hugging Face model folder.");
        return info;
    }
    try {
        const model::ModelConfig config = model::ModelConfig::fromFile(dir / "config.json");
        info.modelType = QString::fromStdString(config.raw.value("model_type", std::string()));
        info.parameters = config.parameterCount();
        info.hiddenSize = config.hiddenSize;
        info.intermediateSize = config.intermediateSize;
        info.layers = config.numLayers;
        info.heads = config.numHeads;
        info.kvHeads = config.numKvHeads;
        info.headDim = config.headDim;
        info.vocabSize = config.vocabSize;
        info.maxPositions = config.maxPositionEmbeddings;
        info.tiedEmbeddings = config.tieWordEmbeddings;
        info.configDtype = QString::fromStdString(config.dtype);
        for (std::int64_t id : config.eosTokenIds)
            info.eosIds << id;

        std::map<std::string, qint64> dtypes;
        for (const fs::path& file : model::weightFiles(dir)) {
            const model::SafetensorsFile weights(file);  // validates the header against the file size
            ++info.shards;
            info.diskBytes += qint64(fs::file_size(file));
            for (const std::string& name : weights.names()) {
                ++dtypes[model::safetensorsDtypeName(weights.entry(name).dtype)];
                ++info.tensors;
            }
        }
        info.storedDtype = dtypeSummary(dtypes);
    } catch (const std::exception& e) {
        info.error = errorMessage(e);
    }
    readTokenizer(dir, info);
    return info;
}

}  // namespace distill::widgets
