// ModelFolderInfo: what the model manager shows about a Hugging Face model folder (config.json,
// safetensors headers, tokenizer files), read without loading any weights.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace distill::widgets {

struct ModelFolderInfo {
    QString path;
    QString name;          // the folder's name
    bool reading = false;  // inspection still running
    QString error;         // why the folder is not a usable model; empty when it is

    QString modelType;     // config.json "model_type"
    qint64 parameters = 0;
    qint64 hiddenSize = 0, intermediateSize = 0, layers = 0, heads = 0, kvHeads = 0, headDim = 0;
    qint64 vocabSize = 0, maxPositions = 0;
    bool tiedEmbeddings = false;
    QString configDtype;   // config.json dtype / torch_dtype
    QString storedDtype;   // dtypes of the stored tensors ("BF16", "F32", "BF16 + F32")
    qint64 tensors = 0;
    qint64 diskBytes = 0;  // the weight files together
    int shards = 0;
    QList<qint64> eosIds;  // config.json eos_token_id

    bool hasTokenizerJson = false;
    bool hasChatTemplate = false;
    QString eosToken;        // tokenizer_config.json eos_token
    QString tokenizerError;  // tokenizer files present but unreadable

    bool usable() const { return !reading && error.isEmpty(); }
    // Usable and with a tokenizer the playground can chat through.
    bool chatReady() const { return usable() && hasTokenizerJson && tokenizerError.isEmpty(); }
};

// Reads config.json, the safetensors headers (the files are mapped, their data never read) and the
// tokenizer of `path`. Never throws: problems end up in `error` / `tokenizerError` as translated text.
ModelFolderInfo inspectModelFolder(const QString& path);

}  // namespace distill::widgets

Q_DECLARE_METATYPE(distill::widgets::ModelFolderInfo)
