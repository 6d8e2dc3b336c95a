// The model folder the serve tests run: the tiny Qwen2 fixture (vocabulary 1024) with the toy
// byte-level tokenizer (261 tokens), copied under a temporary folder as "tiny-serve".
#pragma once

#include <QTemporaryDir>

#include <filesystem>

namespace distill::test {

inline std::filesystem::path makeServeModelDir(const QTemporaryDir& tmp)
{
    namespace fs = std::filesystem;
    const fs::path src(DISTILLERY_SOURCE_DIR);
    const fs::path dir = fs::path(tmp.path().toStdString()) / "tiny-serve";
    fs::create_directories(dir);
    for (const char* f : {"config.json", "generation_config.json", "model.safetensors"})
        fs::copy_file(src / "tests/fixtures/models/tiny-qwen2" / f, dir / f);
    for (const char* f : {"tokenizer.json", "tokenizer_config.json"})
        fs::copy_file(src / "resources/toy" / f, dir / f);
    return dir;
}

}  // namespace distill::test
